/**
 * The decode stage's contract: export packet bytes in, FlowRecords (and, on request, every field by name) out.
 * Decoders are pure: no I/O, no logging, no metrics library; they count into DecodeStats.
 * @module
 */
import type { DropReason } from '../core/errors.js';
import type { FlowRecord } from '../core/flow.js';

/** the wire version as `flowmap decode` prints it: 5, 9, 10 (IPFIX) or "sflow5" */
export type WireVersion = 5 | 9 | 10 | 'sflow5';

/**
 * Every field of one data or options record, named as in the IANA IPFIX registry (`sourceIPv4Address`,
 * `octetDeltaCount`, ...); unknown and enterprise fields are named `<enterprise>:<id>` (`0:999` for unknown IANA
 * ids) with their raw value as a hex string. Values: numbers for unsigned/signed (as text when >= 2^53), IPs as
 * text, MACs as "aa:bb:cc:dd:ee:ff", strings as UTF-8 text, times as epoch ms numbers, octet arrays as hex.
 * The JSON line `flowmap decode` prints is `{ exporter, version, observationDomainId, templateId, ...fields }`.
 */
export interface DecodedFields {
  readonly exporter: string;
  readonly version: WireVersion;
  readonly observationDomainId: number;
  /** template id (v9/IPFIX), 0 for v5, the sample format for sFlow */
  readonly templateId: number;
  /** 'options' for options data records (sampling, interface tables, ...) */
  readonly recordKind: 'data' | 'options';
  readonly fields: Readonly<Record<string, unknown>>;
  /** the FlowRecord made from this data record, when one was (resolved start/end, sampling, reverse counters) */
  readonly record?: FlowRecord;
}

/** counters a decoder adds to; reset only by the owner */
export interface DecodeStats {
  packets: number;
  /** data records turned into FlowRecords */
  records: number;
  /** options data records (sampling tables, ...) */
  optionsRecords: number;
  templates: number;
  /** sFlow counter samples: counted, not decoded */
  counterSamples: number;
  /**
   * data records without a source and destination address (application tables or NAT pool events sent as data):
   * decoded for `fields`, not turned into FlowRecords
   */
  nonFlowRecords?: number;
  /** what was skipped and why (a packet or a set/record, as the reason says) */
  dropped: Partial<Record<DropReason, number>>;
}

export function emptyDecodeStats(): DecodeStats {
  return { packets: 0, records: 0, optionsRecords: 0, templates: 0, counterSamples: 0, dropped: {} };
}

/** options for one decode call */
export interface DecodeCall {
  /** source address of the export packet (text form); with the version and domain it scopes templates */
  readonly exporter: string;
  /** collector clock at arrival, epoch ms; records without absolute times use it */
  readonly receivedAt: number;
  /** every FlowRecord decoded is pushed here */
  readonly out: FlowRecord[];
  /** when given, every data and options record is also pushed here with all its fields (slow path) */
  readonly fields?: DecodedFields[];
}

/**
 * Decodes whole export datagrams (NetFlow v5, v9, IPFIX, sFlow v5; the version is sniffed from the first bytes).
 * Never throws for bad input: malformed parts are skipped and counted in `stats.dropped`; the rest of the packet
 * is still decoded where the format allows. Template state persists across calls.
 */
export interface PacketDecoder {
  decode(packet: Uint8Array, call: DecodeCall): void;
  readonly stats: DecodeStats;
}

/**
 * A decoder for one wire format that the PacketDecoder delegates to once it has sniffed the version (sFlow v5).
 * Same contract as PacketDecoder.decode: never throws, counts into `stats`, pushes into `call.out`/`call.fields`.
 */
export type SubDecoder = (packet: Uint8Array, call: DecodeCall, stats: DecodeStats) => void;
