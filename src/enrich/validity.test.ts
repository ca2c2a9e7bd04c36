import { describe, expect, it } from 'vitest';
import { type Claim, pickClaim } from './validity.js';

const claim = (name: string, from: number, to = Infinity, active = true) => ({ name, from, to, active });
const pick = (claims: (Claim & { name: string })[], at: number, grace = 10) => pickClaim(claims, at, grace)?.name;

describe('pickClaim()', () => {
  it('prefers the claim live at the time; the earlier-ending one when two overlap', () => {
    const claims = [claim('new', 50), claim('old', 0, 100)];
    expect(pick(claims, 40)).toBe('old');
    expect(pick(claims, 60)).toBe('old');
    expect(pick(claims, 101)).toBe('new');
  });

  it('uses a deleted claim within the grace period, then forgets it', () => {
    expect(pick([claim('gone', 0, 100)], 105)).toBe('gone');
    expect(pick([claim('gone', 0, 100)], 111)).toBeUndefined();
  });

  it('prefers an active claim over a finished one, and a finished live one over a deleted one', () => {
    expect(pick([claim('done', 0, Infinity, false), claim('running', 0)], 5)).toBe('running');
    expect(pick([claim('done', 0, Infinity, false), claim('gone', 0, 4)], 5)).toBe('done');
  });

  it('answers with an existing claim for times before its creation (clock skew, old snapshots)', () => {
    expect(pick([claim('later', 100)], 50)).toBe('later');
    expect(pick([claim('tomb', 100, 200)], 50)).toBeUndefined();
  });
});
