/**
 * Record counts of every pcap of the corpus's pmacct/, akvorado/ and tcpdump/ folders against the tshark reference
 * decodes (one decoder per reference: templates carried across the files of an akvorado group in their order), and
 * the key fields of every pmacct record against tshark's.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';
import { systemClock } from '../../src/core/clock.js';
import type { FlowRecord } from '../../src/core/flow.js';
import { createPacketDecoder, type DecodedFields } from '../../src/decode/index.js';
import { openCapture } from '../../src/decode/pcap/index.js';
import { decodeSflow } from '../../src/decode/sflow/index.js';
import { corpusAvailable, corpusPath, describeWithCorpus } from '../corpus.js';
import { first, isFlowSample, loadTsharkReference, type TsharkRecord } from './tshark-reference.js';

/** every file under `dir` (relative to the corpus) whose name ends with `suffix` */
function walk(dir: string, suffix: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(corpusPath(dir))) {
    const path = join(dir, name);
    if (statSync(corpusPath(path)).isDirectory()) out.push(...walk(path, suffix));
    else if (name.endsWith(suffix)) out.push(path);
  }
  return out.sort();
}

/** decodes `inputs` in order with one PacketDecoder; every data and options record, in order */
function decodeInOrder(inputs: readonly string[]) {
  const decoder = createPacketDecoder({ clock: systemClock, sflow: decodeSflow });
  const fields: DecodedFields[] = [];
  const out: FlowRecord[] = [];
  for (const input of inputs) {
    for (const d of openCapture(readFileSync(corpusPath(input))).datagrams()) {
      decoder.decode(d.payload, { exporter: d.srcAddr, receivedAt: Math.floor(d.timestamp), out, fields });
    }
  }
  return { fields, stats: decoder.stats };
}

/** tshark cannot see these records; the corpus INDEX explains why, and what the full count is */
const TSHARK_LIMITS: Record<string, { readonly ours: number; readonly why: string }> = {
  'pmacct/tests/112-IPFIXv10-CISCO-options-map-reassignment/traffic-00.pcap.tshark.json': {
    ours: 85,
    why: 'the exporter source port changes mid-capture and tshark keys templates by address and port (9 data + 76 options)',
  },
};

const references = corpusAvailable
  ? ['pmacct', 'akvorado', 'tcpdump'].flatMap((dir) => walk(join('_reference-tshark', dir), '.tshark.json'))
  : [];

describeWithCorpus('record counts against tshark (pmacct, akvorado, tcpdump)', () => {
  it('has a reference for every pcap of the three folders', () => {
    const pcaps = ['pmacct', 'akvorado', 'tcpdump'].flatMap((dir) => walk(dir, '.pcap'));
    expect(pcaps.length).toBe(21 + 38 + 4);
    const covered = new Set(references.flatMap((r) => loadTsharkReference(relative('_reference-tshark', r)).inputs));
    expect(pcaps.filter((p) => !covered.has(p))).toEqual([]);
  });

  for (const ref of references) {
    const name = relative('_reference-tshark', ref);
    it(`${name}: same record count as tshark`, () => {
      const reference = loadTsharkReference(name);
      const { fields, stats } = decodeInOrder(reference.inputs);
      const sflow = reference.records.some((r) => r.sample_type !== undefined);
      if (sflow) {
        // tshark also lists counter samples, and dissects NetFlow v5 sent to port 6343 as sFlow
        const flowSamples = fields.filter((f) => f.version === 'sflow5');
        expect(flowSamples).toHaveLength(reference.records.filter(isFlowSample).length);
        expect(fields.length - flowSamples.length).toBe(name.includes('sflow_multiple_counter') ? 7 : 0);
        return;
      }
      const limit = TSHARK_LIMITS[name];
      expect(fields.length, limit?.why).toBe(limit ? limit.ours : reference.record_count);
      expect(stats.records + stats.optionsRecords + (stats.nonFlowRecords ?? 0)).toBe(fields.length);
    });
  }
});

/** our field name for each tshark field compared */
const KEY_FIELDS: readonly [string, string][] = [
  ['cflow.srcaddr', 'sourceIPv4Address'],
  ['cflow.dstaddr', 'destinationIPv4Address'],
  ['cflow.srcaddrv6', 'sourceIPv6Address'],
  ['cflow.dstaddrv6', 'destinationIPv6Address'],
  ['cflow.srcport', 'sourceTransportPort'],
  ['cflow.dstport', 'destinationTransportPort'],
  ['cflow.protocol', 'protocolIdentifier'],
  ['cflow.octets', 'octetDeltaCount'],
  ['cflow.packets', 'packetDeltaCount'],
];

function mismatches(ours: DecodedFields, theirs: TsharkRecord): string[] {
  const out: string[] = [];
  if (ours.exporter !== theirs.exporter) out.push(`exporter ${ours.exporter} != ${theirs.exporter}`);
  if (String(ours.templateId) !== String(theirs.set_id)) out.push(`template ${ours.templateId} != ${theirs.set_id}`);
  for (const [tsharkName, name] of KEY_FIELDS) {
    const expected = first(theirs, tsharkName);
    if (expected === undefined) continue;
    const actual = ours.fields[name];
    if (String(actual) !== expected) out.push(`${name} ${String(actual)} != ${expected}`);
  }
  return out;
}

describeWithCorpus('pmacct records field by field against tshark', () => {
  const pmacct = references.filter((r) => r.includes('/pmacct/') && !TSHARK_LIMITS[relative('_reference-tshark', r)]);
  it('compares at least the 20 pmacct captures tshark decodes completely', () => {
    expect(pmacct.length).toBe(20);
  });
  for (const ref of pmacct) {
    const name = relative('_reference-tshark', ref);
    it(`${name}: addresses, ports, protocol, bytes and packets of every record`, () => {
      const reference = loadTsharkReference(name);
      const { fields } = decodeInOrder(reference.inputs);
      expect(fields).toHaveLength(reference.records.length);
      const wrong = fields.flatMap((f, i) => mismatches(f, reference.records[i]!).map((m) => `record ${i}: ${m}`));
      expect(wrong.slice(0, 10)).toEqual([]);
      const compared = reference.records.filter((r) => first(r, 'cflow.octets') !== undefined).length;
      expect(compared).toBeGreaterThan(0);
    });
  }
});
