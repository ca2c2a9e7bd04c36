/**
 * The flow fields user-defined metrics can label, filter and count by. One table drives the config schema, the
 * docs and the runtime, so a field documented is a field that works.
 * @module
 */
import type { OrientedFlow } from '../../core/conversation.js';
import { type Endpoint, serviceName } from '../../core/endpoint.js';
import { ipProtocolName, TCP_FLAG } from '../../core/flow.js';
import { formatIp } from '../../core/ip.js';
import type { EndpointLabels } from './endpoint-labels.js';

/** which direction of a conversation fragment a view looks at */
export type Direction = 'to_server' | 'to_client';

/** what a field getter sees: the flow and the direction of the current view */
export interface FieldContext {
  readonly flow: OrientedFlow;
  readonly direction: Direction;
  readonly labels: EndpointLabels;
}

type Getter = (c: FieldContext) => string | undefined;

function side(pick: (f: OrientedFlow) => [Endpoint, OrientedFlow['clientAddr']], prefix: string) {
  const node = (c: FieldContext) => {
    const [endpoint, addr] = pick(c.flow);
    return c.labels.node(endpoint, addr);
  };
  const endpoint = (c: FieldContext) => pick(c.flow)[0];
  const fields: Record<string, [Getter, string]> = {
    [`${prefix}Namespace`]: [
      (c) => node(c).namespace,
      `namespace of the ${prefix} ('' for nodes and outside the cluster)`,
    ],
    [`${prefix}Name`]: [
      (c) => node(c).name,
      `${prefix} name at workload level (workload, Service, node, CIDR label or organisation, or IP)`,
    ],
    [`${prefix}Kind`]: [
      (c) => node(c).kind,
      `${prefix} kind (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, Service, Node, external, unknown)`,
    ],
    [`${prefix}Workload`]: [(c) => endpoint(c).workload?.name, `name of the ${prefix} pod's workload (pods only)`],
    [`${prefix}Pod`]: [
      (c) => (endpoint(c).kind === 'pod' ? endpoint(c).name : undefined),
      `${prefix} pod name (pods only)`,
    ],
    [`${prefix}Node`]: [
      (c) => {
        const e = endpoint(c);
        return e.kind === 'node' ? e.name : e.node;
      },
      `node the ${prefix} pod runs on, or the node itself`,
    ],
    [`${prefix}Ip`]: [(c) => formatIp(pick(c.flow)[1]), `${prefix} IP address`],
  };
  return fields;
}

const TCP_FLAG_NAMES = Object.entries(TCP_FLAG) as [string, number][];

/** TCP flags of the fragment (both directions of a biflow), in bit order: FIN, SYN, RST, PSH, ACK, URG, ECE, CWR */
export function tcpFlagNames(f: OrientedFlow): string[] {
  const bits = f.flow.tcpFlags | (f.flow.reverse?.tcpFlags ?? 0);
  const out: string[] = [];
  for (const [name, bit] of TCP_FLAG_NAMES) if (bits & bit) out.push(name);
  return out;
}

const SCALAR: Record<string, [Getter, string]> = {
  ...side((f) => [f.client, f.clientAddr], 'client'),
  ...side((f) => [f.server, f.serverAddr], 'server'),
  clientPort: [(c) => String(c.flow.clientPort), 'client port (usually ephemeral)'],
  serverPort: [(c) => String(c.flow.serverPort), 'server port'],
  protocol: [(c) => ipProtocolName(c.flow.ipProtocol), 'IP protocol: TCP, UDP, ICMP, ICMPv6, SCTP or the number'],
  service: [
    (c) => (c.flow.service ? serviceName(c.flow.service) : undefined),
    'the Service the client addressed before DNAT, "namespace/name"',
  ],
  exporter: [(c) => c.flow.flow.exporter, 'the exporter that reported the record'],
  exportProtocol: [(c) => c.flow.flow.protocol, 'wire format: netflow-v5, netflow-v9, ipfix, sflow'],
  evidence: [
    (c) => c.flow.evidence,
    'what decided the direction (tcp-handshake, biflow, flow-pairing, service-port, container-port, port-heuristic, unknown)',
  ],
  flowDirection: [(c) => c.flow.flow.flowDirection, "the exporter's ingress/egress flag (IE 61), when exported"],
  direction: [
    (c) => c.direction,
    'to_server or to_client: using it (as label or filter) splits every flow into its two directions',
  ],
};

/** field name -> one-line meaning (docs and schema) */
export const FLOW_FIELDS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(SCALAR).map(([k, [, doc]]) => [k, doc])),
  tcpFlags:
    'list: TCP flags seen (FIN, SYN, RST, PSH, ACK, URG, ECE, CWR); as a label the names joined by ",", or one series per flag with flatten',
};

export const FLOW_FIELD_NAMES = Object.keys(FLOW_FIELDS) as [string, ...string[]];

/** the label name of a field unless remapped: snake_case of the field name (clientNamespace -> client_namespace) */
export function defaultLabelName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** fields holding a list of values (flattenable) */
export const LIST_FIELDS = ['tcpFlags'] as const;

/** a field's value for one view: text, a list (tcpFlags), or undefined when absent */
export function fieldValue(name: string, c: FieldContext): string | readonly string[] | undefined {
  if (name === 'tcpFlags') return tcpFlagNames(c.flow);
  return SCALAR[name]?.[0](c);
}

/** what a user metric counts per flow view */
export const VALUE_FIELDS = {
  none: '1 per flow (per direction when `direction` is used): a count of flow fragments',
  bytes: "bytes in both directions (the view's direction when `direction` is used)",
  packets: "packets in both directions (the view's direction when `direction` is used)",
  bytesToServer: 'bytes client -> server',
  bytesToClient: 'bytes server -> client',
  packetsToServer: 'packets client -> server',
  packetsToClient: 'packets server -> client',
  connections: 'connections opened (distinct 5-tuples); counted on the to_server view only',
  durationSeconds: 'flow duration (end - start) in seconds',
  samplingRate: "the exporter's sampling rate (1 when unsampled)",
} as const;
export type ValueField = keyof typeof VALUE_FIELDS;
export const VALUE_FIELD_NAMES = Object.keys(VALUE_FIELDS) as [ValueField, ...ValueField[]];

/** the number a view contributes; `split` is true when the metric splits flows by direction */
export function flowValue(field: ValueField, c: FieldContext, split: boolean): number {
  const f = c.flow;
  const toServer = c.direction === 'to_server';
  switch (field) {
    case 'none':
      return 1;
    case 'bytes':
      return split ? (toServer ? f.bytesToServer : f.bytesToClient) : f.bytesToServer + f.bytesToClient;
    case 'packets':
      return split ? (toServer ? f.packetsToServer : f.packetsToClient) : f.packetsToServer + f.packetsToClient;
    case 'bytesToServer':
      return f.bytesToServer;
    case 'bytesToClient':
      return f.bytesToClient;
    case 'packetsToServer':
      return f.packetsToServer;
    case 'packetsToClient':
      return f.packetsToClient;
    case 'connections':
      return toServer ? f.connections : 0;
    case 'durationSeconds':
      return Math.max(0, f.end - f.start) / 1000;
    case 'samplingRate':
      return f.flow.samplingRate;
  }
}
