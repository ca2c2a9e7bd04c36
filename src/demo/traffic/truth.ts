/**
 * The ground truth of the simulated traffic: who called whom on which port, with exact (unsampled) counts, as
 * flowmap should report it at workload level. Fed with every activity; counts a connection once per 5-tuple.
 * @module
 */

import type { Mutable } from '../../core/mutable.js';
import type { Activity, Connection, Party } from './connection.js';

/** an edge end as flowmap names it at workload level */
export type TruthParty =
  | { readonly kind: 'workload'; readonly namespace: string; readonly name: string; readonly workloadKind: string }
  | { readonly kind: 'external'; readonly ip: string; readonly label?: string };

export interface TruthEdge {
  /** map node ids as core's mapNodeOf gives them ("workload:shop/Deployment/frontend", "external:<label>");
   * unlabelled external addresses are "external-ip:<ip>" (their name depends on the ASN data) */
  readonly clientId: string;
  readonly serverId: string;
  readonly client: TruthParty;
  readonly server: TruthParty;
  /** the port the server listens on (the Service's targetPort after DNAT) */
  readonly port: number;
  readonly ipProtocol: number;
  readonly connections: number;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Services the client addressed (before DNAT), "namespace/name" */
  readonly services: readonly string[];
  /** node exporters that saw this edge's traffic */
  readonly observers: readonly string[];
}

export interface Truth {
  add(activity: Activity): void;
  /** the edges seen so far, sorted by client, server, port */
  edges(): TruthEdge[];
  /** forget everything counted so far */
  reset(): void;
}

function partyOf(p: Party, labels: ReadonlyMap<string, string>): TruthParty {
  if (p.kind === 'external') {
    const label = labels.get(p.ip);
    return label ? { kind: 'external', ip: p.ip, label } : { kind: 'external', ip: p.ip };
  }
  const w = p.pod.workload;
  return { kind: 'workload', namespace: w.namespace, name: w.name, workloadKind: w.kind };
}

export function partyId(p: TruthParty): string {
  if (p.kind === 'workload') return `workload:${p.namespace}/${p.workloadKind}/${p.name}`;
  return p.label ? `external:${p.label}` : `external-ip:${p.ip}`;
}

type MutableEdge = Mutable<TruthEdge>;

/** `externalLabels`: external IP -> the CIDR label flowmap is configured with */
export function createTruth(externalLabels: ReadonlyMap<string, string> = new Map()): Truth {
  let edges = new Map<string, MutableEdge & { serviceSet: Set<string>; observerSet: Set<string> }>();
  let counted = new WeakSet<Connection>();
  return {
    add(a) {
      const c = a.conn;
      const client = partyOf(c.client, externalLabels);
      const server = partyOf(c.server, externalLabels);
      const clientId = partyId(client);
      const serverId = partyId(server);
      const key = `${clientId}|${serverId}|${c.serverPort}|${c.ipProtocol}`;
      let e = edges.get(key);
      if (!e) {
        e = {
          clientId,
          serverId,
          client,
          server,
          port: c.serverPort,
          ipProtocol: c.ipProtocol,
          connections: 0,
          bytesToServer: 0,
          bytesToClient: 0,
          packetsToServer: 0,
          packetsToClient: 0,
          firstSeen: a.at,
          lastSeen: a.at,
          services: [],
          observers: [],
          serviceSet: new Set(),
          observerSet: new Set(),
        };
        edges.set(key, e);
      }
      if (!counted.has(c)) {
        counted.add(c);
        e.connections++;
      }
      if (a.toServer) {
        e.bytesToServer += a.bytes;
        e.packetsToServer += a.packets;
      } else {
        e.bytesToClient += a.bytes;
        e.packetsToClient += a.packets;
      }
      e.firstSeen = Math.min(e.firstSeen, a.at);
      e.lastSeen = Math.max(e.lastSeen, a.at);
      if (c.service) e.serviceSet.add(`${c.service.service.namespace}/${c.service.service.spec.name}`);
      for (const party of [c.client, c.server]) if (party.kind === 'pod') e.observerSet.add(party.pod.node.name);
    },
    edges() {
      return [...edges.values()]
        .map(({ serviceSet, observerSet, ...e }) => ({
          ...e,
          services: [...serviceSet].sort(),
          observers: [...observerSet].sort(),
        }))
        .sort(
          (a, b) => a.clientId.localeCompare(b.clientId) || a.serverId.localeCompare(b.serverId) || a.port - b.port,
        );
    },
    reset() {
      edges = new Map();
      counted = new WeakSet();
    },
  };
}
