/**
 * Building OrientedFlows: counts per direction, scaled by the sampling rate.
 * @module
 */
import type { OrientationEvidence, OrientedFlow } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';

/** one oriented fragment's identity: who is client and server, and what decided it */
export interface Orientation {
  readonly client: Endpoint;
  readonly server: Endpoint;
  readonly clientAddr: IpAddress;
  readonly serverAddr: IpAddress;
  readonly clientPort: number;
  readonly serverPort: number;
  readonly evidence: OrientationEvidence;
  /** the Service addressed before DNAT when the server is its backend */
  readonly service: Endpoint | undefined;
}

/**
 * The OrientedFlow of record `r`. `fromClient`: the record's forward direction goes client -> server. `fwd`/`rev`:
 * whether the forward / reverse (biflow) counters are counted (false when another exporter owns that direction).
 * Bytes and packets are multiplied by the record's sampling rate (0 or missing counts as 1).
 */
export function orientedFlow(
  r: FlowRecord,
  o: Orientation,
  fromClient: boolean,
  fwd: boolean,
  rev: boolean,
  connections: number,
): OrientedFlow {
  const scale = r.samplingRate > 0 ? r.samplingRate : 1;
  const fb = fwd ? r.bytes * scale : 0;
  const fp = fwd ? r.packets * scale : 0;
  const reverse = r.reverse;
  const rb = rev && reverse !== undefined ? reverse.bytes * scale : 0;
  const rp = rev && reverse !== undefined ? reverse.packets * scale : 0;
  const bytesToServer = fromClient ? fb : rb;
  const bytesToClient = fromClient ? rb : fb;
  const packetsToServer = fromClient ? fp : rp;
  const packetsToClient = fromClient ? rp : fp;
  const { client, server, clientAddr, serverAddr, clientPort, serverPort, evidence, service } = o;
  const ipProtocol = r.ipProtocol;
  const start = r.start;
  const end = r.end;
  // two literals rather than a spread: one object per record on the hot path
  if (service === undefined) {
    return {
      flow: r,
      client,
      server,
      clientAddr,
      serverAddr,
      clientPort,
      serverPort,
      ipProtocol,
      evidence,
      bytesToServer,
      bytesToClient,
      packetsToServer,
      packetsToClient,
      connections,
      start,
      end,
    };
  }
  return {
    flow: r,
    client,
    server,
    clientAddr,
    serverAddr,
    clientPort,
    serverPort,
    ipProtocol,
    service,
    evidence,
    bytesToServer,
    bytesToClient,
    packetsToServer,
    packetsToClient,
    connections,
    start,
    end,
  };
}
