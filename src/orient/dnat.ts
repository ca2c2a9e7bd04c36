/**
 * Finding the conversation a record belongs to when its 5-tuple key is new: the other DNAT view of a known
 * conversation (ClusterIP before DNAT, backing pod after), else a new conversation.
 * @module
 */
import type { EnrichedFlow } from '../core/conversation.js';
import type { Endpoint } from '../core/endpoint.js';
import type { IpAddress } from '../core/flow.js';
import type { MetadataIndex } from '../enrich/contracts.js';
import { Conversation, type ConvSide, conversationKey } from './conversation.js';
import type { ConversationTable } from './table.js';

export interface OpenContext {
  readonly table: ConversationTable;
  readonly index: MetadataIndex;
  readonly dnatMerge: boolean;
  readonly pairingDelayMs: number;
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

function create(
  ctx: OpenContext,
  key: string,
  proto: number,
  now: number,
  a: readonly [IpAddress, number, Endpoint],
  b: readonly [IpAddress, number, Endpoint],
  service: readonly [IpAddress, number, Endpoint] | undefined,
): Conversation | undefined {
  if (ctx.table.size >= ctx.table.max && !ctx.makeRoom(now)) return undefined;
  const c = new Conversation(proto, a[0], a[1], a[2], b[0], b[1], b[2], now);
  c.deadline = now + ctx.pairingDelayMs;
  if (service !== undefined) {
    c.svcSide = 2;
    [c.svcAddr, c.svcPort, c.service] = service;
    c.merged = service[0] !== b[0];
  }
  ctx.table.add(c, key);
  return c;
}

/** records the pre-DNAT view on a conversation whose `podSide` is the Service's backend */
function attachService(
  ctx: OpenContext,
  c: Conversation,
  key: string,
  podSide: ConvSide,
  svc: readonly [IpAddress, number, Endpoint],
) {
  ctx.table.alias(c, key);
  if (c.service !== undefined) return;
  [c.svcAddr, c.svcPort, c.service] = svc;
  c.svcSide = podSide;
  c.merged = true;
  c.orientation = undefined;
  ctx.onMerge();
}

/**
 * The conversation of a record whose key is not in the table, or undefined when the table is full.
 * `sp`/`dp` are the record's ports (0 for portless protocols).
 */
export function openConversation(
  ctx: OpenContext,
  ef: EnrichedFlow,
  key: string,
  sp: number,
  dp: number,
  now: number,
): Conversation | undefined {
  const r = ef.flow;
  const proto = r.ipProtocol;
  const src = [r.srcAddr, sp, ef.src] as const;
  const dst = [r.dstAddr, dp, ef.dst] as const;
  if (!ctx.dnatMerge) return create(ctx, key, proto, now, src, dst, undefined);
  const srcSvc = ef.src.kind === 'service';
  const dstSvc = ef.dst.kind === 'service';
  if (srcSvc !== dstSvc) {
    const [client, svc] = dstSvc ? [src, dst] : [dst, src];
    return openPreDnat(ctx, ef, key, client, svc, dstSvc, now);
  }
  if (!srcSvc && ctx.table.unmergedServices > 0) {
    const found = findPreDnat(ctx, ef, key, src, dst) ?? findPreDnat(ctx, ef, key, dst, src);
    if (found) return found;
  }
  return create(ctx, key, proto, now, src, dst, undefined);
}

/** a record addressed to (or answered by) a Service: join the post-DNAT conversation when known */
function openPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  key: string,
  client: readonly [IpAddress, number, Endpoint],
  svc: readonly [IpAddress, number, Endpoint],
  svcIsDst: boolean,
  now: number,
): Conversation | undefined {
  const r = ef.flow;
  const proto = r.ipProtocol;
  const natAddr = svcIsDst ? r.postNatDstAddr : r.postNatSrcAddr;
  if (natAddr !== undefined && natAddr !== svc[0]) {
    // the exporter tells the translation
    const natPort = (svcIsDst ? r.postNatDstPort : r.postNatSrcPort) ?? svc[1];
    const podKey = conversationKey(proto, client[0], client[1], natAddr, natPort);
    const known = ctx.table.get(podKey);
    if (known) {
      attachService(ctx, known, key, (3 - sideOf(known, client[0], client[1])) as ConvSide, svc);
      return known;
    }
    const pod = [natAddr, natPort, ctx.index.lookup(natAddr, r.end, natPort, proto)] as const;
    const c = create(ctx, podKey, proto, now, client, pod, svc);
    if (c) {
      ctx.table.alias(c, key);
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
      attachService(ctx, cand, key, podSide, svc);
      return cand;
    }
  }
  return create(ctx, key, proto, now, client, svc, svc);
}

/** a record between two non-Services: the post-DNAT view of a waiting pre-DNAT conversation from `client`? */
function findPreDnat(
  ctx: OpenContext,
  ef: EnrichedFlow,
  key: string,
  client: readonly [IpAddress, number, Endpoint],
  pod: readonly [IpAddress, number, Endpoint],
): Conversation | undefined {
  if (pod[2].kind !== 'pod') return undefined;
  const cand = ctx.table.byHalfKey(client[0], client[1], ef.flow.ipProtocol);
  if (cand === undefined || cand.merged || cand.svcSide !== 2 || cand.service === undefined) return undefined;
  if (cand.ipProtocol !== ef.flow.ipProtocol || cand.aAddr !== client[0] || cand.aPort !== client[1]) return undefined;
  if (!ctx.index.isServiceBackend(cand.service, pod[0], ef.flow.end)) return undefined;
  cand.bAddr = pod[0];
  cand.bPort = pod[1];
  cand.bEp = pod[2];
  cand.merged = true;
  cand.orientation = undefined;
  ctx.table.alias(cand, key);
  ctx.table.merged();
  ctx.onMerge();
  return cand;
}
