/**
 * The small cluster of the serve-* end-to-end tests, declared here and built with the fixture's object builders
 * (Deployments via ReplicaSets, StatefulSets, a host-network DaemonSet, CoreDNS behind the kube-dns Service), placed
 * on two worker nodes so that most conversations cross nodes and both nodes' exporters see them. `mapNodeId` says,
 * from this declaration alone (not from flowmap), which map node an address is.
 * @module
 */
import type { BuildContext, KubeList, KubeObject, PlacedPod } from '../fixtures/cluster-snapshot.js';
import { FIXTURE_TIME, type FixtureWorkload, NODES } from '../fixtures/cluster-spec.js';
import { podObject, serviceObjects, workloadObjects } from '../fixtures/k8s-objects.js';

const dns = (name: string) => ({ port: 53, targetPort: 53, protocol: name === 'dns' ? 'UDP' : 'TCP', name }) as const;
const svc = (name: string, clusterIP: string, port: number, targetPort = port) => ({
  name,
  clusterIP,
  ports: [{ port, targetPort, name: 'main' }],
});

export const WORKLOADS: readonly FixtureWorkload[] = [
  {
    namespace: 'kube-system',
    kind: 'Deployment',
    name: 'coredns',
    labels: { 'k8s-app': 'kube-dns' },
    nodes: ['worker-2'],
    ports: [
      { port: 53, protocol: 'UDP', name: 'dns' },
      { port: 53, protocol: 'TCP', name: 'dns-tcp' },
    ],
    service: { name: 'kube-dns', clusterIP: '10.96.0.10', ports: [dns('dns'), dns('dns-tcp')] },
  },
  {
    namespace: 'monitoring',
    kind: 'DaemonSet',
    name: 'node-exporter',
    labels: { 'app.kubernetes.io/name': 'node-exporter' },
    hostNetwork: true,
    ports: [{ port: 9100, name: 'metrics' }],
  },
  {
    namespace: 'monitoring',
    kind: 'StatefulSet',
    name: 'prometheus',
    labels: { app: 'prometheus' },
    nodes: ['worker-1'],
    ports: [{ port: 9090, name: 'web' }],
    service: svc('prometheus', '10.96.20.10', 9090),
  },
  {
    namespace: 'monitoring',
    kind: 'Deployment',
    name: 'alertmanager',
    labels: { app: 'alertmanager' },
    nodes: ['control-plane-1'], // a node without an exporter: calls to its ClusterIP are never seen after DNAT
    ports: [{ port: 9093, name: 'web' }],
    service: svc('alertmanager', '10.96.20.12', 80, 9093),
  },
  {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'loadgenerator',
    labels: { app: 'loadgenerator' },
    nodes: ['worker-1'],
  },
  {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'checkout',
    labels: { app: 'checkout' },
    nodes: ['worker-1'],
    ports: [{ port: 5050, name: 'grpc' }],
    service: svc('checkout', '10.96.10.17', 5050),
  },
  {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'frontend',
    labels: { app: 'frontend' },
    nodes: ['worker-2'],
    ports: [{ port: 8080, name: 'http' }],
    service: svc('frontend', '10.96.10.10', 80, 8080),
  },
  {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'cart',
    labels: { app: 'cart' },
    nodes: ['worker-2'],
    ports: [{ port: 7070, name: 'grpc' }],
    service: svc('cart', '10.96.10.11', 7070),
  },
  {
    namespace: 'shop',
    kind: 'Deployment',
    name: 'payment',
    labels: { app: 'payment' },
    nodes: ['worker-2'],
    ports: [{ port: 50051, name: 'grpc' }],
  },
  {
    namespace: 'shop',
    kind: 'StatefulSet',
    name: 'redis-cart',
    labels: { app: 'redis-cart' },
    nodes: ['worker-2'],
    ports: [{ port: 6379, name: 'redis' }],
    service: svc('redis-cart', '10.96.10.20', 6379),
  },
];

