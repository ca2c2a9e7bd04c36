/**
 * sFlow v5 against two independent decoders: tcpdump's printed decodes (`tcpdump/tests/*.out`, the upstream
 * goldens) for datagram headers, flow-sample fields and counter samples, and tshark's decodes of the akvorado and
 * tcpdump captures for the sampled packets' addresses, ports and protocol.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import type { FlowRecord } from '../../src/core/flow.js';
import { formatIp } from '../../src/core/ip.js';
import { type DecodedFields, emptyDecodeStats } from '../../src/decode/contracts.js';
import { openCapture, type UdpDatagram } from '../../src/decode/pcap/index.js';
import { decodeSflow, readDatagramHeader } from '../../src/decode/sflow/index.js';
import { corpusPath, describeWithCorpus } from '../corpus.js';
import { first, isFlowSample, loadTsharkReference } from './tshark-reference.js';

function datagramsOf(relative: string): UdpDatagram[] {
  return [...openCapture(readFileSync(corpusPath(relative))).datagrams()];
}

function decodeOne(d: UdpDatagram) {
  const stats = emptyDecodeStats();
  const out: FlowRecord[] = [];
  const fields: DecodedFields[] = [];
  decodeSflow(d.payload, { exporter: d.srcAddr, receivedAt: Math.floor(d.timestamp), out, fields }, stats);
  return { stats, out, fields };
}

interface TcpdumpPacket {
  readonly frame: number;
  readonly line: string;
  readonly header?: { agent: string; agentId: number; seq?: number; uptime?: number; samples?: number; length: number };
  readonly flowSamples: Record<string, number>[];
  readonly rawHeaders: Record<string, number>[];
  readonly switches: Record<string, number>[];
  counterSamples: number;
}

const HEADER =
  /sFlowv5, IPv[46] agent (\S+), agent-id (\d+), (?:seqnum (\d+), uptime (\d+), samples (\d+), )?length (\d+)/;
const FLOW =
  /^\t(?:expanded )?flow sample \((\d)\), length \d+, seqnum (\d+), type (\d+), idx (\d+), rate (\d+), pool (\d+), drops (\d+), input (\d+)(?: \((\d+)\))?,? output (\d+)(?: \((\d+)\))?,? records (\d+)/;
const RAW = /protocol \S+ \((\d+)\), length (\d+), stripped bytes (\d+), header_size (\d+)/;
const SWITCH = /src vlan (\d+), src pri (\d+), dst vlan (\d+), dst pri (\d+)/;

/** splits a tcpdump `.out` into packets and extracts the sFlow values it printed */
function parseTcpdump(relative: string): TcpdumpPacket[] {
  const packets: TcpdumpPacket[] = [];
  for (const line of readFileSync(corpusPath(relative), 'utf8').split('\n')) {
    const start = /^\s*(\d+)\s+\d{4}-\d\d-\d\d /.exec(line);
    if (start)
      packets.push({ frame: Number(start[1]), line, flowSamples: [], rawHeaders: [], switches: [], counterSamples: 0 });
    const p = packets.at(-1);
    if (!p) continue;
    const header = HEADER.exec(line);
    if (header) {
      const [, agent, agentId, seq, uptime, samples, length] = header;
      Object.assign(p, {
        line,
        header: {
          agent,
          agentId: Number(agentId),
          length: Number(length),
          ...(seq ? { seq: Number(seq), uptime: Number(uptime), samples: Number(samples) } : {}),
        },
      });
    } else if (!p.header && /sFlow/.test(line)) Object.assign(p, { line });
    const flow = FLOW.exec(line);
    if (flow) {
      const [format, seq, type, idx, rate, pool, drops, input, inputFormat, output, outputFormat] = flow
        .slice(1)
        .map((v) => (v === undefined ? -1 : Number(v)));
      p.flowSamples.push({
        format: format!,
        seq: seq!,
        type: type!,
        idx: idx!,
        rate: rate!,
        pool: pool!,
        drops: drops!,
        input: input!,
        inputFormat: inputFormat!,
        output: output!,
        outputFormat: outputFormat!,
      });
    }
    if (/^\t(?:expanded )?counter sample \(\d\)/.test(line)) p.counterSamples++;
    const raw = RAW.exec(line);
    if (raw)
      p.rawHeaders.push({
        protocol: Number(raw[1]),
        length: Number(raw[2]),
        stripped: Number(raw[3]),
        size: Number(raw[4]),
      });
    const sw = SWITCH.exec(line);
    if (sw)
      p.switches.push({ srcVlan: Number(sw[1]), srcPri: Number(sw[2]), dstVlan: Number(sw[3]), dstPri: Number(sw[4]) });
  }
  return packets;
}

