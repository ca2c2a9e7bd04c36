import { describe, expect, it, vi } from 'vitest';
import type { FlowRecord } from '../core/flow.js';
import type { DecodeCall, DecodedFields, DecodeStats, SubDecoder } from './contracts.js';
import { createPacketDecoder } from './decoder.js';
import { encodeSflowDatagram } from './sflow/testing.js';
import { recordFields } from './templates/fields.js';
import {
  concat,
  ipfixMessage,
  ipfixTemplates,
  ipv4,
  set,
  u16,
  u32,
  v5Packet,
  v9Packet,
  v9Templates,
} from './testing.js';

vi.mock('./templates/fields.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('./templates/fields.js')>();
  return { ...original, recordFields: vi.fn(original.recordFields) };
});

const v5 = v5Packet({ sysUptime: 1, unixSecs: 1 }, [
  { src: '10.0.0.1', dst: '10.0.0.2', srcPort: 1, dstPort: 2, protocol: 6, packets: 1, bytes: 1, first: 1, last: 1 },
]);
const v9 = v9Packet(
  { sysUptime: 1, unixSecs: 1 },
  v9Templates([
    256,
    [
      [8, 4],
      [12, 4],
    ],
  ]),
  set(256, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'))),
);
const ipfix = ipfixMessage(
  { exportTime: 1 },
  ipfixTemplates([
    256,
    [
      [8, 4],
      [12, 4],
    ],
  ]),
  set(256, concat(ipv4('10.0.0.1'), ipv4('10.0.0.2'))),
);
const sflow = concat(u32(5), u32(1), u32(0x0a000001), new Uint8Array(20));

function call(fields?: DecodedFields[]): DecodeCall & { out: FlowRecord[] } {
  return { exporter: '10.0.0.9', receivedAt: 0, out: [], ...(fields ? { fields } : {}) };
}

describe('createPacketDecoder()', () => {
  it('sniffs NetFlow v5, v9 and IPFIX from the first two bytes', () => {
    const decoder = createPacketDecoder({ clock: () => 0 });
    const c = call();
    for (const packet of [v5, v9, ipfix]) decoder.decode(packet, c);
    expect(c.out.map((r) => r.protocol)).toEqual(['netflow-v5', 'netflow-v9', 'ipfix']);
    expect(decoder.stats).toMatchObject({ packets: 3, records: 3, dropped: {} });
  });

  it('delegates sFlow v5 to the given sub-decoder with the same stats, by default to decodeSflow', () => {
    const seen: [Uint8Array, DecodeStats][] = [];
    const sub: SubDecoder = (packet, _call, stats) => {
      seen.push([packet, stats]);
    };
    const wired = createPacketDecoder({ clock: () => 0, sflow: sub });
    wired.decode(sflow, call());
    expect(seen).toEqual([[sflow, wired.stats]]);
    expect(wired.stats).toMatchObject({ packets: 1, dropped: {} });
    const fallback = createPacketDecoder({ clock: () => 0 });
    fallback.decode(encodeSflowDatagram({ agent: '10.0.0.1', counterSamples: 2 }), call());
    expect(fallback.stats).toMatchObject({ packets: 1, counterSamples: 2, dropped: {} });
  });

  it('drops other versions and runt packets, and turns an exception of a sub-decoder into decode-error', () => {
    const errors: unknown[] = [];
    const decoder = createPacketDecoder({
      clock: () => 0,
      sflow: () => {
        throw new Error('boom');
      },
      onError: (error) => errors.push(error),
    });
    for (const packet of [u16(7), new Uint8Array(1), sflow]) decoder.decode(packet, call());
    expect(decoder.stats.dropped).toEqual({ 'unknown-version': 1, truncated: 1, 'decode-error': 1 });
    expect(errors).toEqual([new Error('boom')]);
  });

  it('builds named fields only when the call asks for them', () => {
    const spy = vi.mocked(recordFields);
    spy.mockClear();
    const decoder = createPacketDecoder({ clock: () => 0 });
    decoder.decode(ipfix, call());
    expect(spy).not.toHaveBeenCalled();
    const fields: DecodedFields[] = [];
    decoder.decode(ipfix, call(fields));
    expect(spy).toHaveBeenCalledTimes(1);
    expect(fields[0]).toMatchObject({
      exporter: '10.0.0.9',
      version: 10,
      observationDomainId: 0,
      templateId: 256,
      recordKind: 'data',
      fields: { sourceIPv4Address: '10.0.0.1', destinationIPv4Address: '10.0.0.2' },
      record: { srcAddr: 0x0a000001 },
    });
  });
});
