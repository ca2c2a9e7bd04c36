import { describe, expect, it } from 'vitest';
import { readCounter, readInt, readUint } from './cursor.js';
import { u64 } from './testing.js';

const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);

describe('cursor readers', () => {
  it('read 1 to 8 byte integers without BigInt', () => {
    const bytes = Uint8Array.from([0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0xfa, 0xf9, 0xf8]);
    expect([1, 2, 3, 4, 5].map((n) => readUint(view(bytes), 0, n))).toEqual([
      0xff, 0xfffe, 0xfffefd, 0xfffefdfc, 0xfffefdfcfb,
    ]);
    expect(readUint(view(u64(2 ** 52 + 3)), 0, 8)).toBe(2 ** 52 + 3);
    expect([1, 2, 3, 4].map((n) => readInt(view(bytes), 0, n))).toEqual([-1, -2, -259, -66052]);
    expect(readCounter(view(u64(2 ** 53 + 10)), 0, 8)).toBe(Number.MAX_SAFE_INTEGER);
  });
});
