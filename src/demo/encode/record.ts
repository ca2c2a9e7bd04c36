/**
 * What an exporter knows about one flow when it exports it; the encoders turn it into template fields.
 * @module
 */
import type { IpAddress } from '../../core/flow.js';

/** the reverse direction of an RFC 5103 biflow record */
export interface ExportReverse {
  readonly bytes: number;
  readonly packets: number;
  readonly tcpFlags: number;
}

/**
 * One flow record as an exporter reports it. Counters are what the exporter counted (already thinned when the
 * exporter samples). Times are epoch ms; the v9 encoder turns them into sysUptime-relative values.
 */
export interface ExportRecord {
  readonly srcAddr: IpAddress;
  readonly dstAddr: IpAddress;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ipProtocol: number;
  /** cumulative OR of the flow's TCP flags; 0 for other protocols */
  readonly tcpFlags: number;
  readonly bytes: number;
  readonly packets: number;
  readonly start: number;
  readonly end: number;
  readonly tos?: number;
  readonly inputIf?: number;
  readonly outputIf?: number;
  /** IPv4 number or IPv6 text, matching the address family of srcAddr; 0 / '::' when absent */
  readonly nextHop?: IpAddress;
  /** IANA flowEndReason: 1 idle timeout, 2 active timeout, 3 end of flow detected, 4 forced end */
  readonly flowEndReason?: number;
  /** biflow encoders only: the dst -> src direction */
  readonly reverse?: ExportReverse;
  /** biflow encoders only: IANA biflowDirection (1 initiator) */
  readonly biflowDirection?: number;
}

/** address family of a record: IPv4 numbers versus IPv6 text */
export function isIpv6Record(record: ExportRecord): boolean {
  return typeof record.srcAddr === 'string';
}
