/**
 * Kubernetes NetworkPolicies from observed edges: one ingress policy per server workload, allowing exactly the
 * clients seen, on the ports seen.
 *
 * What a NetworkPolicy cannot express, and is therefore listed in `notes` instead:
 * - clients that are nodes or host-network pods (kubelet probes, node agents): selectors match pods only, and
 *   whether node traffic is subject to policies depends on the CNI; with `cidrsFor` they become ipBlocks;
 * - external clients named by a CIDR label or ASN (the edge does not carry their CIDRs) unless `cidrsFor` gives
 *   them; unknown addresses become /32 (/128) ipBlocks;
 * - protocols other than TCP, UDP and SCTP (ICMP), and port 0;
 * - servers that are Services (no backend view was seen): the policy must select the backing pods;
 * - pod-level nodes (policies select workloads' pods by label).
 * Egress is not generated: only ingress policies on the servers.
 * @module
 */
import type { Edge, MapNode } from '../core/edge.js';
import { ipProtocolName } from '../core/flow.js';
import { describeNode, objectName } from './describe.js';
import { toYamlStream } from './yaml.js';

export type Labels = Readonly<Record<string, string>>;

export interface NetworkPolicyOptions {
  /** the labels selecting a workload's pods; default `{ [selectorLabel]: <workload name> }` (marked as assumed) */
  readonly selectorFor?: (node: MapNode) => Labels | undefined;
  /** the label the default selector uses; default 'app.kubernetes.io/name' */
  readonly selectorLabel?: string;
  /** CIDRs standing for a peer that is not a pod (external label or ASN, node); unknown IPs need none */
  readonly cidrsFor?: (node: MapNode) => readonly string[] | undefined;
}

export interface PolicyPort {
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export type PolicyPeer =
  | { readonly podSelector: { readonly matchLabels: Labels } }
  | {
      readonly namespaceSelector: { readonly matchLabels: Labels };
      readonly podSelector: { readonly matchLabels: Labels };
    }
  | { readonly ipBlock: { readonly cidr: string } };

export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: {
    readonly name: string;
    readonly namespace: string;
    readonly labels: Labels;
    readonly annotations: Labels;
  };
  readonly spec: {
    readonly podSelector: { readonly matchLabels: Labels };
    readonly policyTypes: readonly ['Ingress'];
    readonly ingress: readonly { readonly from: readonly PolicyPeer[]; readonly ports: readonly PolicyPort[] }[];
  };
}

export interface NetworkPolicies {
  readonly policies: readonly NetworkPolicy[];
  /** what could not be expressed, one sentence each */
  readonly notes: readonly string[];
}

const NAMESPACE_LABEL = 'kubernetes.io/metadata.name';
const POLICY_PROTOCOLS: Readonly<Record<number, PolicyPort['protocol']>> = { 6: 'TCP', 17: 'UDP', 132: 'SCTP' };

/** builds the policies (sorted by namespace and name) and the notes on what they leave out */
export function buildNetworkPolicies(edges: readonly Edge[], options: NetworkPolicyOptions = {}): NetworkPolicies {
  const notes: string[] = [];
  const byServer = new Map<string, Edge[]>();
  for (const e of edges) {
    if (e.server.kind !== 'workload') {
      if (e.server.kind === 'service' || e.server.kind === 'pod') {
        notes.push(
          `${describeNode(e.server)} on ${portText(e)}: no policy (${e.server.kind} servers are not selectable)`,
        );
      }
      continue;
    }
    const list = byServer.get(e.serverId);
    if (list) list.push(e);
    else byServer.set(e.serverId, [e]);
  }
  const policies = [...byServer.values()].map((list) => policyFor(list, options, notes));
  policies.sort((a, b) =>
    a.metadata.namespace === b.metadata.namespace
      ? a.metadata.name.localeCompare(b.metadata.name)
      : a.metadata.namespace.localeCompare(b.metadata.namespace),
  );
  return { policies, notes };
}

/** the policies as a YAML stream, notes as leading comments */
export function renderNetworkPolicies(edges: readonly Edge[], options: NetworkPolicyOptions = {}): string {
  const { policies, notes } = buildNetworkPolicies(edges, options);
  const comments = notes.length ? ['flowmap could not express:', ...notes.map((n) => `- ${n}`)] : [];
  return toYamlStream(policies, comments);
}

function portText(e: Edge): string {
  return `${e.port}/${ipProtocolName(e.ipProtocol)}`;
}

function policyFor(edges: readonly Edge[], options: NetworkPolicyOptions, notes: string[]): NetworkPolicy {
  const server = edges[0]!.server;
  const assumed = { any: false };
  const serverLabels = selector(server, options, assumed);
  const rules = new Map<string, { from: PolicyPeer[]; ports: PolicyPort[] }>();
  for (const e of edges) {
    const protocol = POLICY_PROTOCOLS[e.ipProtocol];
    if (protocol === undefined || e.port === 0) {
      notes.push(`${describeNode(e.client)} -> ${describeNode(server)} on ${portText(e)}: not a policy port`);
      continue;
    }
    const from = peersFor(e.client, server, options, assumed);
    if (from === undefined) {
      notes.push(`${describeNode(e.client)} -> ${describeNode(server)} on ${portText(e)}: peer not selectable`);
      continue;
    }
    const rule = rules.get(e.clientId) ?? { from, ports: [] };
    rule.ports.push({ port: e.port, protocol });
    rules.set(e.clientId, rule);
  }
  const ingress = [...rules.keys()].sort().map((id) => {
    const rule = rules.get(id)!;
    return { from: rule.from, ports: rule.ports.sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : 1)) };
  });
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {
      name: objectName('flowmap', server.workloadKind, server.name),
      namespace: server.namespace,
      labels: { 'app.kubernetes.io/managed-by': 'flowmap' },
      annotations: {
        'flowmap.io/workload': `${server.workloadKind}/${server.name}`,
        ...(assumed.any ? { 'flowmap.io/selector': 'assumed' } : {}),
      },
    },
    spec: { podSelector: { matchLabels: serverLabels }, policyTypes: ['Ingress'], ingress },
  };
}

/** the pod labels of a workload; sets `assumed.any` when the default stood in */
function selector(node: MapNode, options: NetworkPolicyOptions, assumed: { any: boolean }): Labels {
  const labels = options.selectorFor?.(node);
  if (labels !== undefined) return labels;
  assumed.any = true;
  return { [options.selectorLabel ?? 'app.kubernetes.io/name']: node.name };
}

function peersFor(
  client: MapNode,
  server: MapNode,
  options: NetworkPolicyOptions,
  assumed: { any: boolean },
): PolicyPeer[] | undefined {
  if (client.kind === 'workload') {
    const podSelector = { matchLabels: selector(client, options, assumed) };
    if (client.namespace === server.namespace) return [{ podSelector }];
    return [{ namespaceSelector: { matchLabels: { [NAMESPACE_LABEL]: client.namespace } }, podSelector }];
  }
  const cidrs = options.cidrsFor?.(client) ?? (client.kind === 'unknown' && client.ip ? [hostCidr(client.ip)] : []);
  if (cidrs.length === 0) return undefined;
  return cidrs.map((cidr) => ({ ipBlock: { cidr } }));
}

function hostCidr(ip: string): string {
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}
