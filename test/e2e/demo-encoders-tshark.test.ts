/**
 * The demo's NetFlow v9 and IPFIX encoders, checked by an independent decoder: every field we encode must come
 * back identically from Wireshark's cflow dissector (tshark), across template refreshes and packet splits.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { formatIp } from '../../src/core/ip.js';
import {
  createIpfixEncoder,
  createNetflowV9Encoder,
  type ExportRecord,
  type FlowEncoder,
  IPFIX_BIFLOW,
  ipfixSamplingOptions,
  v9SamplingOptions,
} from '../../src/demo/encode/index.js';
import { writePcap } from '../../src/demo/pcap/index.js';
import { createRandom } from '../../src/demo/random.js';
import { describeWithPrograms, type TsharkFlow, tsharkAbsTime, tsharkDecode } from './demo-tools.js';

const dir = mkdtempSync(join(tmpdir(), 'flowmap-demo-enc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = 1_750_000_000_000;
const BOOT = NOW - 3 * 86_400_000 - 12_345;

function randomRecords(seed: number, count: number, opts: { v6?: boolean; biflow?: boolean; big?: boolean }) {
  const r = createRandom(seed);
  const records: ExportRecord[] = [];
  for (let i = 0; i < count; i++) {
    const v6 = opts.v6 === true && r.chance(0.3);
    const proto = r.pick([6, 6, 6, 17, 17, 1]);
    const start = NOW - r.int(1_000, 600_000);
    const big = opts.big === true && r.chance(0.5);
    const icmp = proto === 1;
    records.push({
      srcAddr: v6 ? `fd00::${r.int(1, 0xffff).toString(16)}` : r.int(0x0a000000, 0x0affffff),
      dstAddr: v6 ? `2001:db8::${r.int(1, 0xffff).toString(16)}` : r.int(0xc0000000, 0xdfffffff),
      srcPort: icmp ? 0 : r.int(1, 65535),
      dstPort: icmp ? r.pick([0x0800, 0x0000, 0x0303]) : r.int(1, 65535),
      ipProtocol: icmp && v6 ? 58 : proto,
      tcpFlags: proto === 6 ? r.int(0, 0x3f) : 0,
      bytes: big ? r.int(2 ** 32, 2 ** 40) : r.int(40, 2 ** 31),
      packets: big ? r.int(2 ** 32, 2 ** 36) : r.int(1, 2 ** 20),
      start,
      end: start + r.int(0, 120_000),
      tos: r.int(0, 255),
      inputIf: r.int(0, 65535),
      outputIf: r.int(0, 65535),
      flowEndReason: r.int(1, 4),
      ...(opts.biflow
        ? {
            reverse: { bytes: r.int(0, 2 ** 45), packets: r.int(0, 2 ** 33), tcpFlags: r.int(0, 0x3f) },
            biflowDirection: r.int(0, 3),
          }
        : {}),
    });
  }
  return records;
}

interface Case {
  readonly name: string;
  readonly port: number;
  readonly encoder: FlowEncoder;
  readonly records: ExportRecord[];
  readonly packets: Uint8Array[];
}

function encodeInBatches(encoder: FlowEncoder, records: ExportRecord[], batches: number): Uint8Array[] {
  const packets: Uint8Array[] = [];
  const size = Math.ceil(records.length / batches);
  for (let i = 0; i < batches; i++)
    packets.push(...encoder.encode(records.slice(i * size, (i + 1) * size), NOW + i * 1000));
  return packets;
}

const cases: Case[] = [];
function addCase(name: string, port: number, encoder: FlowEncoder, records: ExportRecord[]) {
  cases.push({ name, port, encoder, records, packets: encodeInBatches(encoder, records, 12) });
}
addCase(
  'v9 ipt_NETFLOW sampled',
  27055,
  createNetflowV9Encoder({ domainId: 3, bootTime: BOOT, sampling: v9SamplingOptions(10), templateRefreshPackets: 4 }),
  randomRecords(1, 400, { v6: true }),
);
addCase(
  'IPFIX ipt_NETFLOW sampled',
  27739,
  createIpfixEncoder({ domainId: 77, sampling: ipfixSamplingOptions(10), templateRefreshPackets: 4 }),
  randomRecords(2, 400, { v6: true }),
);
addCase(
  'IPFIX biflow',
  27740,
  createIpfixEncoder({ domainId: 5, layout: IPFIX_BIFLOW, maxPacketBytes: 600 }),
  randomRecords(3, 300, { v6: true, biflow: true, big: true }),
);

const one = (flow: TsharkFlow, name: string, index = 0) => flow[name]?.[index];

function expectFlowMatches(flow: TsharkFlow, rec: ExportRecord, version: 9 | 10, biflow: boolean) {
  const v6 = typeof rec.srcAddr === 'string';
  expect(one(flow, v6 ? 'cflow.srcaddrv6' : 'cflow.srcaddr')).toBe(formatIp(rec.srcAddr));
  expect(one(flow, v6 ? 'cflow.dstaddrv6' : 'cflow.dstaddr')).toBe(formatIp(rec.dstAddr));
  expect(Number(one(flow, 'cflow.protocol'))).toBe(rec.ipProtocol);
  expect(Number(one(flow, 'cflow.octets'))).toBe(rec.bytes);
  expect(Number(one(flow, 'cflow.packets'))).toBe(rec.packets);
  const icmp = rec.ipProtocol === 1 || rec.ipProtocol === 58;
  if (!icmp || version === 9 || biflow) {
    expect(Number(one(flow, 'cflow.srcport'))).toBe(rec.srcPort);
    expect(Number(one(flow, 'cflow.dstport'))).toBe(rec.dstPort);
  } else {
    const typeCode = v6
      ? Number(one(flow, 'cflow.icmp_ipv6_type')) * 256 + Number(one(flow, 'cflow.icmp_ipv6_code'))
      : Number(one(flow, 'cflow.icmp_type_code_ipv4'));
    if (Number.isNaN(typeCode)) console.log(JSON.stringify(flow));
    expect(typeCode).toBe(rec.dstPort);
  }
  if (!icmp || biflow) expect(Number(one(flow, 'cflow.tcpflags'))).toBe(rec.tcpFlags);
  if (version === 9) {
    expect(Math.round(Number(one(flow, 'cflow.timestart')) * 1000)).toBe(rec.start - BOOT);
    expect(Math.round(Number(one(flow, 'cflow.timeend')) * 1000)).toBe(rec.end - BOOT);
  } else {
    expect(tsharkAbsTime(one(flow, 'cflow.abstimestart')!)).toBe(rec.start);
    expect(tsharkAbsTime(one(flow, 'cflow.abstimeend')!)).toBe(rec.end);
  }
  if (biflow) {
    expect(Number(one(flow, 'cflow.octets', 1))).toBe(rec.reverse!.bytes);
    expect(Number(one(flow, 'cflow.packets', 1))).toBe(rec.reverse!.packets);
    expect(Number(one(flow, 'cflow.tcpflags', 1))).toBe(rec.reverse!.tcpFlags);
    expect(Number(one(flow, 'cflow.biflow_direction'))).toBe(rec.biflowDirection);
  } else {
    expect(Number(one(flow, 'cflow.inputint'))).toBe(rec.inputIf);
    expect(Number(one(flow, 'cflow.outputint'))).toBe(rec.outputIf);
    expect(Number(one(flow, 'cflow.tos'))).toBe(rec.tos);
  }
  if (version === 10) expect(Number(one(flow, 'cflow.flow_end_reason'))).toBe(rec.flowEndReason);
}

describeWithPrograms(['tshark'], 'demo encoders decoded by tshark', () => {
  const pcap = join(dir, 'encoders.pcap');
  const datagrams = cases.flatMap((c) =>
    c.packets.map((payload) => ({
      time: NOW,
      srcAddr: '10.9.0.1',
      srcPort: 40000,
      dstAddr: '10.9.0.2',
      dstPort: c.port,
      payload,
    })),
  );
  writeFileSync(pcap, writePcap(datagrams));
  const decoded = tsharkDecode(
    pcap,
    cases.map((c) => c.port),
  );

  it('decodes one PDU per packet, no malformed packets', () => {
    expect(decoded.length).toBe(datagrams.length);
  });

  let at = 0;
  for (const c of cases) {
    const first = at;
    at += c.packets.length;
    const mine = () => decoded.slice(first, first + c.packets.length);
    const version = c.encoder.version;
    const biflow = c.name.includes('biflow');

    it(`${c.name}: every data record decodes field by field`, () => {
      const flows = mine()
        .flatMap((p) => p.flows)
        .filter((f) => f['cflow.srcport'] || f['cflow.srcaddr'] || f['cflow.srcaddrv6']);
      expect(flows.length).toBe(c.records.length);
      for (const [i, flow] of flows.entries()) expectFlowMatches(flow, c.records[i]!, version, biflow);
    });

    it(`${c.name}: headers carry domain, count and sequence as RFC ${version === 9 ? '3954' : '7011'} says`, () => {
      let expectedSeq = 0;
      for (const p of mine()) {
        expect(Number(p.header['cflow.sequence'])).toBe(expectedSeq);
        const records = p.flows.length + p.templates.length;
        if (version === 9) {
          expect(Number(p.header['cflow.source_id'])).toBe(c.encoder.domainId);
          expect(Number(p.header['cflow.count'])).toBe(records);
          expectedSeq++;
        } else {
          expect(Number(p.header['cflow.od_id'])).toBe(c.encoder.domainId);
          expectedSeq += p.flows.length;
        }
      }
      expect(c.packets.every((p) => p.length <= (biflow ? 600 : 1400))).toBe(true);
    });

    if (!biflow) {
      it(`${c.name}: templates are refreshed and the sampling options announce 1:10`, () => {
        const withTemplates = mine().filter((p) => p.templates.length > 0).length;
        expect(withTemplates).toBeGreaterThanOrEqual(Math.floor(c.packets.length / 6));
        const options = mine()
          .flatMap((p) => p.flows)
          .filter((f) => f['cflow.sampling_interval'] || f['cflow.sampling_packet_space']);
        expect(options.length).toBeGreaterThan(1);
        for (const o of options) {
          if (version === 9) expect(Number(one(o, 'cflow.sampling_interval'))).toBe(10);
          else
            expect(
              Number(one(o, 'cflow.sampling_packet_interval')) + Number(one(o, 'cflow.sampling_packet_space')),
            ).toBe(10);
        }
      });
    }
  }
});
