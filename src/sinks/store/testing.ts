/**
 * Fixtures for tests of the store, the API and anything that needs edges: map nodes, edges, windows, a manual
 * clock and a store config with test-friendly defaults. Never imported by production code.
 * @module
 */
import type { Clock } from '../../core/clock.js';
import type { OrientationEvidence } from '../../core/conversation.js';
import type { Edge, EdgeCounters, EdgeWindow, GroupLevel, MapNode } from '../../core/edge.js';
import { type StoreConfig, type StoreConfigInput, storeConfig } from './config.js';

export const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

export function workloadNode(namespace: string, name: string, kind = 'Deployment'): MapNode {
  return { id: `workload:${namespace}/${kind}/${name}`, kind: 'workload', namespace, name, workloadKind: kind };
}

export function podNode(namespace: string, name: string, workloadKind = 'Deployment'): MapNode {
  return { id: `pod:${namespace}/${name}`, kind: 'pod', namespace, name, workloadKind, ip: '10.1.0.9' };
}

export function serviceNode(namespace: string, name: string): MapNode {
  return { id: `service:${namespace}/${name}`, kind: 'service', namespace, name, workloadKind: 'Service' };
}

export function hostNode(name: string): MapNode {
  return { id: `node:${name}`, kind: 'node', namespace: '', name, workloadKind: 'Node' };
}

export function externalNode(name: string, asn?: number): MapNode {
  const node: MapNode = { id: `external:${name}`, kind: 'external', namespace: '', name, workloadKind: '' };
  return asn === undefined ? { ...node, label: name } : { ...node, asn, org: name };
}

export function unknownNode(ip: string): MapNode {
  return { id: `unknown:${ip}`, kind: 'unknown', namespace: '', name: ip, workloadKind: '', ip };
}

export interface EdgeOptions extends Partial<EdgeCounters> {
  readonly ipProtocol?: number;
  readonly evidence?: OrientationEvidence;
  readonly services?: readonly string[];
}

/** an edge with simple default counters (bytes 1000/500, packets 10/5, 1 connection) */
export function makeEdge(client: MapNode, server: MapNode, port: number, o: EdgeOptions = {}): Edge {
  const edge: Edge = {
    clientId: client.id,
    serverId: server.id,
    port,
    ipProtocol: o.ipProtocol ?? 6,
    client,
    server,
    bytesToServer: o.bytesToServer ?? 1000,
    bytesToClient: o.bytesToClient ?? 500,
    packetsToServer: o.packetsToServer ?? 10,
    packetsToClient: o.packetsToClient ?? 5,
    connections: o.connections ?? 1,
    firstSeen: o.firstSeen ?? T0,
    lastSeen: o.lastSeen ?? T0,
    evidence: o.evidence ?? 'tcp-handshake',
  };
  return o.services ? { ...edge, services: o.services } : edge;
}

/** a one-minute window at `start` */
export function makeWindow(start: number, edges: readonly Edge[], level: GroupLevel = 'workload'): EdgeWindow {
  return { start, end: start + MIN, level, edges, dropped: 0 };
}

/** `edge` with first/last seen inside the minute starting at `start` and counters scaled by `factor` */
export function edgeAt(edge: Edge, start: number, factor = 1): Edge {
  return {
    ...edge,
    bytesToServer: edge.bytesToServer * factor,
    bytesToClient: edge.bytesToClient * factor,
    packetsToServer: edge.packetsToServer * factor,
    packetsToClient: edge.packetsToClient * factor,
    connections: edge.connections * factor,
    firstSeen: start + 1_000,
    lastSeen: start + 50_000,
  };
}

/** a clock tests move by hand */
export class ManualClock {
  constructor(public now: number = T0) {}
  readonly clock: Clock = () => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** a store config for tests: fast timers, small batches */
export function testStoreConfig(overrides: StoreConfigInput = {}): StoreConfig {
  return storeConfig.parse({
    maintenanceIntervalMs: 60_000,
    ...overrides,
    queue: { flushIntervalMs: 20, batchEdges: 500, ...overrides.queue },
  });
}

/** bytes of every edge in both directions */
export function totalBytes(edges: readonly { bytesToServer: number; bytesToClient: number }[]): number {
  return edges.reduce((n, e) => n + e.bytesToServer + e.bytesToClient, 0);
}
