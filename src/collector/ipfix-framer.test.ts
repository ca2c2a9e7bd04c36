import { describe, expect, it } from 'vitest';
import { createIpfixFramer } from './ipfix-framer.js';

function message(length: number, fill: number): Uint8Array {
  const bytes = new Uint8Array(length).fill(fill);
  bytes[0] = 0;
  bytes[1] = 10;
  bytes[2] = length >> 8;
  bytes[3] = length & 255;
  return bytes;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('createIpfixFramer()', () => {
  it('splits coalesced messages and joins messages split at every byte', () => {
    const a = message(20, 0xaa);
    const b = message(100, 0xbb);
    const c = message(16, 0xcc);
    const stream = concat(a, b, c);
    const framer = createIpfixFramer(65_535);
    const got: Uint8Array[] = [];
    expect(framer.push(stream, (m) => got.push(m.slice()))).toBeUndefined();
    expect(got).toEqual([a, b, c]);

    const byByte = createIpfixFramer(65_535);
    const got2: Uint8Array[] = [];
    for (let i = 0; i < stream.length; i++) byByte.push(stream.subarray(i, i + 1), (m) => got2.push(m.slice()));
    expect(got2).toEqual([a, b, c]);
    expect(byByte.pending).toBe(0);
  });

  it('holds an incomplete tail until the rest arrives', () => {
    const a = message(64, 1);
    const framer = createIpfixFramer(65_535);
    const got: Uint8Array[] = [];
    framer.push(a.subarray(0, 10), (m) => got.push(m));
    expect(got).toHaveLength(0);
    expect(framer.pending).toBe(10);
    framer.push(a.subarray(10), (m) => got.push(m));
    expect(got).toEqual([a]);
  });

  it('reports a length below the header, above the limit, or a wrong version', () => {
    const short = message(20, 0);
    short[3] = 15;
    expect(createIpfixFramer(65_535).push(short, () => {})).toBe('bad-length');
    expect(createIpfixFramer(1000).push(message(1001, 0), () => {})).toBe('bad-length');
    const v9 = message(20, 0);
    v9[1] = 9;
    expect(createIpfixFramer(65_535).push(v9, () => {})).toBe('bad-version');
  });
});
