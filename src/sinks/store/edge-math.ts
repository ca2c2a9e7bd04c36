/**
 * Evidence ranks as backends store them, and matching edges against selectors. Pure. Summing edges lives in
 * src/aggregate/edge-sum.ts.
 * @module
 */
import type { OrientationEvidence } from '../../core/conversation.js';
import type { MapNode } from '../../core/edge.js';
import { EVIDENCE_BY_RANK, EVIDENCE_RANK } from '../../core/evidence.js';
import type { EdgeSelector } from './contracts.js';

/** the rank a backend stores for `evidence` (strongest 0) */
export function evidenceRank(evidence: OrientationEvidence): number {
  return EVIDENCE_RANK[evidence];
}

/** the evidence of a stored rank; unknown ranks read as 'unknown' */
export function evidenceOfRank(rank: number): OrientationEvidence {
  return EVIDENCE_BY_RANK[rank] ?? 'unknown';
}

/** does `node` answer to `ref` (an id, or `namespace:<ns>` for every node of that namespace) */
export function nodeMatches(ref: string, node: MapNode): boolean {
  if (node.id === ref) return true;
  return ref.startsWith('namespace:') && node.namespace !== '' && ref.slice(10) === node.namespace;
}

export function selectorMatches(
  selector: EdgeSelector,
  edge: { client: MapNode; server: MapNode; port: number; ipProtocol: number },
): boolean {
  if (selector.port !== undefined && selector.port !== edge.port) return false;
  if (selector.ipProtocol !== undefined && selector.ipProtocol !== edge.ipProtocol) return false;
  if (selector.client !== undefined && !nodeMatches(selector.client, edge.client)) return false;
  if (selector.server !== undefined && !nodeMatches(selector.server, edge.server)) return false;
  return true;
}

/** true when the selector matches every edge (no join needed) */
export function selectsAll(selector: EdgeSelector): boolean {
  return (
    selector.client === undefined &&
    selector.server === undefined &&
    selector.port === undefined &&
    selector.ipProtocol === undefined
  );
}
