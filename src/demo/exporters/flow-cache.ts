/**
 * A node exporter's flow cache, as ipt_NETFLOW keeps one: packets update the entry of their 5-tuple; a periodic
 * scan exports entries idle for `inactiveTimeoutMs`, entries older than `activeTimeoutMs` (long flows are split),
 * and finished TCP flows (FIN/RST) shortly after their last packet. With `samplingRate` N each packet is kept with
 * probability 1/N before it reaches the cache (counts are thinned, flags come only from kept packets). With
 * `biflow`, both directions of a 5-tuple share one entry (RFC 5103), the first packet's direction forward.
 * @module
 */
import { TCP_FLAG } from '../../core/flow.js';
import { parseIp } from '../../core/ip.js';
import type { ExportRecord } from '../encode/index.js';
import type { Random } from '../random.js';
import type { Observation } from '../traffic/index.js';

export interface FlowCacheOptions {
  readonly activeTimeoutMs: number;
  readonly inactiveTimeoutMs: number;
  /** 1 = every packet; N = one packet in N on average */
  readonly samplingRate: number;
  readonly biflow: boolean;
}

export interface FlowCache {
  add(observation: Observation): void;
  /** records of entries due at `now` (scan) */
  expire(now: number): ExportRecord[];
  /** records of every entry (shutdown) */
  flush(now: number): ExportRecord[];
  readonly size: number;
  /** packets the sampler dropped / kept */
  readonly sampling: { readonly seen: number; readonly kept: number };
}

interface Entry {
  readonly srcAddr: number | string;
  readonly dstAddr: number | string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ipProtocol: number;
  start: number;
  end: number;
  bytes: number;
  packets: number;
  flags: number;
  rBytes: number;
  rPackets: number;
  rFlags: number;
}

const END_FLAGS = TCP_FLAG.FIN | TCP_FLAG.RST;
const FINISHED_GRACE_MS = 2000;

/** how many of `packets` a 1-in-`rate` packet sampler keeps */
function thin(random: Random, packets: number, rate: number): number {
  if (rate <= 1) return packets;
  if (packets <= 64) {
    let kept = 0;
    for (let i = 0; i < packets; i++) if (random.next() * rate < 1) kept++;
    return kept;
  }
  const mean = packets / rate;
  const sd = Math.sqrt(mean * (1 - 1 / rate));
  const z = Math.sqrt(-2 * Math.log(Math.max(random.next(), 1e-12))) * Math.cos(2 * Math.PI * random.next());
  return Math.min(packets, Math.max(0, Math.round(mean + sd * z)));
}

export function createFlowCache(options: FlowCacheOptions, random: Random): FlowCache {
  const entries = new Map<string, Entry>();
  const sampling = { seen: 0, kept: 0 };

  const toRecord = (e: Entry, reason: number): ExportRecord => {
    const base = {
      srcAddr: e.srcAddr,
      dstAddr: e.dstAddr,
      srcPort: e.srcPort,
      dstPort: e.dstPort,
      ipProtocol: e.ipProtocol,
      tcpFlags: e.flags,
      bytes: e.bytes,
      packets: e.packets,
      start: e.start,
      end: e.end,
      flowEndReason: reason,
    };
    if (!options.biflow) return base;
    return { ...base, reverse: { bytes: e.rBytes, packets: e.rPackets, tcpFlags: e.rFlags }, biflowDirection: 1 };
  };

  const drain = (now: number, all: boolean): ExportRecord[] => {
    const out: ExportRecord[] = [];
    for (const [key, e] of entries) {
      let reason = 0;
      if (all) reason = 4;
      else if (now - e.start >= options.activeTimeoutMs) reason = 2;
      else if (now - e.end >= options.inactiveTimeoutMs) reason = 1;
      else if ((e.flags | e.rFlags) & END_FLAGS && now - e.end >= FINISHED_GRACE_MS) reason = 3;
      if (reason === 0) continue;
      entries.delete(key);
      out.push(toRecord(e, reason));
    }
    return out;
  };

  return {
    get size() {
      return entries.size;
    },
    sampling,
    add(o) {
      sampling.seen += o.packets;
      const packets = thin(random, o.packets, options.samplingRate);
      if (packets === 0) return;
      sampling.kept += packets;
      const bytes =
        packets === o.packets ? o.bytes : Math.max(packets * 40, Math.round((o.bytes * packets) / o.packets));
      const forwardKey = `${o.srcAddr}|${o.dstAddr}|${o.srcPort}|${o.dstPort}|${o.ipProtocol}`;
      const reverseKey = `${o.dstAddr}|${o.srcAddr}|${o.dstPort}|${o.srcPort}|${o.ipProtocol}`;
      const reverse = options.biflow && !entries.has(forwardKey) ? entries.get(reverseKey) : undefined;
      if (reverse) {
        reverse.rBytes += bytes;
        reverse.rPackets += packets;
        reverse.rFlags |= o.flags;
        reverse.end = Math.max(reverse.end, o.at);
        return;
      }
      let e = entries.get(forwardKey);
      if (!e) {
        e = {
          srcAddr: parseIp(o.srcAddr)!,
          dstAddr: parseIp(o.dstAddr)!,
          srcPort: o.srcPort,
          dstPort: o.dstPort,
          ipProtocol: o.ipProtocol,
          start: o.at,
          end: o.at,
          bytes: 0,
          packets: 0,
          flags: 0,
          rBytes: 0,
          rPackets: 0,
          rFlags: 0,
        };
        entries.set(forwardKey, e);
      }
      e.bytes += bytes;
      e.packets += packets;
      e.flags |= o.flags;
      e.start = Math.min(e.start, o.at);
      e.end = Math.max(e.end, o.at);
    },
    expire: (now) => drain(now, false),
    flush: (now) => drain(now, true),
  };
}
