/**
 * The kinds of direction evidence ranked, strongest first: a kind's rank is what stores persist and what decides
 * which of two answers for one edge wins.
 * @module
 */
import type { OrientationEvidence } from './conversation.js';

/** rank of each evidence kind: lower is stronger (a Record, so a new kind fails to compile until ranked here) */
export const EVIDENCE_RANK: Readonly<Record<OrientationEvidence, number>> = {
  'tcp-handshake': 0,
  biflow: 1,
  'flow-pairing': 2,
  'service-port': 3,
  'container-port': 4,
  'port-heuristic': 5,
  unknown: 6,
};

/** evidence kinds by rank, strongest first */
export const EVIDENCE_BY_RANK = Object.keys(EVIDENCE_RANK).sort(
  (a, b) => EVIDENCE_RANK[a as OrientationEvidence] - EVIDENCE_RANK[b as OrientationEvidence],
) as [OrientationEvidence, ...OrientationEvidence[]];
