/**
 * The orient stage's counters.
 * @module
 */
import type { OrientationEvidence } from '../core/conversation.js';
import type { StageStats } from '../pipeline/contracts.js';

/** the orient stage's counters, plain numbers (read on scrape) */
export interface OrientStats extends StageStats {
  /** conversations remembered now */
  readonly conversations: number;
  /** records waiting for their conversation's decision */
  readonly pendingRecords: number;
  /** records oriented on their own evidence because the conversation cap refused their conversation */
  readonly untracked: number;
  /** new conversations the cap refused */
  readonly refusedConversations: number;
  /** pre-DNAT (ClusterIP) views merged with their post-DNAT (pod) conversation */
  readonly dnatMerges: number;
  /** a known 5-tuple reused by a new connection (SYN after FIN/RST or after the idle timeout) */
  readonly reopened: number;
  /** conversations forgotten after idling or ending */
  readonly evicted: number;
  /** conversations decided before their pairing deadline because too many records were waiting */
  readonly forcedDecisions: number;
  /** directions another exporter view took over from an owner that stopped reporting them */
  readonly takeovers: number;
  /** conversations decided, by the evidence that decided them */
  readonly decided: Readonly<Record<OrientationEvidence, number>>;
}
