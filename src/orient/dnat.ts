/**
 * Finding the conversation a record belongs to when its 5-tuple key is new: the other DNAT view of a known
 * conversation (ClusterIP before DNAT, backing pod after), else a new conversation.
 * @module
 */
import type { EnrichedFlow } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import { type Conv, type ConvSide, MERGED, SVC_SIDE } from './conversation.js';
import type { ConversationTable } from './table.js';
import { ABSENT } from './tuple-table.js';

export interface OpenContext {
  readonly table: ConversationTable;
  readonly index: MetadataIndex;
  readonly dnatMerge: boolean;
  readonly pairingDelayMs: number;
  /** how long a conversation addressed to a ClusterIP waits for the post-DNAT view (>= pairingDelayMs) */
  readonly dnatWaitMs: number;
  /** frees room in a full table (sweeps); returns true when a conversation may be added */
  makeRoom(now: number): boolean;
  /** counts one DNAT merge */
  onMerge(): void;
}

function sideOf(ctx: OpenContext, c: Conv, addr: IpAddress, port: number): ConvSide {
  const s = ctx.table.convs;
  if (s.aAddr[c] === addr && s.aPort[c] === port) return 1;
  if (s.bAddr[c] === addr && s.bPort[c] === port) return 2;
  return 0;
}

/** records on `c` the Service side of `ef` (its destination when `svcIsDst`, else its source) and the side it holds */
function setService(ctx: OpenContext, c: Conv, ef: EnrichedFlow, svcIsDst: boolean, svcPort: number, side: ConvSide) {
  const s = ctx.table.convs;
  s.svcAddr[c] = svcIsDst ? ef.flow.dstAddr : ef.flow.srcAddr;
  s.svcPort[c] = svcPort;
  s.service[c] = svcIsDst ? ef.dst : ef.src;
  s.setField(c, SVC_SIDE, side);
}

/** whether a new conversation fits (a full table is swept first, at most once a second) */
function hasRoom(ctx: OpenContext, now: number): boolean {
  return ctx.table.size < ctx.table.max || ctx.makeRoom(now);
}

/** adds a created conversation to the table; one addressed to a ClusterIP and not yet merged waits longer */
function admit(ctx: OpenContext, c: Conv, now: number, waitsForDnat: boolean): void {
  ctx.table.add(c, now + (waitsForDnat ? ctx.dnatWaitMs : ctx.pairingDelayMs));
}

/** records the pre-DNAT view `ef` on `c`, a conversation of its client with the Service's backend */
function attachService(ctx: OpenContext, c: Conv, ef: EnrichedFlow, sp: number, dp: number, svcIsDst: boolean) {
  ctx.table.alias(c, ef.flow.srcAddr, sp, ef.flow.dstAddr, dp);
  if (ctx.table.convs.service[c] !== undefined) return;
  const clientSide = svcIsDst ? sideOf(ctx, c, ef.flow.srcAddr, sp) : sideOf(ctx, c, ef.flow.dstAddr, dp);
  setService(ctx, c, ef, svcIsDst, svcIsDst ? dp : sp, (3 - clientSide) as ConvSide);
  ctx.table.markMerged(c);
  ctx.onMerge();
}

/**
 * The conversation of a record whose key is not in the table, or undefined when the table is full.
 * `sp`/`dp` are the record's ports (0 for portless protocols).
 */
export function openConversation(
  ctx: OpenContext,
  ef: EnrichedFlow,
  sp: number,
  dp: number,
  now: number,
): Conv | undefined {
  const r = ef.flow;
  if (ctx.dnatMerge) {
    const srcSvc = ef.src.kind === 'service';
    const dstSvc = ef.dst.kind === 'service';
    if (srcSvc !== dstSvc) return openPreDnat(ctx, ef, sp, dp, dstSvc, now);
    if (!srcSvc && ctx.table.unmergedServices > 0) {
      const found =
        findPreDnat(ctx, ef, r.srcAddr, sp, r.dstAddr, dp, ef.dst) ??
        findPreDnat(ctx, ef, r.dstAddr, dp, r.srcAddr, sp, ef.src);
      if (found !== undefined) return found;
    }
  }
  if (!hasRoom(ctx, now)) return undefined;
  const c = ctx.table.convs.open(r.ipProtocol, r.srcAddr, sp, ef.src, r.dstAddr, dp, ef.dst, now);
  admit(ctx, c, now, false);
  return c;
}