/** the sample's interface as tcpdump prints it: compact samples show the raw word, expanded ones value and format */
function printedInterface(
  f: Readonly<Record<string, unknown>>,
  which: 'ingress' | 'egress',
  expanded: boolean,
): [number, number] {
  const value = f[`${which}Interface`] as number;
  const format = (f[`${which}InterfaceFormat`] as number | undefined) ?? 0;
  return expanded ? [value, format] : [((format << 30) | value) >>> 0, -1];
}

const TCPDUMP_CASES: [string, string][] = [
  ['tcpdump/tests/sflow-print-v6.pcap', 'tcpdump/tests/sflow-print-v6.out'],
  ['tcpdump/tests/sflow_expanded.pcap', 'tcpdump/tests/sflow_expanded.out'],
  ['tcpdump/tests/sflow_multiple_counter_30_pdus.pcap', 'tcpdump/tests/sflow_multiple_counter_30_pdus.out'],
  ['tcpdump/tests/sflow_multiple_counter_30_pdus.pcap', 'tcpdump/tests/sflow_multiple_counter_30_pdus-nv.out'],
  ['tcpdump/tests/sflow_print-segv.pcap', 'tcpdump/tests/sflow_print-segv.out'],
];

describeWithCorpus('sFlow v5 against tcpdump (.out goldens)', () => {
  for (const [pcap, out] of TCPDUMP_CASES) {
    it(`agrees with ${out.split('/').pop()} on every datagram`, () => {
      const golden = parseTcpdump(out);
      const datagrams = datagramsOf(pcap);
      expect(datagrams).toHaveLength(golden.length);
      let flowSamples = 0;
      let counterSamples = 0;
      golden.forEach((g, i) => {
        const d = datagrams[i]!;
        const { stats, fields } = decodeOne(d);
        const heading = readDatagramHeader(d.payload);
        if (!g.header) {
          // tcpdump refused it: "sFlow version 327681 packet not supported" (NetFlow v5) or "[length 8 < 28] (invalid)"
          expect(g.line).toMatch(/not supported|invalid/);
          expect('error' in heading).toBe(true);
          expect(stats.records + stats.counterSamples).toBe(0);
          expect(Object.values(stats.dropped).reduce((a, b) => a + b, 0)).toBe(1);
          return;
        }
        if ('error' in heading) throw new Error(`frame ${g.frame}: ${heading.error}`);
        expect(formatIp(heading.header.agent)).toBe(g.header.agent);
        expect(heading.header.subAgentId).toBe(g.header.agentId);
        expect(d.payload.length).toBe(g.header.length);
        if (g.header.seq !== undefined) {
          expect([heading.header.sequence, heading.header.uptime, heading.samples]).toEqual([
            g.header.seq,
            g.header.uptime,
            g.header.samples,
          ]);
          expect(stats.counterSamples).toBe(g.counterSamples);
          expect(fields).toHaveLength(g.flowSamples.length);
        }
        expect(stats.dropped).toEqual({});
        g.flowSamples.forEach((s, j) => {
          const f = fields[j]!.fields;
          const expanded = s.format === 3;
          expect(fields[j]!.templateId).toBe(s.format);
          expect([f.sampleSequenceNumber, f.sourceIdType, f.sourceIdIndex]).toEqual([s.seq, s.type, s.idx]);
          expect([f.samplingPacketInterval, f.samplePool, f.drops]).toEqual([s.rate, s.pool, s.drops]);
          expect(printedInterface(f, 'ingress', expanded)).toEqual([s.input, s.inputFormat]);
          expect(printedInterface(f, 'egress', expanded)).toEqual([s.output, s.outputFormat]);
          const raw = g.rawHeaders[j];
          if (raw) {
            expect([f.headerProtocol, f.dataLinkFrameSize, f.strippedOctets]).toEqual([
              raw.protocol,
              raw.length,
              raw.stripped,
            ]);
            expect((f.dataLinkFrameSection as string).length / 2).toBe(raw.size);
          }
          const sw = g.switches[j];
          if (sw)
            expect([f.vlanId, f.dot1qPriority, f.postVlanId, f.postDot1qPriority]).toEqual([
              sw.srcVlan,
              sw.srcPri,
              sw.dstVlan,
              sw.dstPri,
            ]);
        });
        flowSamples += g.flowSamples.length;
        counterSamples += g.counterSamples;
      });
      if (out.endsWith('sflow-print-v6.out')) expect([flowSamples, counterSamples]).toEqual([13, 48]);
      if (out.endsWith('sflow_multiple_counter_30_pdus.out')) expect([flowSamples, counterSamples]).toEqual([0, 144]);
    });
  }
});

