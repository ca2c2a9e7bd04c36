/**
 * The Grafana node graph data contract: the fields the hamedkarbasi93-nodegraphapi-datasource plugin turns into
 * data-frame fields (`/api/graph/fields`), and the rows it adds to them (`/api/graph/data`). The plugin reads
 * `field_name`, `type` ("number" or anything else = string), `color` (fixed color, used for arc__ fields) and
 * `displayName`. Every row carries every field, so frames have no holes.
 * @module
 */
import type { GraphEdge, GraphNode, GraphResponse } from '../../contract/responses.js';
import { formatBytes, formatBytesRate, formatConnectionRate } from './format.js';

export interface FieldSpec {
  readonly field_name: string;
  readonly type: 'string' | 'number';
  readonly color?: string;
  readonly displayName?: string;
}

export const ARC_COLORS = { in: '#5794F2', out: '#FF9830' } as const;

const s = (field_name: string, displayName?: string): FieldSpec =>
  displayName ? { field_name, type: 'string', displayName } : { field_name, type: 'string' };

export const NODE_FIELDS: readonly FieldSpec[] = [
  s('id'),
  s('title'),
  s('subTitle'),
  s('mainStat'),
  s('secondaryStat'),
  { field_name: 'arc__in', type: 'number', color: ARC_COLORS.in, displayName: 'Traffic in' },
  { field_name: 'arc__out', type: 'number', color: ARC_COLORS.out, displayName: 'Traffic out' },
  s('detail__kind', 'Kind'),
  s('detail__namespace', 'Namespace'),
  s('detail__group', 'Group'),
  s('detail__bytes_in', 'Bytes in'),
  s('detail__bytes_out', 'Bytes out'),
  s('detail__connections_in', 'Connections in'),
  s('detail__connections_out', 'Connections out'),
  s('detail__address', 'Address'),
];

export const EDGE_FIELDS: readonly FieldSpec[] = [
  s('id'),
  s('source'),
  s('target'),
  s('mainStat'),
  s('secondaryStat'),
  s('detail__port', 'Port'),
  s('detail__protocol', 'Protocol'),
  s('detail__bytes_to_server', 'Bytes to server'),
  s('detail__bytes_to_client', 'Bytes to client'),
  s('detail__connections', 'Connections'),
  s('detail__first_seen', 'First seen'),
  s('detail__last_seen', 'Last seen'),
  s('detail__evidence', 'Direction evidence'),
  s('detail__services', 'Services'),
];

export type NodeRow = Record<string, string | number>;
export type EdgeRow = Record<string, string | number>;

function subTitle(n: GraphNode): string {
  if (n.kind === 'external') return n.asn === undefined ? 'external' : `external · AS${n.asn}`;
  if (n.kind === 'namespace') return 'namespace';
  if (n.namespace === '') return n.workloadKind || n.kind;
  return `${n.workloadKind || n.kind} · ${n.namespace}`;
}

function address(n: GraphNode): string {
  return n.ip ?? n.label ?? (n.asn !== undefined ? `AS${n.asn}${n.org ? ` ${n.org}` : ''}` : '');
}

export function nodeRow(n: GraphNode, seconds: number): NodeRow {
  const t = n.totals;
  const bytes = t.bytesIn + t.bytesOut;
  return {
    id: n.id,
    title: n.name,
    subTitle: subTitle(n),
    mainStat: formatBytesRate(bytes / seconds),
    secondaryStat: formatConnectionRate((t.connectionsIn + t.connectionsOut) / seconds),
    arc__in: bytes > 0 ? t.bytesIn / bytes : 0.5,
    arc__out: bytes > 0 ? t.bytesOut / bytes : 0.5,
    detail__kind: n.workloadKind || n.kind,
    detail__namespace: n.namespace,
    detail__group: n.group,
    detail__bytes_in: formatBytes(t.bytesIn),
    detail__bytes_out: formatBytes(t.bytesOut),
    detail__connections_in: String(t.connectionsIn),
    detail__connections_out: String(t.connectionsOut),
    detail__address: address(n),
  };
}

export function edgeRow(e: GraphEdge, seconds: number): EdgeRow {
  return {
    id: e.id,
    source: e.source,
    target: e.target,
    mainStat: formatBytesRate((e.bytesToServer + e.bytesToClient) / seconds),
    secondaryStat: `${e.port}/${e.protocol}`,
    detail__port: String(e.port),
    detail__protocol: e.protocol,
    detail__bytes_to_server: formatBytes(e.bytesToServer),
    detail__bytes_to_client: formatBytes(e.bytesToClient),
    detail__connections: String(e.connections),
    detail__first_seen: new Date(e.firstSeen).toISOString(),
    detail__last_seen: new Date(e.lastSeen).toISOString(),
    detail__evidence: e.evidence,
    detail__services: (e.services ?? []).join(', '),
  };
}

/** the /api/graph/data body */
export function nodeGraphData(g: GraphResponse): { nodes: NodeRow[]; edges: EdgeRow[] } {
  const seconds = Math.max(1, (g.to - g.from) / 1000);
  return { nodes: g.nodes.map((n) => nodeRow(n, seconds)), edges: g.edges.map((e) => edgeRow(e, seconds)) };
}

/** Infinity's node-graph format reads arc colors from `arc__<name>_color` columns */
export function infinityNodes(rows: readonly NodeRow[]): NodeRow[] {
  return rows.map((r) => Object.assign({}, r, { arc__in_color: ARC_COLORS.in, arc__out_color: ARC_COLORS.out }));
}
