/**
 * Shared by the identity end-to-end tests: a live source on the fake API server, and an oracle that derives
 * from the server's current objects (full objects, walked directly) who must own each address.
 * @module
 */
import { KubeConfig } from '@kubernetes/client-node';
import { parseIp } from '../../src/core/ip.js';
import { type ClusterIndex, createClusterIndex } from '../../src/enrich/index.js';
import {
  createLiveSource,
  type LiveSource,
  type LiveSourceConfig,
  type LogLevel,
} from '../../src/enrich/kubernetes/index.js';
import { type FakeKubeOptions, type FakeKubeServer, type KubeJson, startFakeKube } from '../fake-kube/index.js';

export interface LiveHarness {
  readonly server: FakeKubeServer;
  readonly index: ClusterIndex;
  readonly live: LiveSource;
  readonly logs: { level: LogLevel; message: string }[];
  close(): Promise<void>;
}

export const GRACE_MS = 1_000;

/** `setup`: live-source config over the tests' defaults, and a hook that prepares the server before the first LIST */
export async function startLive(
  options: FakeKubeOptions = {},
  items: readonly Record<string, unknown>[] = [],
  setup: Partial<LiveSourceConfig> & { readonly beforeStart?: (server: FakeKubeServer) => void } = {},
) {
  const { beforeStart, ...config } = setup;
  const server = await startFakeKube(options);
  server.load(items);
  beforeStart?.(server);
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(server.kubeconfig());
  const index = createClusterIndex({ tombstoneGraceMs: GRACE_MS }, { clock: Date.now });
  const logs: LiveHarness['logs'] = [];
  const live = createLiveSource(
    { backoffInitialMs: 20, backoffMaxMs: 200, watchTimeoutSeconds: 300, listPageSize: 500, ...config },
    { index, kubeConfig, log: (level, message) => logs.push({ level, message }) },
  );
  const abort = new AbortController();
  await live.start(abort.signal);
  await live.whenSynced(10_000);
  return {
    server,
    index,
    live,
    logs,
    async close() {
      abort.abort();
      await live.stop();
      await server.close();
    },
  } satisfies LiveHarness;
}

type Obj = KubeJson & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

function controllerOf(o: Obj): { kind: string; name: string } | undefined {
  const refs = (o.metadata.ownerReferences ?? []) as { kind: string; name: string; controller?: boolean }[];
  return refs.find((r) => r.controller) ?? refs[0];
}

/** "<Kind>/<name>" of a pod's top controller, walking the server's objects */
function topOwner(server: FakeKubeServer, pod: Obj): string {
  let current = controllerOf(pod);
  let top = current ? `${current.kind}/${current.name}` : `Pod/${pod.metadata.name}`;
  for (let hop = 0; current && hop < 8; hop++) {
    top = `${current.kind}/${current.name}`;
    const next = ['ReplicaSet', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob'].includes(current.kind)
      ? (server.get(current.kind, pod.metadata.namespace, current.name) as Obj | undefined)
      : undefined;
    current = next && controllerOf(next);
  }
  return top;
}

/** who must own each address now, from the server's objects: "pod <ns>/<name> <Kind>/<top>", "service ...", "node ..." */
export function oracle(server: FakeKubeServer): Map<string, string> {
  const out = new Map<string, string>();
  const pods = server.objects('Pod') as Obj[];
  const running = (p: Obj) => !['Succeeded', 'Failed'].includes(String(p.status?.phase));
  for (const pod of [...pods.filter((p) => !running(p)), ...pods.filter(running)]) {
    if (pod.spec?.hostNetwork) continue;
    for (const { ip } of (pod.status?.podIPs ?? []) as { ip: string }[]) {
      out.set(ip, `pod ${pod.metadata.namespace}/${pod.metadata.name} ${topOwner(server, pod)}`);
    }
  }
  for (const svc of server.objects('Service') as Obj[]) {
    const ips = [...((svc.spec?.clusterIPs as string[]) ?? []), ...((svc.spec?.externalIPs as string[]) ?? [])];
    for (const ip of ips) if (ip !== 'None') out.set(ip, `service ${svc.metadata.namespace}/${svc.metadata.name}`);
  }
  for (const node of server.objects('Node') as Obj[]) {
    for (const a of (node.status?.addresses ?? []) as { type: string; address: string }[]) {
      if (a.type === 'InternalIP' || a.type === 'ExternalIP') out.set(a.address, `node ${node.metadata.name}`);
    }
  }
  return out;
}

export function describeAnswer(index: ClusterIndex, ip: string, at: number): string {
  const e = index.lookup(parseIp(ip)!, at);
  if (e.kind === 'pod') return `pod ${e.namespace}/${e.name} ${e.workload?.kind}/${e.workload?.name}`;
  if (e.kind === 'service') return `service ${e.namespace}/${e.name}`;
  if (e.kind === 'node') return `node ${e.name}`;
  return e.kind;
}

/**
 * Differences between the index and the server for every address in `universe` (plus the oracle's), looked up
 * past the tombstone grace so deleted objects must be gone; [] once converged.
 */
export function differences(h: LiveHarness, universe: Iterable<string> = []): string[] {
  const expected = oracle(h.server);
  const at = Date.now() + GRACE_MS * 10;
  const diffs: string[] = [];
  for (const ip of new Set([...expected.keys(), ...universe])) {
    const want = expected.get(ip) ?? 'unknown';
    const got = describeAnswer(h.index, ip, at);
    if (got !== want) diffs.push(`${ip}: want ${want}, got ${got}`);
  }
  const stats = h.index.stats();
  const counts = { pods: h.server.objects('Pod').length, services: h.server.objects('Service').length };
  if (stats.pods !== counts.pods) diffs.push(`pods: want ${counts.pods}, index has ${stats.pods}`);
  if (stats.services !== counts.services) diffs.push(`services: want ${counts.services}, index has ${stats.services}`);
  return diffs;
}

/** waits until the index matches the server (the informers converge asynchronously) */
export async function converged(
  h: LiveHarness,
  universe: Iterable<string> = [],
  timeoutMs = 10_000,
): Promise<string[]> {
  const end = Date.now() + timeoutMs;
  let diffs = differences(h, universe);
  while (diffs.length && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    diffs = differences(h, universe);
  }
  return diffs;
}

export async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('Cannot wait longer: condition still false');
    await new Promise((r) => setTimeout(r, 10));
  }
}
