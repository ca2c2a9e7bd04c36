/**
 * Initial sync of the live source from the fake API server with the real client library: 10k pods (about 3 KB
 * of JSON each, as real pods with probes, env, volumes and statuses), their ReplicaSets and Deployments, 500
 * services with EndpointSlices and 50 nodes. Times start → synced, and the heap the index and the informer
 * caches hold afterwards. Run: `npm run bench identity-sync`.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { consume } from '../../scripts/bench-kit.js';
import { formatIp } from '../../src/core/ip.js';
import { createClusterIndex } from '../../src/enrich/index.js';
import { createLiveSource } from '../../src/enrich/kubernetes/index.js';
import { startFakeKube } from '../fake-kube/index.js';

const PODS = Number(process.env.BENCH_PODS ?? 10_000);
const PER_APP = 50;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function container(app: string, i: number, name: string, port: number) {
  return {
    name,
    image: `registry.example.com/team/${app}-${name}:v1.${i % 7}.0`,
    ports: [{ containerPort: port, name: 'http', protocol: 'TCP' }],
    env: [
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } },
      { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring:4317' },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
    readinessProbe: { httpGet: { path: '/ready', port, scheme: 'HTTP' }, periodSeconds: 10, timeoutSeconds: 1 },
    livenessProbe: { httpGet: { path: '/live', port, scheme: 'HTTP' }, periodSeconds: 10, failureThreshold: 3 },
    volumeMounts: [
      { name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true },
    ],
    terminationMessagePath: '/dev/termination-log',
    imagePullPolicy: 'IfNotPresent',
  };
}

function containerStatus(app: string, hash: string, i: number, name: string) {
  return {
    name,
    ready: true,
    restartCount: 0,
    image: `registry.example.com/team/${app}-${name}:v1.${i % 7}.0`,
    imageID: `registry.example.com/team/${app}-${name}@sha256:${hash.repeat(8)}`,
    containerID: `containerd://${hash.repeat(8)}`,
    started: true,
    state: { running: { startedAt: '2024-05-01T10:00:05Z' } },
  };
}

function realisticPod(i: number): Record<string, unknown> {
  const app = `app-${Math.floor(i / PER_APP)}`;
  const ns = `ns-${Math.floor(i / 1_000)}`;
  const hash = (Math.floor(i / PER_APP) * 7919).toString(36).padStart(8, 'b');
  const ip = formatIp(0x0a400000 + i);
  const node = `node-${i % 50}`;
  return {
    kind: 'Pod',
    metadata: {
      name: `${app}-${hash}-${i.toString(36).padStart(5, 'x')}`,
      namespace: ns,
      uid: `${i.toString(16).padStart(8, '0')}-1111-2222-3333-444455556666`,
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { app, 'pod-template-hash': hash, 'app.kubernetes.io/part-of': 'shop', version: 'v1' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T09:59:00Z', 'prometheus.io/scrape': 'true' },
      ownerReferences: [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: `${app}-${hash}`,
          uid: 'rs',
          controller: true,
          blockOwnerDeletion: true,
        },
      ],
    },
    spec: {
      nodeName: node,
      serviceAccountName: 'default',
      containers: [container(app, i, 'main', 8080), container(app, i, 'sidecar', 15090)],
      volumes: [
        {
          name: 'kube-api-access',
          projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] },
        },
      ],
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: {
      phase: 'Running',
      conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
        type,
        status: 'True',
        lastTransitionTime: '2024-05-01T10:00:06Z',
      })),
      hostIP: `10.0.0.${i % 50}`,
      hostIPs: [{ ip: `10.0.0.${i % 50}` }],
      podIP: ip,
      podIPs: [{ ip }],
      startTime: '2024-05-01T10:00:01Z',
      containerStatuses: [containerStatus(app, hash, i, 'main'), containerStatus(app, hash, i, 'sidecar')],
      qosClass: 'Burstable',
    },
  };
}

function cluster(): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = [];
  for (let n = 0; n < 50; n++) {
    items.push({
      kind: 'Node',
      metadata: { name: `node-${n}` },
      status: { addresses: [{ type: 'InternalIP', address: `10.0.0.${n}` }] },
    });
  }
  for (let a = 0; a * PER_APP < PODS; a++) {
    const app = `app-${a}`;
    const ns = `ns-${Math.floor((a * PER_APP) / 1_000)}`;
    const hash = (a * 7919).toString(36).padStart(8, 'b');
    items.push({
      kind: 'Deployment',
      metadata: { name: app, namespace: ns, labels: { app } },
      spec: { replicas: PER_APP },
    });
    items.push({
      kind: 'ReplicaSet',
      metadata: {
        name: `${app}-${hash}`,
        namespace: ns,
        ownerReferences: [{ kind: 'Deployment', name: app, controller: true }],
      },
    });
    const clusterIP = formatIp(0x0a600000 + a);
    items.push({
      kind: 'Service',
      metadata: { name: app, namespace: ns },
      spec: {
        clusterIP,
        clusterIPs: [clusterIP],
        selector: { app },
        ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
      },
    });
    const addresses = Array.from({ length: PER_APP }, (_, k) => a * PER_APP + k).filter((k) => k < PODS);
    items.push({
      kind: 'EndpointSlice',
      metadata: { name: `${app}-abcde`, namespace: ns, labels: { 'kubernetes.io/service-name': app } },
      addressType: 'IPv4',
      endpoints: addresses.map((k) => ({ addresses: [formatIp(0x0a400000 + k)], conditions: { ready: true } })),
    });
  }
  for (let i = 0; i < PODS; i++) items.push(realisticPod(i));
  return items;
}

function heapMb(): number {
  for (let i = 0; i < 3; i++) (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

const server = await startFakeKube();
server.load(cluster());
const listBytes = Buffer.byteLength(JSON.stringify(server.objects('Pod')));
const kubeConfig = new KubeConfig();
kubeConfig.loadFromString(server.kubeconfig());
for (let run = 0; run < RUNS; run++) {
  const base = heapMb();
  const index = createClusterIndex({ tombstoneGraceMs: 120_000 }, { clock: Date.now });
  const live = createLiveSource(
    { backoffInitialMs: 100, backoffMaxMs: 1_000, watchTimeoutSeconds: 300, listPageSize: 500 },
    { index, kubeConfig, log: () => {} },
  );
  const t0 = performance.now();
  await live.start(new AbortController().signal);
  await live.whenSynced(120_000);
  const ms = performance.now() - t0;
  const held = heapMb() - base;
  console.log(
    `bench initial sync: ${ms.toFixed(0)} ms for ${PODS} pods (${((PODS / ms) * 1000).toFixed(0)} pods/s; pod LIST ${(listBytes / 1e6).toFixed(1)} MB), ` +
      `heap held by index + informer caches ${held.toFixed(1)} MB, ${index.stats().addresses} addresses`,
  );
  await live.stop();
  consume([index, live]);
}
await server.close();
