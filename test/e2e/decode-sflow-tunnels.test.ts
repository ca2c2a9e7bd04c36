/**
 * sFlow samples of overlay traffic (VXLAN on 4789 and 8472, Geneve on 6081): flowmap describes the pods inside the
 * tunnel; tshark, dissecting the same sampled headers independently, must find the same inner addresses, ports and
 * VNI.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { FlowRecord } from '../../src/core/flow.js';
import { formatIp } from '../../src/core/ip.js';
import { type DecodedFields, emptyDecodeStats } from '../../src/decode/contracts.js';
import { openCapture } from '../../src/decode/pcap/index.js';
import { decodeSflow } from '../../src/decode/sflow/index.js';
import { encodeSflowDatagram, headerRecord } from '../../src/decode/sflow/testing.js';
import { corpusPath, describeWithCorpus } from '../corpus.js';
import { describeWithTools, itWithTools, tsharkFields, writeDatagramsPcap } from '../tools/index.js';
import { overlayFrame } from '../tools/overlay.js';

const CASES = [
  { type: 'vxlan', port: 4789, vni: 100 },
  { type: 'vxlan', port: 8472, vni: 1 },
  { type: 'geneve', port: 6081, vni: 0xabcdef, geneveOptionWords: 1 },
] as const;

const dir = mkdtempSync(join(tmpdir(), 'flowmap-e2e-sflow-tunnels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeWithTools(['tshark'], 'sFlow overlay samples: flowmap and tshark agree on the inner packet', () => {
  it('decodes every VXLAN and Geneve sample to the inner addresses, ports and VNI tshark reads', async () => {
    const datagrams = CASES.map((spec, i) =>
      encodeSflowDatagram({
        agent: '172.16.0.3',
        sequence: i + 1,
        flowSamples: [{ samplingRate: 256, records: [headerRecord(overlayFrame(spec).bytes)] }],
      }),
    );
    const pcap = join(dir, 'tunnels.pcap');
    writeDatagramsPcap(pcap, datagrams, { dstPort: 6343 });
    const rows = await tsharkFields(
      pcap,
      ['ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'vxlan.vni', 'geneve.vni'],
      { decodeAs: ['udp.port==8472,vxlan'] },
    );
    expect(rows).toHaveLength(CASES.length);

    datagrams.forEach((datagram, i) => {
      const out: FlowRecord[] = [];
      const fields: DecodedFields[] = [];
      decodeSflow(datagram, { exporter: '172.16.0.3', receivedAt: 1, out, fields }, emptyDecodeStats());
      const r = out[0]!;
      const [ipSrc, ipDst, tcpSrc, tcpDst, vxlanVni, geneveVni] = rows[i]!;
      // ip.src occurrences: the datagram's, the sampled outer packet's, the inner packet's
      const inner = (list: string) => list.split(',').at(-1);
      const outer = (list: string) => list.split(',').at(1);
      expect([formatIp(r.srcAddr), formatIp(r.dstAddr)]).toEqual([inner(ipSrc!), inner(ipDst!)]);
      expect([String(r.srcPort), String(r.dstPort)]).toEqual([tcpSrc, tcpDst]);
      const f = fields[0]!.fields;
      expect([f.tunnelSourceAddress, f.tunnelDestinationAddress]).toEqual([outer(ipSrc!), outer(ipDst!)]);
      // tshark prints Geneve's VNI in hex (0x...), VXLAN's in decimal: Number() reads both
      expect(f.tunnelNetworkId).toBe(Number(CASES[i]!.type === 'vxlan' ? vxlanVni : geneveVni));
      expect(f.tunnelType).toBe(CASES[i]!.type);
    });
  });
});

const VXLAN_CAPTURE = 'akvorado/outlet/flow/decoder/sflow/testdata/data-encap-vxlan.pcap';

describeWithCorpus('sFlow overlay samples of a real switch (akvorado capture)', () => {
  itWithTools(['tshark'], 'names the inner IPv6 packet of every VXLAN sample as tshark dissects it', async () => {
    const path = corpusPath(VXLAN_CAPTURE);
    const rows = await tsharkFields(path, ['ip.src', 'ipv6.src', 'ipv6.dst', 'ipv6.nxt', 'vxlan.vni'], {
      filter: 'sflow',
    });
    const ours = [...openCapture(readFileSync(path)).datagrams()].flatMap((d) => {
      const fields: DecodedFields[] = [];
      decodeSflow(d.payload, { exporter: d.srcAddr, receivedAt: 1, out: [], fields }, emptyDecodeStats());
      return fields.map((f) => f.fields);
    });
    // one sample per datagram in this capture
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toHaveLength(rows.length);
    ours.forEach((f, i) => {
      const [ipSrc, v6Src, v6Dst, v6Next, vni] = rows[i]!;
      expect(f.tunnelType).toBe('vxlan');
      expect(f.tunnelSourceAddress).toBe(ipSrc!.split(',').at(1));
      expect(f.tunnelNetworkId).toBe(Number(vni));
      expect([f.sourceIPv6Address, f.destinationIPv6Address, f.protocolIdentifier]).toEqual([
        v6Src,
        v6Dst,
        Number(v6Next),
      ]);
    });
  });
});
