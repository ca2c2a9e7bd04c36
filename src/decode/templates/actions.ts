/**
 * What the fast path does with one template field: an action code chosen once, when the template arrives.
 * Fields whose action is NONE are skipped on the fast path (their offset is known, nothing is read).
 * @module
 */
import { CERT_PEN, REVERSE_PEN } from '../elements/index.js';

export const Action = {
  NONE: 0,
  SRC_V4: 1,
  DST_V4: 2,
  SRC_V6: 3,
  DST_V6: 4,
  SRC_PORT: 5,
  DST_PORT: 6,
  PROTO: 7,
  TCP_FLAGS: 8,
  BYTES: 9,
  PACKETS: 10,
  BYTES_TOTAL: 11,
  PACKETS_TOTAL: 12,
  BYTES_POST: 13,
  PACKETS_POST: 14,
  INITIATOR_OCTETS: 15,
  RESPONDER_OCTETS: 16,
  INITIATOR_PACKETS: 17,
  RESPONDER_PACKETS: 18,
  START_SEC: 19,
  END_SEC: 20,
  START_MS: 21,
  END_MS: 22,
  START_NTP: 23,
  END_NTP: 24,
  START_UPTIME: 25,
  END_UPTIME: 26,
  START_DELTA_US: 27,
  END_DELTA_US: 28,
  DURATION_MS: 29,
  DURATION_US: 30,
  SYS_INIT_MS: 31,
  OBSERVATION_MS: 32,
  SAMPLING_INTERVAL: 33,
  SAMPLER_RANDOM_INTERVAL: 34,
  SAMPLING_PACKET_INTERVAL: 35,
  SAMPLING_PACKET_SPACE: 36,
  SAMPLER_ID: 37,
  FLOW_DIRECTION: 38,
  BIFLOW_DIRECTION: 39,
  REV_BYTES: 40,
  REV_PACKETS: 41,
  REV_BYTES_TOTAL: 42,
  REV_PACKETS_TOTAL: 43,
  REV_TCP_FLAGS: 44,
  INITIAL_TCP_FLAGS: 45,
  UNION_TCP_FLAGS: 46,
  REV_INITIAL_TCP_FLAGS: 47,
  REV_UNION_TCP_FLAGS: 48,
  NAT_SRC_V4: 49,
  NAT_DST_V4: 50,
  NAT_SRC_V6: 51,
  NAT_DST_V6: 52,
  NAT_SRC_PORT: 53,
  NAT_DST_PORT: 54,
} as const;

/** an action code (a value of `Action`) */
export type Action = (typeof Action)[keyof typeof Action];

/** an unsigned integer field: reduced-size encoding allows 1 to 8 bytes */
const INT = (len: number) => len >= 1 && len <= 8;
const is = (n: number) => (len: number) => len === n;

type Rule = readonly [Action, (len: number) => boolean];

const IANA_RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [8, [Action.SRC_V4, is(4)]],
  [12, [Action.DST_V4, is(4)]],
  [27, [Action.SRC_V6, is(16)]],
  [28, [Action.DST_V6, is(16)]],
  [7, [Action.SRC_PORT, INT]],
  [11, [Action.DST_PORT, INT]],
  [4, [Action.PROTO, INT]],
  [6, [Action.TCP_FLAGS, INT]],
  [1, [Action.BYTES, INT]],
  [2, [Action.PACKETS, INT]],
  [85, [Action.BYTES_TOTAL, INT]],
  [86, [Action.PACKETS_TOTAL, INT]],
  [23, [Action.BYTES_POST, INT]],
  [24, [Action.PACKETS_POST, INT]],
  [231, [Action.INITIATOR_OCTETS, INT]],
  [232, [Action.RESPONDER_OCTETS, INT]],
  [298, [Action.INITIATOR_PACKETS, INT]],
  [299, [Action.RESPONDER_PACKETS, INT]],
  [150, [Action.START_SEC, INT]],
  [151, [Action.END_SEC, INT]],
  [152, [Action.START_MS, INT]],
  [153, [Action.END_MS, INT]],
  [154, [Action.START_NTP, is(8)]],
  [155, [Action.END_NTP, is(8)]],
  [156, [Action.START_NTP, is(8)]],
  [157, [Action.END_NTP, is(8)]],
  [22, [Action.START_UPTIME, INT]],
  [21, [Action.END_UPTIME, INT]],
  [158, [Action.START_DELTA_US, INT]],
  [159, [Action.END_DELTA_US, INT]],
  [161, [Action.DURATION_MS, INT]],
  [162, [Action.DURATION_US, INT]],
  [160, [Action.SYS_INIT_MS, INT]],
  [323, [Action.OBSERVATION_MS, INT]],
  [34, [Action.SAMPLING_INTERVAL, INT]],
  [50, [Action.SAMPLER_RANDOM_INTERVAL, INT]],
  [305, [Action.SAMPLING_PACKET_INTERVAL, INT]],
  [306, [Action.SAMPLING_PACKET_SPACE, INT]],
  [48, [Action.SAMPLER_ID, INT]],
  [302, [Action.SAMPLER_ID, INT]],
  [61, [Action.FLOW_DIRECTION, INT]],
  [239, [Action.BIFLOW_DIRECTION, INT]],
  [225, [Action.NAT_SRC_V4, is(4)]],
  [226, [Action.NAT_DST_V4, is(4)]],
  [281, [Action.NAT_SRC_V6, is(16)]],
  [282, [Action.NAT_DST_V6, is(16)]],
  [227, [Action.NAT_SRC_PORT, INT]],
  [228, [Action.NAT_DST_PORT, INT]],
]);

/** Cisco NSEL (ASA) NetFlow v9 field types for the translated addresses, before IANA 225-228 existed */
const NSEL_V9_RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [40001, [Action.NAT_SRC_V4, is(4)]],
  [40002, [Action.NAT_DST_V4, is(4)]],
  [40003, [Action.NAT_SRC_PORT, INT]],
  [40004, [Action.NAT_DST_PORT, INT]],
]);

const REVERSE_RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [1, [Action.REV_BYTES, INT]],
  [2, [Action.REV_PACKETS, INT]],
  [85, [Action.REV_BYTES_TOTAL, INT]],
  [86, [Action.REV_PACKETS_TOTAL, INT]],
  [6, [Action.REV_TCP_FLAGS, INT]],
]);

const CERT_RULES: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [14, [Action.INITIAL_TCP_FLAGS, INT]],
  [15, [Action.UNION_TCP_FLAGS, INT]],
  [0x4000 | 14, [Action.REV_INITIAL_TCP_FLAGS, INT]],
  [0x4000 | 15, [Action.REV_UNION_TCP_FLAGS, INT]],
]);

function ruleFor(enterprise: number, id: number, version: number): Rule | undefined {
  if (enterprise === 0) return IANA_RULES.get(id) ?? (version === 9 ? NSEL_V9_RULES.get(id) : undefined);
  if (enterprise === REVERSE_PEN) return REVERSE_RULES.get(id);
  return enterprise === CERT_PEN ? CERT_RULES.get(id) : undefined;
}

/** the action for a field of a fixed `length`; NONE for variable-length fields and lengths that do not fit */
export function actionOf(enterprise: number, id: number, length: number, version: number): Action {
  const rule = ruleFor(enterprise, id, version);
  if (!rule?.[1](length)) return Action.NONE;
  return rule[0];
}
