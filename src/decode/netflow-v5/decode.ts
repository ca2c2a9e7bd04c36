/**
 * NetFlow v5: a 24-byte header and fixed 48-byte records. Several PDUs may follow each other in one payload
 * (netcat captures): each is decoded. A header count larger than the bytes present decodes the records that are
 * there and counts `truncated`. Sampling: the low 14 bits of the header sampling field are the interval.
 * @module
 */
import type { FlowRecord } from '../../core/flow.js';
import { formatIp } from '../../core/ip.js';
import type { DecodeCall, DecodeStats } from '../contracts.js';
import { allZero } from '../cursor.js';
import { countDrop } from '../templates/index.js';

export const V5_HEADER_LENGTH = 24;
export const V5_RECORD_LENGTH = 48;

interface V5Header {
  readonly exportMs: number;
  readonly sysUptime: number;
  readonly engineType: number;
  readonly engineId: number;
  readonly samplingMode: number;
  readonly samplingInterval: number;
}

function readHeader(view: DataView, pos: number): V5Header {
  const sampling = view.getUint16(pos + 22);
  return {
    sysUptime: view.getUint32(pos + 4),
    exportMs: view.getUint32(pos + 8) * 1000 + Math.floor(view.getUint32(pos + 12) / 1e6),
    engineType: view.getUint8(pos + 20),
    engineId: view.getUint8(pos + 21),
    samplingMode: sampling >>> 14,
    samplingInterval: sampling & 0x3fff,
  };
}

function readRecord(view: DataView, p: number, h: V5Header, call: DecodeCall): FlowRecord {
  return {
    exporter: call.exporter,
    protocol: 'netflow-v5',
    observationDomainId: 0,
    receivedAt: call.receivedAt,
    start: h.exportMs - ((h.sysUptime - view.getUint32(p + 24)) | 0),
    end: h.exportMs - ((h.sysUptime - view.getUint32(p + 28)) | 0),
    srcAddr: view.getUint32(p),
    dstAddr: view.getUint32(p + 4),
    srcPort: view.getUint16(p + 32),
    dstPort: view.getUint16(p + 34),
    ipProtocol: view.getUint8(p + 38),
    tcpFlags: view.getUint8(p + 37),
    bytes: view.getUint32(p + 20),
    packets: view.getUint32(p + 16),
    samplingRate: h.samplingInterval > 0 ? h.samplingInterval : 1,
  };
}

/** the verbose fields of one v5 record, named as the IANA elements they correspond to */
function recordFields(view: DataView, p: number, h: V5Header): Record<string, unknown> {
  return {
    sourceIPv4Address: formatIp(view.getUint32(p)),
    destinationIPv4Address: formatIp(view.getUint32(p + 4)),
    ipNextHopIPv4Address: formatIp(view.getUint32(p + 8)),
    ingressInterface: view.getUint16(p + 12),
    egressInterface: view.getUint16(p + 14),
    packetDeltaCount: view.getUint32(p + 16),
    octetDeltaCount: view.getUint32(p + 20),
    flowStartSysUpTime: view.getUint32(p + 24),
    flowEndSysUpTime: view.getUint32(p + 28),
    sourceTransportPort: view.getUint16(p + 32),
    destinationTransportPort: view.getUint16(p + 34),
    tcpControlBits: view.getUint8(p + 37),
    protocolIdentifier: view.getUint8(p + 38),
    ipClassOfService: view.getUint8(p + 39),
    bgpSourceAsNumber: view.getUint16(p + 40),
    bgpDestinationAsNumber: view.getUint16(p + 42),
    sourceIPv4PrefixLength: view.getUint8(p + 44),
    destinationIPv4PrefixLength: view.getUint8(p + 45),
    engineType: h.engineType,
    engineId: h.engineId,
    samplingAlgorithm: h.samplingMode,
    samplingInterval: h.samplingInterval,
  };
}

/** decodes every v5 PDU of one payload; never throws on bad input */
export function decodeNetflowV5(view: DataView, bytes: Uint8Array, call: DecodeCall, stats: DecodeStats): void {
  const length = bytes.length;
  let pos = 0;
  while (length - pos >= V5_HEADER_LENGTH && view.getUint16(pos) === 5) {
    const header = readHeader(view, pos);
    const count = view.getUint16(pos + 2);
    const present = Math.floor((length - pos - V5_HEADER_LENGTH) / V5_RECORD_LENGTH);
    const records = Math.min(count, present);
    if (count > present) countDrop(stats, 'truncated');
    let p = pos + V5_HEADER_LENGTH;
    for (let i = 0; i < records; i++, p += V5_RECORD_LENGTH) {
      const record = readRecord(view, p, header, call);
      call.out.push(record);
      stats.records++;
      call.fields?.push({
        exporter: call.exporter,
        version: 5,
        observationDomainId: 0,
        templateId: 0,
        recordKind: 'data',
        fields: recordFields(view, p, header),
        record,
      });
    }
    pos = p;
    if (count === 0) break;
  }
  if (pos < length && !allZero(bytes, pos, length)) countDrop(stats, pos === 0 ? 'truncated' : 'decode-error');
}
