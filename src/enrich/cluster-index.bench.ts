/**
 * Identity benchmarks: IPv4 lookups per second as the enricher makes them (address, time, port, protocol),
 * the heap a 100k-pod index holds, and how fast objects are applied.
 * Run: `npm run bench cluster-index` (node --expose-gc). Figures go to docs/benchmarks.md "## Identity".
 */
import { bench, consume } from '../../scripts/bench-kit.js';
import { formatIp } from '../core/ip.js';
import { createClusterIndex } from './cluster-index.js';
import type { ResourceKind } from './kube-objects.js';

const PODS = Number(process.env.BENCH_PODS ?? 100_000);
const PER_DEPLOYMENT = 50;

/** a realistic pod as the API server sends it (owner, labels, two ports, status), without managedFields */
function rawPod(i: number): Record<string, unknown> {
  const app = `app-${Math.floor(i / PER_DEPLOYMENT)}`;
  const ns = `ns-${Math.floor(i / 5_000)}`;
  const hash = `${(Math.floor(i / PER_DEPLOYMENT) * 7919).toString(36).padStart(6, 'x')}`;
  const ip = formatIp(0x0a400000 + i);
  return {
    metadata: {
      name: `${app}-${hash}-${i.toString(36).padStart(5, 'z')}`,
      namespace: ns,
      uid: `0000${i.toString(16).padStart(8, '0')}-aaaa-bbbb-cccc-0123456789ab`,
      resourceVersion: String(100_000 + i),
      creationTimestamp: '2024-05-01T10:00:00Z',
      labels: { app, 'pod-template-hash': hash, 'app.kubernetes.io/part-of': 'bench' },
      annotations: { 'kubectl.kubernetes.io/restartedAt': '2024-05-01T09:00:00Z' },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-${hash}`, uid: 'x', controller: true },
      ],
    },
    spec: {
      nodeName: `node-${i % 500}`,
      containers: [
        {
          name: 'main',
          image: `registry.example/${app}:1.0`,
          ports: [
            { containerPort: 8080, name: 'http', protocol: 'TCP' },
            { containerPort: 9090, name: 'metrics', protocol: 'TCP' },
          ],
        },
      ],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      hostIP: `10.0.${(i % 500) >> 8}.${(i % 500) & 255}`,
      hostIPs: [{ ip: `10.0.${(i % 500) >> 8}.${(i % 500) & 255}` }],
    },
  };
}

function rawOwners(): { kind: ResourceKind; raw: Record<string, unknown> }[] {
  const out: { kind: ResourceKind; raw: Record<string, unknown> }[] = [];
  for (let d = 0; d * PER_DEPLOYMENT < PODS; d++) {
    const app = `app-${d}`;
    const ns = `ns-${Math.floor((d * PER_DEPLOYMENT) / 5_000)}`;
    const hash = `${(d * 7919).toString(36).padStart(6, 'x')}`;
    out.push({ kind: 'Deployment', raw: { metadata: { name: app, namespace: ns } } });
    out.push({
      kind: 'ReplicaSet',
      raw: {
        metadata: {
          name: `${app}-${hash}`,
          namespace: ns,
          ownerReferences: [{ kind: 'Deployment', name: app, controller: true }],
        },
      },
    });
  }
  return out;
}

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

function build(pods: number) {
  const index = createClusterIndex({ tombstoneGraceMs: 120_000 }, { clock: () => Date.now() });
  for (const { kind, raw } of rawOwners()) index.apply('ADDED', index.slim(kind, raw));
  // through JSON like a LIST response, so strings are flat as the client library hands them over
  for (let i = 0; i < pods; i++) index.apply('ADDED', index.slim('Pod', JSON.parse(JSON.stringify(rawPod(i)))));
  for (let s = 0; s < 1_000; s++) {
    const raw = {
      metadata: { name: `svc-${s}`, namespace: 'ns-0' },
      spec: { clusterIPs: [formatIp(0x0a600000 + s)], ports: [{ port: 80, targetPort: 8080 }] },
    };
    index.apply('ADDED', index.slim('Service', raw));
  }
  return index;
}

const before = heapMb();
const t0 = performance.now();
const index = build(PODS);
const applyMs = performance.now() - t0;
const after = heapMb();
console.log(
  `bench memory: ${(after - before).toFixed(1)} MB heap for ${PODS} pods (${(((after - before) * 1e6) / PODS).toFixed(0)} B/pod), ${index.stats().addresses} addresses`,
);
console.log(
  `bench apply: ${(((PODS / applyMs) * 1000) / 1e3).toFixed(0)} k pods/s (slim + apply, ${applyMs.toFixed(0)} ms for ${PODS} pods with their owners)`,
);

// lookups as the enricher makes them: ~90% pod IPs (fast path), ~10% service IPs, flow times near now
const N = 1 << 16;
const ips = new Array<number>(N);
for (let i = 0; i < N; i++) {
  const r = Math.imul(i + 1, 2654435761) >>> 0;
  ips[i] = i % 10 === 0 ? 0x0a600000 + (r % 1_000) : 0x0a400000 + (r % PODS);
}
const at = Date.now();

/** runs a bench and also prints its rate per CPU second of this process (the machine is shared and loaded) */
function benchCpu(...args: Parameters<typeof bench>): void {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = bench(...args);
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const perCpu = (result.rate * (performance.now() - wall0)) / cpuMs;
  console.log(`bench ${result.name} per CPU second: ${(perCpu / 1e6).toFixed(2)} M ${result.unit}/s`);
}
benchCpu(
  'lookup IPv4 (address, time, port, protocol)',
  () => {
    let hits = 0;
    for (let i = 0; i < N; i++) if (index.lookup(ips[i]!, at, 8080, 6).kind !== 'unknown') hits++;
    return hits;
  },
  { unitsPerRun: N, unit: 'lookups' },
);
benchCpu(
  'lookup IPv4 miss (external fallback, no resolver)',
  () => {
    let n = 0;
    for (let i = 0; i < N; i++) n += index.lookup(0xc6336400 + (i & 255), at).kind.length;
    return n;
  },
  { unitsPerRun: N, unit: 'lookups' },
);
consume(index);

// a rollout's status churn: every pod behind one Service updated three times with nothing a lookup sees changed
// (a new resourceVersion, as condition and container-status updates arrive), then once with a new phase
const ROLLOUT = Number(process.env.BENCH_ROLLOUT_PODS ?? 3_000);
const churn = createClusterIndex({ tombstoneGraceMs: 120_000 }, { clock: () => Date.now() });
const churnPods = Array.from({ length: ROLLOUT }, (_, i) => rawPod(i) as { metadata: { resourceVersion: string } });
for (const pod of churnPods) churn.apply('ADDED', churn.slim('Pod', pod));
churn.apply(
  'ADDED',
  churn.slim('Service', {
    metadata: { name: 'web', namespace: 'ns-0' },
    spec: { clusterIPs: ['10.96.0.80'], ports: [{ port: 80, targetPort: 8080 }] },
  }),
);
churn.apply(
  'ADDED',
  churn.slim('EndpointSlice', {
    metadata: { name: 'web-1', namespace: 'ns-0', labels: { 'kubernetes.io/service-name': 'web' } },
    addressType: 'IPv4',
    endpoints: churnPods.map((_, i) => ({ addresses: [formatIp(0x0a400000 + i)] })),
  }),
);
let version = 1_000_000;
const updates = churnPods.flatMap((pod, i) => [0, 1, 2, 3].map((k) => ({ pod, i, k })));
const t1 = performance.now();
for (const { pod, i, k } of updates) {
  pod.metadata.resourceVersion = String(version++);
  const raw = k === 3 ? { ...pod, status: { ...(rawPod(i).status as object), phase: 'Succeeded' } } : pod;
  churn.apply('MODIFIED', churn.slim('Pod', raw));
}
const churnMs = performance.now() - t1;
console.log(
  `bench rollout churn: ${((updates.length / churnMs) * 1000).toFixed(0)} pod updates/s (${updates.length} updates of ` +
    `${ROLLOUT} pods behind one Service, 3 of 4 changing nothing a lookup sees; ${churnMs.toFixed(0)} ms)`,
);
consume(churn);
