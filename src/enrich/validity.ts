/**
 * Which of several owners of one address owned it at a given time. Pods own their IPs from creation until their
 * deletion is observed; finished pods (Succeeded, Failed) may still list an IP a running pod has been given since.
 * @module
 */

/** one claim on an address; `to` is Infinity while the owner exists */
export interface Claim {
  readonly from: number;
  readonly to: number;
  /** false for pods that finished (Succeeded/Failed): their IP may already belong to someone else */
  readonly active: boolean;
}

/**
 * Picks the claim that best explains a flow at `at`, by class, then within the class:
 * 0. live-at-`at` and active: the earliest end wins (a pod deleted later than `at` held the IP then, a newer pod
 *    could only get it after), then the latest start;
 * 1. live-at-`at` but finished;
 * 2. deleted before `at` but within `graceMs` (late flows of deleted pods): the most recently deleted;
 * 3. not yet created at `at` but still existing (clock skew, snapshots older than the flows): the earliest created.
 * Claims deleted more than `graceMs` before `at` never match.
 */
export function pickClaim<T extends Claim>(claims: readonly T[], at: number, graceMs: number): T | undefined {
  let best: T | undefined;
  let bestClass = 4;
  for (const claim of claims) {
    const cls = classOf(claim, at, graceMs);
    if (cls > bestClass || cls === 4) continue;
    if (cls < bestClass || best === undefined || better(claim, best, cls)) {
      best = claim;
      bestClass = cls;
    }
  }
  return best;
}

/** true when `claim` can explain a flow at `at` on its own (pickClaim of just this claim would pick it) */
export function claimMatches(claim: Claim, at: number, graceMs: number): boolean {
  return classOf(claim, at, graceMs) < 4;
}

function classOf(claim: Claim, at: number, graceMs: number): number {
  if (claim.from <= at && at <= claim.to) return claim.active ? 0 : 1;
  if (at > claim.to) return at - claim.to <= graceMs ? 2 : 4;
  return claim.to === Number.POSITIVE_INFINITY ? 3 : 4;
}

function better(a: Claim, b: Claim, cls: number): boolean {
  if (cls === 2) return a.to > b.to;
  if (cls === 3) return a.from < b.from;
  return a.to !== b.to ? a.to < b.to : a.from > b.from;
}