/** CIDR labels the tests configure (identity.cidrLabels) */
export const CIDR_LABELS = [{ name: 'corp-db', cidrs: ['172.20.0.0/16'] }] as const;

/** public addresses by the organisation DB-IP/RouteViews give for them (8.8.8.0/24: AS15169 Google LLC) */
export const ASN_ORGS: Readonly<Record<string, { asn: number; org: string }>> = {
  '8.8.8.8': { asn: 15169, org: 'Google LLC' },
};

export interface ServeCluster {
  readonly list: KubeList;
  readonly pods: readonly PlacedPod[];
  /** the first pod IP of a workload, by workload name */
  podIp(workload: string): string;
  /** node name by internal IP */
  nodeOfIp(ip: string): string | undefined;
}

function context(): BuildContext {
  let rv = 5000;
  const next = new Map<string, number>();
  let serial = 0;
  const hash = (text: string) => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    return h;
  };
  return {
    rv: () => String(++rv),
    uid: (...parts) => {
      const h = hash(parts.join('/')).toString(16).padStart(8, '0');
      return `${h}-0000-4000-8000-${String(++serial).padStart(12, '0')}`;
    },
    suffix: (seed, length) => {
      const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[hash(`${seed}:${i}`) % alphabet.length];
      return out;
    },
    podIps: (node) => {
      const n = (next.get(node.name) ?? 9) + 1;
      next.set(node.name, n);
      return [`${node.podPrefix}.${n}`];
    },
    time: FIXTURE_TIME,
  };
}

/** the snapshot (`kubectl get ... -A -o json` shape) of WORKLOADS on the fixture's three nodes */
export function buildServeCluster(): ServeCluster {
  const ctx = context();
  const items: KubeObject[] = NODES.map((node) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: node.name, uid: ctx.uid('Node', node.name), resourceVersion: ctx.rv(), labels: {} },
    spec: { podCIDR: `${node.podPrefix}.0/24` },
    status: {
      addresses: [
        { type: 'InternalIP', address: node.internalIP },
        { type: 'Hostname', address: node.name },
      ],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  }));
  const pods: PlacedPod[] = [];
  for (const w of WORKLOADS) {
    const built = workloadObjects(w, ctx, pods);
    items.push(...built.objects);
    pods.push(...built.pods);
  }
  for (const pod of pods) items.push(podObject(pod, ctx));
  for (const w of WORKLOADS) {
    if (!w.service) continue;
    const backends = pods.filter((p) => p.workload === w);
    items.push(...serviceObjects(w.namespace, w.service, w.labels, backends, ctx));
  }
  return {
    list: { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items },
    pods,
    podIp(workload) {
      const pod = pods.find((p) => p.workload.name === workload && !p.workload.hostNetwork);
      if (!pod) throw new Error(`Cannot find a pod of "${workload}"`);
      return pod.ips[0]!;
    },
    nodeOfIp: (ip) => NODES.find((n) => n.internalIP === ip)?.name,
  };
}

/** the node a pod IP or node IP lives on (where its node's exporter sees it), or undefined outside the cluster */
export function nodeHolding(cluster: ServeCluster, ip: string): string | undefined {
  return cluster.nodeOfIp(ip) ?? cluster.pods.find((p) => !p.workload.hostNetwork && p.ips.includes(ip))?.node.name;
}

const PROTOCOL_NAME: Record<number, string> = { 6: 'TCP', 17: 'UDP' };

/**
 * The workload-level map node id of an address (port and protocol matter for host-network pods), from the
 * declaration: pod -> its top controller, node IP + a host-network pod's declared port -> that pod's workload,
 * other node IPs -> the node, ClusterIPs -> the Service, CIDR labels, then ASN organisations.
 */
