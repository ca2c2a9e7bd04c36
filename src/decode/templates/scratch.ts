/**
 * The per-record working area of the fast path: every field a plan action can set, reset before each record.
 * One instance per decoder, reused for every record (no allocation per field).
 * @module
 */
import type { IpAddress } from '../../core/flow.js';
import { ipv6FromBytes } from '../../core/ip.js';
import { readCounter, readNtpMs, readUint } from '../cursor.js';
import { Action } from './actions.js';

/** -1 marks "not in this record" for every numeric field */
export class Scratch {
  src: IpAddress = -1;
  dst: IpAddress = -1;
  srcPort = 0;
  dstPort = 0;
  proto = 0;
  tcpFlags = -1;
  initialFlags = -1;
  unionFlags = -1;
  bytes = -1;
  packets = -1;
  bytesTotal = -1;
  packetsTotal = -1;
  bytesPost = -1;
  packetsPost = -1;
  initiatorOctets = -1;
  responderOctets = -1;
  initiatorPackets = -1;
  responderPackets = -1;
  startMs = -1;
  endMs = -1;
  startUptime = -1;
  endUptime = -1;
  startDeltaUs = -1;
  endDeltaUs = -1;
  durationMs = -1;
  sysInitMs = -1;
  observationMs = -1;
  samplingInterval = -1;
  samplerRandomInterval = -1;
  samplingPacketInterval = -1;
  samplingPacketSpace = -1;
  samplerId = -1;
  flowDirection = -1;
  biflowDirection = -1;
  revBytes = -1;
  revPackets = -1;
  revBytesTotal = -1;
  revPacketsTotal = -1;
  revFlags = -1;
  revInitialFlags = -1;
  revUnionFlags = -1;
  natSrc: IpAddress = -1;
  natDst: IpAddress = -1;
  natSrcPort = -1;
  natDstPort = -1;

  reset(): void {
    this.src = -1;
    this.dst = -1;
    this.srcPort = 0;
    this.dstPort = 0;
    this.proto = 0;
    this.tcpFlags = -1;
    this.initialFlags = -1;
    this.unionFlags = -1;
    this.bytes = -1;
    this.packets = -1;
    this.bytesTotal = -1;
    this.packetsTotal = -1;
    this.bytesPost = -1;
    this.packetsPost = -1;
    this.initiatorOctets = -1;
    this.responderOctets = -1;
    this.initiatorPackets = -1;
    this.responderPackets = -1;
    this.startMs = -1;
    this.endMs = -1;
    this.startUptime = -1;
    this.endUptime = -1;
    this.startDeltaUs = -1;
    this.endDeltaUs = -1;
    this.durationMs = -1;
    this.sysInitMs = -1;
    this.observationMs = -1;
    this.samplingInterval = -1;
    this.samplerRandomInterval = -1;
    this.samplingPacketInterval = -1;
    this.samplingPacketSpace = -1;
    this.samplerId = -1;
    this.flowDirection = -1;
    this.biflowDirection = -1;
    this.revBytes = -1;
    this.revPackets = -1;
    this.revBytesTotal = -1;
    this.revPacketsTotal = -1;
    this.revFlags = -1;
    this.revInitialFlags = -1;
    this.revUnionFlags = -1;
    this.natSrc = -1;
    this.natDst = -1;
    this.natSrcPort = -1;
    this.natDstPort = -1;
  }
}

/**
 * Reads one field into the scratch. `[pos, pos + len)` is inside the packet (the caller checked the record bounds)
 * and `len` fits the action (checked when the template was compiled, or by the caller for variable lengths).
 * One flat switch over dense action codes (a jump table): the decoders' hottest function, longer than the house
 * limit on purpose (see decoder.bench.ts).
 */
