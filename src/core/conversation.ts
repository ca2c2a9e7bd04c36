/**
 * Flows after enrichment and orientation: who is the client, who is the server.
 * @module
 */
import type { Endpoint } from './endpoint.js';
import type { FlowRecord, IpAddress } from './flow.js';

/** a flow with both addresses resolved; `src`/`dst` follow the record, not the conversation */
export interface EnrichedFlow {
  readonly flow: FlowRecord;
  readonly src: Endpoint;
  readonly dst: Endpoint;
}

/**
 * What decided which side is the server, strongest first. Never "SYN present": v9/IPFIX flags are a
 * cumulative OR, so only SYN without ACK (or initialTcpFlags) proves the opener.
 */
export type OrientationEvidence =
  | 'tcp-handshake' // a record whose flags are SYN without ACK opened the connection
  | 'biflow' // the exporter paired both directions and named the initiator (RFC 5103)
  | 'flow-pairing' // A->B and B->A records of one 5-tuple: the earlier start is the client
  | 'service-port' // the server side is a Service (ClusterIP) port
  | 'container-port' // the server side declares the port (containerPort / host-network pod port)
  | 'port-heuristic' // well-known or lower port versus ephemeral port
  | 'unknown';

/** one conversation fragment, oriented; counts are scaled by the sampling rate */
export interface OrientedFlow {
  /** the record this fragment came from (a biflow record carries both directions) */
  readonly flow: FlowRecord;
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientAddr: IpAddress;
  readonly serverAddr: IpAddress;
  readonly clientPort: number;
  readonly serverPort: number;
  readonly ipProtocol: number;
  /** the Service the client addressed before DNAT, when known; the server is then its backing pod */
  readonly service?: Endpoint | undefined;
  readonly evidence: OrientationEvidence;
  readonly bytesToServer: number;
  readonly bytesToClient: number;
  readonly packetsToServer: number;
  readonly packetsToClient: number;
  /** connections this fragment opened (distinct 5-tuples): 0 for a continuation of an already counted one */
  readonly connections: number;
  readonly start: number;
  readonly end: number;
}