function sflowCaptures(): string[] {
  const akvorado = 'akvorado/outlet/flow/decoder/sflow/testdata';
  const files = readdirSync(corpusPath(akvorado)).filter((f) => f.endsWith('.pcap'));
  return [
    ...files.map((f) => `${akvorado}/${f}`),
    ...TCPDUMP_CASES.map(([pcap]) => pcap).filter((p, i, all) => all.indexOf(p) === i),
  ];
}

describeWithCorpus('sFlow v5 against tshark (akvorado and tcpdump captures)', () => {
  it('covers every sFlow capture of the corpus', () => {
    expect(sflowCaptures()).toHaveLength(15);
  });
  for (const pcap of sflowCaptures()) {
    it(`decodes ${pcap.split('/').pop()} into the flow samples tshark sees, with the same packet fields`, () => {
      const reference = loadTsharkReference(`${pcap}.tshark.json`).records.filter(isFlowSample);
      const decoded = datagramsOf(pcap).flatMap((d) => decodeOne(d).fields);
      expect(decoded).toHaveLength(reference.length);
      let tunnelled = 0;
      decoded.forEach((ours, i) => {
        const theirs = reference[i]!;
        const f = ours.fields;
        expect(ours.exporter).toBe(theirs.exporter);
        expect(f.sampleSequenceNumber).toBe(Number(first(theirs, 'sflow.flow_sample.sequence_number')));
        expect(f.samplingPacketInterval).toBe(Number(first(theirs, 'sflow.flow_sample.sampling_rate')));
        expect(f.dataLinkFrameSize).toBe(Number(first(theirs, 'sflow_245.header.frame_length')));
        expect(f.egressInterface).toBe(Number(first(theirs, 'sflow.flow_sample.output_interface_value')));
        if (f.tunnelType !== undefined) {
          // an overlay packet: these references hold the outer headers only (the inner packet is checked against a
          // live tshark in test/e2e/decode-sflow-tunnels.test.ts); flowmap keeps the outer ones as tunnel* fields
          expect([f.tunnelSourceAddress, f.tunnelDestinationAddress]).toEqual([
            first(theirs, 'ip.src') ?? first(theirs, 'ipv6.src'),
            first(theirs, 'ip.dst') ?? first(theirs, 'ipv6.dst'),
          ]);
          expect([4789, 8472, 6081]).toContain(Number(first(theirs, 'udp.dstport')));
          tunnelled++;
          return;
        }
        const v6 = first(theirs, 'ipv6.src') !== undefined && first(theirs, 'ip.src') === undefined;
        const src = v6 ? f.sourceIPv6Address : f.sourceIPv4Address;
        const dst = v6 ? f.destinationIPv6Address : f.destinationIPv4Address;
        expect([src, dst]).toEqual([
          first(theirs, v6 ? 'ipv6.src' : 'ip.src'),
          first(theirs, v6 ? 'ipv6.dst' : 'ip.dst'),
        ]);
        expect(f.protocolIdentifier).toBe(Number(first(theirs, v6 ? 'ipv6.nxt' : 'ip.proto')));
        const srcPort = first(theirs, 'tcp.srcport') ?? first(theirs, 'udp.srcport');
        const dstPort = first(theirs, 'tcp.dstport') ?? first(theirs, 'udp.dstport');
        expect([f.sourceTransportPort, f.destinationTransportPort]).toEqual(
          srcPort === undefined ? [undefined, undefined] : [Number(srcPort), Number(dstPort)],
        );
        expect(ours.record).toMatchObject({
          srcPort: Number(srcPort ?? 0),
          dstPort: Number(dstPort ?? 0),
          samplingRate: f.samplingPacketInterval,
        });
      });
      // only the VXLAN capture holds overlay traffic, every sample of it
      expect(tunnelled).toBe(pcap.includes('vxlan') ? decoded.length : 0);
    });
  }
});
