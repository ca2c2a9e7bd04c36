/**
 * Finding the conversation a record belongs to when its 5-tuple key is new: the other DNAT view of a known
 * conversation (ClusterIP before DNAT, backing pod after), else a new conversation.
 * @module
 */
import type { EnrichedFlow } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { FlowRecord, IpAddress } from '../core/flow.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import { Conversation, type ConvSide } from './conversation.js';
import type { ConversationTable } from './table.js';

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

function sideOf(c: Conversation, addr: IpAddress, port: number): ConvSide {
  if (c.aAddr === addr && c.aPort === port) return 1;
  if (c.bAddr === addr && c.bPort === port) return 2;
  return 0;
}

type Half = readonly [IpAddress, number, Endpoint];

function create(
  ctx: OpenContext,
  proto: number,
  now: number,
  aAddr: IpAddress,
  aPort: number,
  aEp: Endpoint,
  bAddr: IpAddress,
  bPort: number,
  bEp: Endpoint,
  service: Half | undefined,
): Conversation | undefined {
  if (ctx.table.size >= ctx.table.max && !ctx.makeRoom(now)) return undefined;
  const c = new Conversation(ctx.table.numbers, proto, aAddr, aPort, aEp, bAddr, bPort, bEp, now);
  if (service !== undefined) {
    c.svcSide = 2;
    [c.svcAddr, c.svcPort, c.service] = service;
    c.merged = service[0] !== bAddr;
  }
  // a ClusterIP-addressed conversation not yet merged waits for the other node's post-DNAT export
  const waitsForDnat = service !== undefined && service[0] === bAddr;
  ctx.table.add(c, now + (waitsForDnat ? ctx.dnatWaitMs : ctx.pairingDelayMs));
  return c;
}

/** records the pre-DNAT view on a conversation whose `podSide` is the Service's backend */
function attachService(
  ctx: OpenContext,
  c: Conversation,
  r: FlowRecord,
  sp: number,
  dp: number,
  podSide: ConvSide,
  svc: Half,
) {
  ctx.table.alias(c, r.srcAddr, sp, r.dstAddr, dp);
  if (c.service !== undefined) return;
  [c.svcAddr, c.svcPort, c.service] = svc;
  c.svcSide = podSide;
  c.merged = true;
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
): Conversation | undefined {
  const r = ef.flow;
  const proto = r.ipProtocol;
  if (ctx.dnatMerge) {
    const srcSvc = ef.src.kind === 'service';
    const dstSvc = ef.dst.kind === 'service';
    if (srcSvc !== dstSvc) {
      const src: Half = [r.srcAddr, sp, ef.src];
      const dst: Half = [r.dstAddr, dp, ef.dst];
      return dstSvc
        ? openPreDnat(ctx, ef, sp, dp, src, dst, true, now)
        : openPreDnat(ctx, ef, sp, dp, dst, src, false, now);
    }
    if (!srcSvc && ctx.table.unmergedServices > 0) {
      const found =
        findPreDnat(ctx, ef, sp, dp, r.srcAddr, sp, r.dstAddr, dp, ef.dst) ??
        findPreDnat(ctx, ef, sp, dp, r.dstAddr, dp, r.srcAddr, sp, ef.src);
      if (found) return found;
    }
  }
  return create(ctx, proto, now, r.srcAddr, sp, ef.src, r.dstAddr, dp, ef.dst, undefined);
}

/** a record addressed to (or answered by) a Service: join the post-DNAT conversation when known */
function openPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  sp: number,
  dp: number,
  client: Half,
  svc: Half,
  svcIsDst: boolean,
  now: number,
): Conversation | undefined {
  const r = ef.flow;
  const proto = r.ipProtocol;
  const natAddr = svcIsDst ? r.postNatDstAddr : r.postNatSrcAddr;
  if (natAddr !== undefined && natAddr !== svc[0]) {
    // the exporter tells the translation
    const natPort = (svcIsDst ? r.postNatDstPort : r.postNatSrcPort) ?? svc[1];
    const known = ctx.table.get(proto, client[0], client[1], natAddr, natPort);
    if (known) {
      attachService(ctx, known, r, sp, dp, (3 - sideOf(known, client[0], client[1])) as ConvSide, svc);
      return known;
    }
    const podEp = ctx.index.lookup(natAddr, r.end, natPort, proto);
    const c = create(ctx, proto, now, client[0], client[1], client[2], natAddr, natPort, podEp, svc);
    if (c) {
      ctx.table.alias(c, r.srcAddr, sp, r.dstAddr, dp);
      ctx.onMerge();
    }
    return c;
  }
  const cand = ctx.table.byHalfKey(client[0], client[1], proto);
  if (cand !== undefined && cand.ipProtocol === proto && cand.service === undefined) {
    const clientSide = sideOf(cand, client[0], client[1]);
    const podSide = (3 - clientSide) as ConvSide;
    const podEp = podSide === 1 ? cand.aEp : cand.bEp;
    const podAddr = podSide === 1 ? cand.aAddr : cand.bAddr;
    if (clientSide !== 0 && podEp.kind === 'pod' && ctx.index.isServiceBackend(svc[2], podAddr, r.end)) {
      attachService(ctx, cand, r, sp, dp, podSide, svc);
      return cand;
    }
  }
  return create(ctx, proto, now, client[0], client[1], client[2], svc[0], svc[1], svc[2], svc);
}

/** a record between two non-Services: the post-DNAT view of a waiting pre-DNAT conversation from the client? */
function findPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  sp: number,
  dp: number,
  clientAddr: IpAddress,
  clientPort: number,
  podAddr: IpAddress,
  podPort: number,
  podEp: Endpoint,
): Conversation | undefined {
  if (podEp.kind !== 'pod') return undefined;
  const proto = ef.flow.ipProtocol;
  const cand = ctx.table.byHalfKey(clientAddr, clientPort, proto);
  if (cand === undefined || cand.merged || cand.svcSide !== 2 || cand.service === undefined) return undefined;
  if (cand.ipProtocol !== proto || cand.aAddr !== clientAddr || cand.aPort !== clientPort) return undefined;
  if (!ctx.index.isServiceBackend(cand.service, podAddr, ef.flow.end)) return undefined;
  cand.bAddr = podAddr;
  cand.bPort = podPort;
  cand.bEp = podEp;
  cand.bReplaced = true;
  cand.merged = true;
  ctx.table.alias(cand, ef.flow.srcAddr, sp, ef.flow.dstAddr, dp);
  ctx.table.merged();
  ctx.onMerge();
  return cand;
}
