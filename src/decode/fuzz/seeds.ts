/**
 * Valid packets the fuzzer starts from: each decodes cleanly and exercises a feature worth breaking (templates,
 * options with 0-length scope, variable lengths in both forms, enterprise and reverse fields, withdrawal, several
 * IPFIX messages in one datagram, several v5 PDUs in one payload).
 * @module
 */
import {
  concat,
  type FieldSpec,
  ipfixMessage,
  ipfixOptionsTemplate,
  ipfixTemplates,
  ipfixWithdrawal,
  ipv4,
  set,
  u8,
  u16,
  u32,
  u64,
  V4_FLOW_FIELDS,
  type V5Record,
  v5Packet,
  v9OptionsTemplate,
  v9Packet,
  v9Templates,
  varlen,
} from '../testing.js';
import type { FuzzFormat } from './fuzz.js';

const UNIX = 1_700_000_000;
const text = (s: string) => new TextEncoder().encode(s);

const v5Record = (n: number): V5Record => ({
  src: `10.0.0.${n}`,
  dst: '10.1.0.1',
  srcPort: 1000 + n,
  dstPort: 443,
  protocol: 6,
  packets: n,
  bytes: 60 * n,
  first: 100,
  last: 900,
});

function v5Seeds(): Uint8Array[] {
  const header = { sysUptime: 1_000, unixSecs: UNIX, sampling: 0x4000 | 10 };
  const one = v5Packet(header, [v5Record(1), v5Record(2), v5Record(3)]);
  return [one, concat(one, v5Packet(header, [v5Record(4)]))];
}

function v9Seeds(): Uint8Array[] {
  const header = { sysUptime: 1_000_000, unixSecs: UNIX, sourceId: 1 };
  const flow: readonly FieldSpec[] = [...V4_FLOW_FIELDS, [48, 1]];
  const record = (n: number) =>
    concat(
      ipv4(`10.0.0.${n}`),
      ipv4('10.1.0.1'),
      u16(n),
      u16(80),
      u8(6),
      u8(2),
      u32(100),
      u32(1),
      u32(10),
      u32(20),
      u8(1),
    );
  const options = v9OptionsTemplate(
    300,
    [[1, 0]],
    [
      [48, 1],
      [34, 4],
      [35, 1],
    ],
  );
  const h3c = [
    [8, 4],
    [12, 4],
    [236, 65535],
    [1, 8],
  ] as const;
  return [
    v9Packet(header, v9Templates([256, flow], [257, h3c]), options, set(300, concat(u8(1), u32(64), u8(2)), 4)),
    v9Packet(header, set(256, concat(record(1), record(2), record(3)), 4)),
    v9Packet(header, set(257, concat(ipv4('10.0.0.9'), ipv4('10.0.0.8'), varlen(text('vrf')), u64(5)))),
  ];
}

function ipfixSeeds(): Uint8Array[] {
  const header = { exportTime: UNIX, domain: 1 };
  const flow = [
    [8, 4],
    [12, 4],
    [7, 2],
    [11, 2],
    [4, 1],
    [1, 8],
    [2, 8],
    [152, 8],
    [153, 8],
    [1, 8, 29305],
    [14, 1, 6871],
  ] as const;
  const record = (n: number) =>
    concat(
      ipv4(`10.0.0.${n}`),
      ipv4('10.1.0.1'),
      u16(n),
      u16(53),
      u8(17),
      u64(300),
      u64(2),
      u64(UNIX * 1000),
      u64(UNIX * 1000 + 5),
      u64(9),
      u8(2),
    );
  const strings = [
    [27, 16],
    [28, 16],
    [82, 65535],
    [130, 65535, 5951],
  ] as const;
  const v6 = new Uint8Array(16).fill(0xfd);
  const options = ipfixOptionsTemplate(400, 1, [
    [302, 4],
    [305, 4],
    [306, 4],
    [160, 8],
  ]);
  return [
    ipfixMessage(
      header,
      ipfixTemplates([256, flow], [257, strings]),
      options,
      set(400, concat(u32(1), u32(1), u32(9), u64(UNIX * 1000))),
    ),
    ipfixMessage(
      header,
      set(256, concat(record(1), record(2)), 4),
      set(257, concat(v6, v6, varlen(text('eth0')), varlen(text('x'.repeat(300))))),
    ),
    concat(
      ipfixMessage(header, set(256, record(3))),
      ipfixMessage({ ...header, domain: 2 }, ipfixTemplates([256, flow]), set(256, record(4))),
    ),
    ipfixMessage(header, ipfixWithdrawal(257), ipfixWithdrawal(3, 3)),
  ];
}

/** the valid starting packets of one format */
export function seedPackets(format: FuzzFormat): Uint8Array[] {
  if (format === 'v5') return v5Seeds();
  return format === 'v9' ? v9Seeds() : ipfixSeeds();
}