/**
 * A record addressed to (`svcIsDst`) or answered by a Service: join the post-DNAT conversation when known. The
 * record's other side is the client.
 */
function openPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  sp: number,
  dp: number,
  svcIsDst: boolean,
  now: number,
): Conv | undefined {
  const r = ef.flow;
  const proto = r.ipProtocol;
  const s = ctx.table.convs;
  const clientAddr = svcIsDst ? r.srcAddr : r.dstAddr;
  const clientPort = svcIsDst ? sp : dp;
  const clientEp = svcIsDst ? ef.src : ef.dst;
  const svcAddr = svcIsDst ? r.dstAddr : r.srcAddr;
  const svcPort = svcIsDst ? dp : sp;
  const svcEp = svcIsDst ? ef.dst : ef.src;
  const natAddr = svcIsDst ? r.postNatDstAddr : r.postNatSrcAddr;
  if (natAddr !== undefined && natAddr !== svcAddr) {
    // the exporter tells the translation
    const natPort = (svcIsDst ? r.postNatDstPort : r.postNatSrcPort) ?? svcPort;
    const known = ctx.table.get(proto, clientAddr, clientPort, natAddr, natPort);
    if (known !== ABSENT) {
      attachService(ctx, known, ef, sp, dp, svcIsDst);
      return known;
    }
    if (!hasRoom(ctx, now)) return undefined;
    const podEp = ctx.index.lookup(natAddr, r.end, natPort, proto);
    const c = s.open(proto, clientAddr, clientPort, clientEp, natAddr, natPort, podEp, now);
    admit(ctx, c, now, false);
    attachService(ctx, c, ef, sp, dp, svcIsDst);
    return c;
  }
  const cand = ctx.table.byHalfKey(clientAddr, clientPort, proto);
  if (cand !== ABSENT && s.ipProtocol[cand] === proto && s.service[cand] === undefined) {
    const clientSide = sideOf(ctx, cand, clientAddr, clientPort);
    const podSide = (3 - clientSide) as ConvSide;
    const podEp = (podSide === 1 ? s.aEp[cand] : s.bEp[cand])!;
    const podAddr = (podSide === 1 ? s.aAddr[cand] : s.bAddr[cand])!;
    if (clientSide !== 0 && podEp.kind === 'pod' && ctx.index.isServiceBackend(svcEp, podAddr, r.end)) {
      attachService(ctx, cand, ef, sp, dp, svcIsDst);
      return cand;
    }
  }
  if (!hasRoom(ctx, now)) return undefined;
  const c = s.open(proto, clientAddr, clientPort, clientEp, svcAddr, svcPort, svcEp, now);
  setService(ctx, c, ef, svcIsDst, svcPort, 2);
  admit(ctx, c, now, true);
  return c;
}

/** a record between two non-Services: the post-DNAT view of a waiting pre-DNAT conversation from the client? */
function findPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  clientAddr: IpAddress,
  clientPort: number,
  podAddr: IpAddress,
  podPort: number,
  podEp: Endpoint,
): Conv | undefined {
  if (podEp.kind !== 'pod') return undefined;
  const proto = ef.flow.ipProtocol;
  const cand = ctx.table.byHalfKey(clientAddr, clientPort, proto);
  if (cand === ABSENT) return undefined;
  const s = ctx.table.convs;
  const service = s.service[cand];
  if (s.has(cand, MERGED) || s.field(cand, SVC_SIDE) !== 2 || service === undefined) return undefined;
  if (s.ipProtocol[cand] !== proto || s.aAddr[cand] !== clientAddr || s.aPort[cand] !== clientPort) return undefined;
  if (!ctx.index.isServiceBackend(service, podAddr, ef.flow.end)) return undefined;
  ctx.table.replaceServiceSide(cand, podAddr, podPort, podEp);
  ctx.onMerge();
  return cand;
}
