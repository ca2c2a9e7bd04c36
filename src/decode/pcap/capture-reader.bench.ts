/**
 * Capture reading throughput: 10,000 export-sized UDP datagrams (1,400-byte payloads) in Ethernet frames, as
 * pcap and pcapng, and the same traffic IP-fragmented (MTU 576) so that every datagram is reassembled.
 */
import { bench } from '../../../scripts/bench-kit.js';
import { fragmentIpv4, ipv4Packet, linkFrame, udpSegment } from '../../../test/tools/packets.js';
import { encodePcap, type PcapRecord } from '../../../test/tools/pcap-writer.js';
import { openCapture } from './index.js';

const COUNT = 10_000;
const payload = new Uint8Array(1400).fill(7);

function packet(i: number): Uint8Array {
  const segment = udpSegment({ src: '10.0.0.1', dst: '10.0.0.2', srcPort: 9995, dstPort: 2055, payload });
  return ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', protocol: 17, id: i & 0xffff, payload: segment });
}

const whole: PcapRecord[] = [];
const fragmented: PcapRecord[] = [];
for (let i = 0; i < COUNT; i++) {
  const p = packet(i);
  whole.push({ timestamp: 1_700_000_000_000 + i, data: linkFrame(1, p) });
  for (const f of fragmentIpv4(p, 576)) fragmented.push({ timestamp: 1_700_000_000_000 + i, data: linkFrame(1, f) });
}

const cases: [string, Uint8Array][] = [
  ['pcap', encodePcap(whole)],
  ['pcapng', encodePcap(whole, { format: 'pcapng' })],
  ['pcap, IPv4-fragmented (3 fragments each)', encodePcap(fragmented)],
];

for (const [name, bytes] of cases) {
  bench(
    `capture read ${name}`,
    () => {
      let n = 0;
      for (const d of openCapture(bytes).datagrams()) n += d.payload.length;
      return n;
    },
    { unitsPerRun: COUNT, unit: 'datagrams', ms: 2000 },
  );
}
