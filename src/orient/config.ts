/**
 * Configuration of the orient stage: pairing both directions, conversation memory, dedup and DNAT merging.
 * @module
 */
import * as z from 'zod';
import { MAX_ROW } from './tuple-table.js';

/** ports many clusters serve on above 1023 (databases, brokers, Kubernetes components); the port heuristic treats
 * them like well-known ports */
export const DEFAULT_SERVICE_PORTS: readonly number[] = [
  1433, 1521, 2181, 2379, 2380, 3000, 3306, 4222, 4317, 4318, 5000, 5432, 5601, 5672, 6379, 6443, 7000, 7070, 8000,
  8080, 8081, 8443, 8500, 8888, 9000, 9042, 9090, 9092, 9093, 9100, 9200, 9300, 9411, 9443, 10250, 10255, 10256, 11211,
  15672, 15017, 27017,
];

const ms = (what: string) => z.number().int().nonnegative().describe(what);

export const orientConfig = z.object({
  pairingDelayMs: ms(
    'how long a record of an undecided conversation waits for its reverse direction (or a post-DNAT record) before ' +
      'the weaker evidence decides; measured on the collector clock',
  ).default(2_000),
  dnatWaitMs: ms(
    "how long records addressed to a Service ClusterIP (before DNAT) wait for the backing pod's record (after DNAT) " +
      "exported by the server's node; exporters send short flows after their inactive timeout, so keep it above " +
      'that (ipt_NETFLOW 15 s, softflowd 60 s default); without a post-DNAT record the Service is the server',
  ).default(30_000),
  idleTimeoutMs: ms(
    'a conversation without records for this long ends: its memory is freed, and a later record of the same ' +
      "5-tuple starting this long after the last one counts as a new connection. Keep it above the exporters' " +
      'active timeout, or long connections are counted again at every export. Also how far (record time) ' +
      "another exporter's records must reach past the last counted one to replace an owner that stopped reporting",
  ).default(300_000),
  endedLingerMs: ms(
    'a TCP conversation that showed FIN or RST is forgotten after this long without records (late records of ' +
      'other exporters still find it until then)',
  ).default(60_000),
  maxConversations: z
    .number()
    .int()
    .positive()
    .max(MAX_ROW)
    .describe(
      'cap on remembered conversations (about 370 bytes each, tables included; at most 16,777,214); records of conversations the cap refuses are ' +
        'oriented from their own evidence only, not deduplicated, and counted as untracked',
    )
    .default(200_000),
  maxPendingRecords: z
    .number()
    .int()
    .positive()
    .describe('cap on records waiting for pairing; above it the oldest conversations are decided early')
    .default(200_000),
  ephemeralPortMin: z
    .number()
    .int()
    .min(1024)
    .max(65535)
    .describe('ports at or above this are ephemeral client ports for the port heuristic (Linux uses 32768-60999)')
    .default(32768),
  servicePorts: z
    .array(z.number().int().min(1).max(65535))
    .describe('ports >= 1024 the port heuristic treats as server ports, like well-known ports below 1024')
    .default([...DEFAULT_SERVICE_PORTS]),
  pairingTieMs: ms(
    'flow pairing: first packets of the two directions closer than this (ms) are a tie and fall through to the ' +
      'next rule (0: only equal starts tie)',
  ).default(0),
  trustBiflowDirection: z
    .boolean()
    .describe(
      'RFC 5103 biflows without biflowDirection: true trusts the forward direction as the initiator (exporters ' +
        'that put the first packet seen first); false (default) lets the other rules decide, since exporters may ' +
        'order the sides arbitrarily (softflowd -b puts the lower address first)',
    )
    .default(false),
  dnatMerge: z
    .boolean()
    .describe(
      'merge records addressed to a Service ClusterIP (before DNAT) with the records to the backing pod (after DNAT) ' +
        'into one conversation attributed to the pod',
    )
    .default(true),
  scaleConnections: z
    .boolean()
    .describe(
      'multiply connection counts by the sampling rate too; off by default: under packet sampling a seen ' +
        'connection is one real connection, so unscaled counts are a lower bound and scaled ones overcount long flows',
    )
    .default(false),
});

export type OrientConfig = z.infer<typeof orientConfig>;