export function mapNodeId(cluster: ServeCluster, ip: string, port: number, ipProtocol: number): string {
  const node = cluster.nodeOfIp(ip);
  if (node) {
    const host = cluster.pods.find(
      (p) =>
        p.workload.hostNetwork &&
        p.node.name === node &&
        p.workload.ports?.some((x) => x.port === port && (x.protocol ?? 'TCP') === PROTOCOL_NAME[ipProtocol]),
    );
    return host ? workloadId(host.workload) : `node:${node}`;
  }
  const pod = cluster.pods.find((p) => p.ips.includes(ip));
  if (pod) return workloadId(pod.workload);
  const service = WORKLOADS.find((w) => w.service?.clusterIP === ip);
  if (service) return `service:${service.namespace}/${service.service!.name}`;
  const label = CIDR_LABELS.find((l) => l.cidrs.some((c) => inCidr(ip, c)));
  if (label) return `external:${label.name}`;
  const asn = ASN_ORGS[ip];
  if (asn) return `external:${asn.org}`;
  return `unknown:${ip}`;
}

function workloadId(w: FixtureWorkload): string {
  return `workload:${w.namespace}/${w.kind}/${w.name}`;
}

function inCidr(ip: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/') as [string, string];
  const n = (a: string) => a.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(n(ip) / size) === Math.floor(n(base) / size);
}

const SEED_CHAIN = ['app', 'name', 'k8s-app', 'app.kubernetes.io/name', 'component', 'job-name'];

/** the seed-compatible `host`/`namespace` of an address (docs/metrics.md): pods by their label chain */
export function seedLabels(cluster: ServeCluster, ip: string, port: number, ipProtocol: number) {
  const id = mapNodeId(cluster, ip, port, ipProtocol);
  const [kind, rest = ''] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  if (kind === 'workload') {
    const node = cluster.nodeOfIp(ip);
    const pod = cluster.pods.find((p) =>
      node ? p.workload.hostNetwork && p.node.name === node && workloadId(p.workload) === id : p.ips.includes(ip),
    )!;
    const labels: Record<string, string> = { ...pod.workload.labels, ...pod.extraLabels };
    return { host: SEED_CHAIN.map((l) => labels[l]).find((v) => v) ?? pod.name, namespace: pod.workload.namespace };
  }
  if (kind === 'service') return { host: rest.split('/')[1]!, namespace: rest.split('/')[0]! };
  if (kind === 'node' || kind === 'external') return { host: rest, namespace: '' };
  return { host: 'unknown', namespace: 'unknown' };
}

/** pipeline.orient.dnatWaitMs of the tests that read the live map (see ConfigOptions) */
export const LIVE_DNAT_WAIT_MS = 5_000;

export interface ConfigOptions {
  /** collector.exporterIdentity: address-port (the two nodes' exporters share 127.0.0.1) */
  readonly addressPort?: boolean;
  /**
   * pipeline.orient.dnatWaitMs: tests that read the live map set it below the 30 s default so that a ClusterIP call
   * no node reports after DNAT is decided while they poll; tests that stop serve rely on its final flush instead
   */
  readonly dnatWaitMs?: number;
  /** prometheus.firstScrapeZeroMs: new series stay 0 this long (the test reads /metrics beside Prometheus) */
  readonly firstScrapeZeroMs?: number;
}

/** a serve config file: the CIDR labels of the scenario, loopback HTTP, and `options` */
export function configYaml(options: ConfigOptions = {}): string {
  const labels = CIDR_LABELS.map(
    (l) => `    - name: ${l.name}\n      cidrs: [${l.cidrs.map((c) => `'${c}'`).join(', ')}]`,
  );
  return [
    ...(options.addressPort ? ['collector:', '  exporterIdentity: address-port'] : []),
    'identity:',
    '  cidrLabels:',
    ...labels,
    ...(options.dnatWaitMs !== undefined ? ['pipeline:', '  orient:', `    dnatWaitMs: ${options.dnatWaitMs}`] : []),
    ...(options.firstScrapeZeroMs !== undefined
      ? ['prometheus:', `  firstScrapeZeroMs: ${options.firstScrapeZeroMs}`]
      : []),
    'api:',
    '  host: 127.0.0.1',
    '',
  ].join('\n');
}