export function applyField(
  view: DataView,
  bytes: Uint8Array,
  pos: number,
  len: number,
  action: number,
  s: Scratch,
): void {
  switch (action) {
    case Action.SRC_V4:
      s.src = view.getUint32(pos);
      return;
    case Action.DST_V4:
      s.dst = view.getUint32(pos);
      return;
    case Action.SRC_V6:
      s.src = ipv6FromBytes(bytes, pos);
      return;
    case Action.DST_V6:
      s.dst = ipv6FromBytes(bytes, pos);
      return;
    case Action.SRC_PORT:
      s.srcPort = len === 2 ? view.getUint16(pos) : readUint(view, pos, len);
      return;
    case Action.DST_PORT:
      s.dstPort = len === 2 ? view.getUint16(pos) : readUint(view, pos, len);
      return;
    case Action.PROTO:
      s.proto = len === 1 ? view.getUint8(pos) : readUint(view, pos, len);
      return;
    case Action.TCP_FLAGS:
      s.tcpFlags = len === 1 ? view.getUint8(pos) : readUint(view, pos, len);
      return;
    case Action.BYTES:
      s.bytes = len === 4 ? view.getUint32(pos) : readCounter(view, pos, len);
      return;
    case Action.PACKETS:
      s.packets = len === 4 ? view.getUint32(pos) : readCounter(view, pos, len);
      return;
    case Action.BYTES_TOTAL:
      s.bytesTotal = readCounter(view, pos, len);
      return;
    case Action.PACKETS_TOTAL:
      s.packetsTotal = readCounter(view, pos, len);
      return;
    case Action.BYTES_POST:
      s.bytesPost = readCounter(view, pos, len);
      return;
    case Action.PACKETS_POST:
      s.packetsPost = readCounter(view, pos, len);
      return;
    case Action.INITIATOR_OCTETS:
      s.initiatorOctets = readCounter(view, pos, len);
      return;
    case Action.RESPONDER_OCTETS:
      s.responderOctets = readCounter(view, pos, len);
      return;
    case Action.INITIATOR_PACKETS:
      s.initiatorPackets = readCounter(view, pos, len);
      return;
    case Action.RESPONDER_PACKETS:
      s.responderPackets = readCounter(view, pos, len);
      return;
    case Action.START_SEC:
      s.startMs = readUint(view, pos, len) * 1000;
      return;
    case Action.END_SEC:
      s.endMs = readUint(view, pos, len) * 1000;
      return;
    case Action.START_MS:
      s.startMs = readCounter(view, pos, len);
      return;
    case Action.END_MS:
      s.endMs = readCounter(view, pos, len);
      return;
    case Action.START_NTP:
      s.startMs = readNtpMs(view, pos);
      return;
    case Action.END_NTP:
      s.endMs = readNtpMs(view, pos);
      return;
    case Action.START_UPTIME:
      s.startUptime = len === 4 ? view.getUint32(pos) : readUint(view, pos, len);
      return;
    case Action.END_UPTIME:
      s.endUptime = len === 4 ? view.getUint32(pos) : readUint(view, pos, len);
      return;
    case Action.START_DELTA_US:
      s.startDeltaUs = readCounter(view, pos, len);
      return;
    case Action.END_DELTA_US:
      s.endDeltaUs = readCounter(view, pos, len);
      return;
    case Action.DURATION_MS:
      s.durationMs = readCounter(view, pos, len);
      return;
    case Action.DURATION_US:
      s.durationMs = Math.floor(readCounter(view, pos, len) / 1000);
      return;
    case Action.SYS_INIT_MS:
      s.sysInitMs = readCounter(view, pos, len);
      return;
    case Action.OBSERVATION_MS:
      s.observationMs = readCounter(view, pos, len);
      return;
    case Action.SAMPLING_INTERVAL:
      s.samplingInterval = readCounter(view, pos, len);
      return;
    case Action.SAMPLER_RANDOM_INTERVAL:
      s.samplerRandomInterval = readCounter(view, pos, len);
      return;
    case Action.SAMPLING_PACKET_INTERVAL:
      s.samplingPacketInterval = readCounter(view, pos, len);
      return;
    case Action.SAMPLING_PACKET_SPACE:
      s.samplingPacketSpace = readCounter(view, pos, len);
      return;
    case Action.SAMPLER_ID:
      s.samplerId = readCounter(view, pos, len);
      return;
    case Action.FLOW_DIRECTION:
      s.flowDirection = readUint(view, pos, len);
      return;
    case Action.BIFLOW_DIRECTION:
      s.biflowDirection = readUint(view, pos, len);
      return;
    case Action.REV_BYTES:
      s.revBytes = readCounter(view, pos, len);
      return;
    case Action.REV_PACKETS:
      s.revPackets = readCounter(view, pos, len);
      return;
    case Action.REV_BYTES_TOTAL:
      s.revBytesTotal = readCounter(view, pos, len);
      return;
    case Action.REV_PACKETS_TOTAL:
      s.revPacketsTotal = readCounter(view, pos, len);
      return;
    case Action.REV_TCP_FLAGS:
      s.revFlags = readUint(view, pos, len);
      return;
    case Action.INITIAL_TCP_FLAGS:
      s.initialFlags = readUint(view, pos, len);
      return;
    case Action.UNION_TCP_FLAGS:
      s.unionFlags = readUint(view, pos, len);
      return;
    case Action.REV_INITIAL_TCP_FLAGS:
      s.revInitialFlags = readUint(view, pos, len);
      return;
    case Action.REV_UNION_TCP_FLAGS:
      s.revUnionFlags = readUint(view, pos, len);
      return;
    case Action.NAT_SRC_V4:
      s.natSrc = view.getUint32(pos);
      return;
    case Action.NAT_DST_V4:
      s.natDst = view.getUint32(pos);
      return;
    case Action.NAT_SRC_V6:
      s.natSrc = ipv6FromBytes(bytes, pos);
      return;
    case Action.NAT_DST_V6:
      s.natDst = ipv6FromBytes(bytes, pos);
      return;
    case Action.NAT_SRC_PORT:
      s.natSrcPort = readUint(view, pos, len);
      return;
    case Action.NAT_DST_PORT:
      s.natDstPort = readUint(view, pos, len);
      return;
  }
}
