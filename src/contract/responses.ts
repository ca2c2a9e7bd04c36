/**
 * Response bodies of /api/v1. The server builds them; the web UI reads them. Times are epoch ms.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { GroupLevel, MapNode } from '../core/edge.js';

/** traffic summed over a node's edges in the range */
export interface NodeTotals {
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly packetsIn: number;
  readonly packetsOut: number;
  readonly connectionsIn: number;
  readonly connectionsOut: number;
}

export interface GraphNode extends MapNode {
  /** the island the UI draws the node in: "namespace:<ns>", "cluster" (nodes), "external" or "unknown" */
  readonly group: string;
  readonly totals: NodeTotals;
}

/** one client -> server edge summed over the range; `source` is the client, `target` the server */
export interface GraphEdge {
  /** unique in the response: `${source}->${target}:${port}/${protocol}` */
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly port: number;
  readonly ipProtocol: number;
  /** "TCP", "UDP", ... */
  readonly protocol: string;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  readonly connections: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly evidence: OrientationEvidence;
  readonly services?: readonly string[];
}

export interface GraphResponse {
  readonly from: number;
  readonly to: number;
  readonly level: GroupLevel;
  readonly nodes: readonly GraphNode[];
  /** every source and target is in `nodes` */
  readonly edges: readonly GraphEdge[];
  /** true when limits cut the answer (nodes grouped or edges dropped) */
  readonly truncated: boolean;
}

export interface SeriesPoint {
  /** bucket start */
  readonly t: number;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  readonly connections: number;
}

export interface EdgeSeriesResponse {
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly points: readonly SeriesPoint[];
}

export interface NodeSeriesPoint extends NodeTotals {
  readonly t: number;
}

export interface NodeSeriesResponse {
  readonly from: number;
  readonly to: number;
  readonly step: number;
  readonly node: GraphNode | null;
  readonly points: readonly NodeSeriesPoint[];
}

/** one row of a namespace's flow matrix: `local` is inside the namespace, `peer` is the other side */
export interface MatrixRow {
  readonly local: MapNode;
  readonly peer: MapNode;
  readonly port: number;
  readonly protocol: string;
  readonly bytes: number;
  readonly packets: number;
  readonly connections: number;
  readonly lastSeen: number;
}

export interface MatrixResponse {
  readonly namespace: string;
  readonly from: number;
  readonly to: number;
  /** peers calling into the namespace (local is the server) */
  readonly incoming: readonly MatrixRow[];
  /** calls leaving the namespace (local is the client) */
  readonly outgoing: readonly MatrixRow[];
}

export interface TopResponse {
  readonly from: number;
  readonly to: number;
  readonly by: 'bytes' | 'packets' | 'connections';
  readonly edges: readonly GraphEdge[];
  readonly nodes: readonly GraphNode[];
}

export interface ExternalEndpoint {
  readonly node: MapNode;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly connections: number;
  /** ids of the cluster nodes that talked to it */
  readonly peers: readonly string[];
  readonly firstSeen: number;
  readonly lastSeen: number;
}

export interface ExternalsResponse {
  readonly from: number;
  readonly to: number;
  readonly endpoints: readonly ExternalEndpoint[];
}

export interface TimelinePoint {
  readonly t: number;
  readonly bytes: number;
  readonly connections: number;
}

/** overall traffic per bucket, for the UI's time scrubber */
export interface TimelineResponse {
  readonly from: number;
  readonly to: number;
  readonly step: number;
  /** the oldest data the store holds, or null when empty */
  readonly earliest: number | null;
  readonly points: readonly TimelinePoint[];
}

export interface ExporterStatus {
  readonly address: string;
  readonly protocol: string;
  readonly packets: number;
  readonly records: number;
  readonly lastSeen: number;
}

export interface StatusResponse {
  readonly version: string;
  readonly startedAt: number;
  readonly exporters: readonly ExporterStatus[];
  readonly recordsPerSecond: number;
  readonly kubernetes: {
    readonly source: 'api' | 'snapshot' | 'none';
    readonly synced: boolean;
    readonly error?: string;
  };
  /** edges in the currently open bucket */
  readonly liveEdges: number;
}

/** body of every 4xx/5xx answer */
export interface ErrorResponse {
  readonly error: string;
  readonly message: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
}
