/**
 * Otterize ClientIntents (k8s.otterize.com/v2) from observed edges: one per client workload, listing its targets.
 * Targets: workload servers as `kubernetes` targets (name qualified as "name.namespace" outside the client's
 * namespace, with their kind); Service servers (no backend view seen) as `service` targets; unknown addresses as
 * `internet` targets with their IP and ports. Left out, with a note: clients that are not workloads (nodes,
 * externals, unknown addresses, pods at pod level), and servers that are nodes or external names without an IP.
 * @module
 */
import type { Edge, MapNode } from '../core/edge.js';
import { describeNode, objectName } from './describe.js';
import { toYamlStream } from './yaml.js';

export type IntentTarget =
  | { readonly kubernetes: { readonly name: string; readonly kind: string } }
  | { readonly service: { readonly name: string } }
  | { readonly internet: { readonly ips: readonly string[]; readonly ports: readonly number[] } };

export interface ClientIntents {
  readonly apiVersion: 'k8s.otterize.com/v2';
  readonly kind: 'ClientIntents';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly workload: { readonly name: string; readonly kind: string };
    readonly targets: readonly IntentTarget[];
  };
}

export interface ClientIntentsResult {
  readonly intents: readonly ClientIntents[];
  readonly notes: readonly string[];
}

function qualified(client: MapNode, server: MapNode): string {
  return server.namespace === client.namespace ? server.name : `${server.name}.${server.namespace}`;
}

function targetOf(client: MapNode, e: Edge): [string, IntentTarget] | undefined {
  const s = e.server;
  switch (s.kind) {
    case 'workload':
      return [`k:${s.id}`, { kubernetes: { name: qualified(client, s), kind: s.workloadKind } }];
    case 'service':
      return [`s:${s.id}`, { service: { name: qualified(client, s) } }];
    case 'unknown':
      return s.ip === undefined ? undefined : [`i:${s.ip}`, { internet: { ips: [s.ip], ports: [e.port] } }];
    default:
      return undefined;
  }
}

/** builds one ClientIntents per client workload (sorted by namespace and name) and notes on what was left out */
export function buildClientIntents(edges: readonly Edge[]): ClientIntentsResult {
  const notes: string[] = [];
  const byClient = new Map<string, { client: MapNode; targets: Map<string, IntentTarget> }>();
  for (const e of edges) {
    if (e.client.kind !== 'workload') {
      notes.push(`${describeNode(e.client)}: not a workload, no ClientIntents`);
      continue;
    }
    const target = targetOf(e.client, e);
    if (target === undefined) {
      notes.push(`${describeNode(e.client)} -> ${describeNode(e.server)}: not expressible as a target`);
      continue;
    }
    const entry = byClient.get(e.clientId) ?? { client: e.client, targets: new Map() };
    byClient.set(e.clientId, entry);
    const [key, t] = target;
    const known = entry.targets.get(key);
    if (known !== undefined && 'internet' in known && 'internet' in t) {
      const ports = [...new Set([...known.internet.ports, ...t.internet.ports])].sort((a, b) => a - b);
      entry.targets.set(key, { internet: { ips: known.internet.ips, ports } });
    } else if (known === undefined) {
      entry.targets.set(key, t);
    }
  }
  const intents = [...byClient.values()].map(({ client, targets }) => ({
    apiVersion: 'k8s.otterize.com/v2' as const,
    kind: 'ClientIntents' as const,
    metadata: { name: objectName(client.name), namespace: client.namespace },
    spec: {
      workload: { name: client.name, kind: client.workloadKind },
      targets: [...targets.keys()].sort().map((k) => targets.get(k)!),
    },
  }));
  intents.sort((a, b) =>
    a.metadata.namespace === b.metadata.namespace
      ? a.metadata.name.localeCompare(b.metadata.name)
      : a.metadata.namespace.localeCompare(b.metadata.namespace),
  );
  return { intents, notes: [...new Set(notes)] };
}

/** the ClientIntents as a YAML stream, notes as leading comments */
export function renderClientIntents(edges: readonly Edge[]): string {
  const { intents, notes } = buildClientIntents(edges);
  const comments = notes.length ? ['flowmap could not express:', ...notes.map((n) => `- ${n}`)] : [];
  return toYamlStream(intents, comments);
}
