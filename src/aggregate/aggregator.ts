/**
 * The aggregate stage: OrientedFlows summed into edges per time bucket and grouping level.
 * A WindowedStage: `add` counts flows into the bucket of their end time; `flush(now)` emits buckets whose end plus
 * `allowedLatenessMs` has passed on the collector clock (all open buckets when `final`), one EdgeWindow per level
 * per bucket, oldest first. Lateness rule: a flow whose bucket was already emitted counts in the oldest bucket not
 * yet emitted (and in `late`); its firstSeen/lastSeen keep the flow's own times. Cardinality cap: past
 * `maxEdgesPerWindow` distinct edges in a bucket and level, flows of new edges are refused; EdgeWindow.dropped and
 * the 'cardinality-cap' counter count those refused flows (OrientedFlows, not distinct edges: counting distinct
 * refused keys would need the unbounded memory the cap exists to avoid). Synchronous, no I/O.
 * @module
 */
import type { OrientedFlow } from '../core/conversation.js';
import type { Edge, EdgeWindow, GroupLevel } from '../core/edge.js';
import { type Endpoint, serviceName } from '../core/endpoint.js';
import { EVIDENCE_RANK } from '../core/evidence.js';
import type { IpAddress } from '../core/flow.js';
import { mapPortOf } from '../core/map-node.js';
import type { StageStats, WindowedStage } from '../pipeline/contracts.js';
import type { AggregateConfig } from './config.js';
import { addCounts, type EdgeAccumulator, toEdge } from './edge-sum.js';
import { compareEdges, mergeEdges } from './merge.js';
import { NodeCache } from './nodes.js';

/** the aggregate stage's counters, plain numbers */
export interface AggregateStats extends StageStats {
  /** flows counted in a later bucket than their end time because theirs was already emitted */
  readonly late: number;
  readonly windows: number;
  readonly openBuckets: number;
  /** distinct edges in the open buckets, summed over levels */
  readonly openEdges: number;
  /** map nodes cached, per level */
  readonly nodes: Readonly<Partial<Record<GroupLevel, number>>>;
}

export interface Aggregator extends WindowedStage<OrientedFlow, EdgeWindow[]> {
  stats(): AggregateStats;
  /** the still-open buckets as windows, oldest first, without emitting them (live answers); allocates */
  peek(): EdgeWindow[];
}

/** one edge's counters (EdgeAccumulator: `evidence` is a rank) and the next edge of its client and server */
interface Acc extends EdgeAccumulator {
  /** another port or protocol between the same client and server */
  other: Acc | undefined;
}

class LevelWindow {
  /** client idx -> server idx -> counters of one port and protocol, chained through `other` (small-integer keys) */
  readonly edges = new Map<number, Map<number, Acc>>();
  count = 0;
  dropped = 0;
  /**
   * The edge of the last flow counted and what found it: the orienter emits a conversation's records together
   * (both directions, every fragment), so the next flow often counts into the same edge without a lookup
   */
  memo: Acc | undefined = undefined;
  memoClient: Endpoint | undefined = undefined;
  memoServer: Endpoint | undefined = undefined;
  memoClientAddr: IpAddress = 0;
  memoServerAddr: IpAddress = 0;
  memoServerPort = 0;
  memoProtocol = 0;
  memoViaBackend = false;
}

class Bucket {
  readonly levels: LevelWindow[];
  /** a node cache restarted while this bucket was open: one edge may sit under two idx pairs */
  restarted = false;
  constructor(
    readonly start: number,
    levels: number,
  ) {
    this.levels = Array.from({ length: levels }, () => new LevelWindow());
  }
}

/** creates an aggregate stage; `config` as parsed by `aggregateConfig` */
export function createAggregator(config: AggregateConfig): Aggregator {
  return new AggregateStage(config);
}

class AggregateStage implements Aggregator {
  readonly name = 'aggregate';
  private readonly levels: readonly GroupLevel[];
  private readonly caches: NodeCache[];
  private readonly buckets = new Map<number, Bucket>();
  private last: Bucket | undefined;
  /** end of the newest emitted bucket */
  private watermark = Number.NEGATIVE_INFINITY;
  private readonly counts = { in: 0, out: 0, capped: 0, late: 0, windows: 0 };

  constructor(private readonly config: AggregateConfig) {
    this.levels = config.levels;
    this.caches = this.levels.map((level) => new NodeCache(level));
  }

  add(batch: readonly OrientedFlow[], _now: number): void {
    const bucketMs = this.config.bucketMs;
    for (let i = 0; i < batch.length; i++) {
      const f = batch[i]!;
      this.counts.in++;
      let start = Math.floor(f.end / bucketMs) * bucketMs;
      if (start < this.watermark) {
        start = this.watermark;
        this.counts.late++;
      }
      let bucket = this.last;
      if (bucket === undefined || bucket.start !== start) {
        bucket = this.buckets.get(start);
        if (bucket === undefined) {
          bucket = new Bucket(start, this.levels.length);
          this.buckets.set(start, bucket);
        }
        this.last = bucket;
      }
      for (let l = 0; l < this.caches.length; l++) this.count(bucket.levels[l]!, this.caches[l]!, f);
    }
  }

  flush(now: number, final = false): EdgeWindow[] | undefined {
    const horizon = this.config.bucketMs + this.config.allowedLatenessMs;
    const due = [...this.buckets.values()].filter((b) => final || b.start + horizon <= now);
    if (due.length === 0) return undefined;
    due.sort((a, b) => a.start - b.start);
    const windows: EdgeWindow[] = [];
    for (const bucket of due) {
      this.buckets.delete(bucket.start);
      if (this.last === bucket) this.last = undefined;
      const end = bucket.start + this.config.bucketMs;
      if (end > this.watermark) this.watermark = end;
      for (const w of this.windowsOf(bucket)) {
        this.counts.out += w.edges.length;
        windows.push(w);
      }
    }
    this.counts.windows += windows.length;
    this.restartCachesIfFull();
    return windows;
  }

  peek(): EdgeWindow[] {
    return [...this.buckets.values()].sort((a, b) => a.start - b.start).flatMap((b) => this.windowsOf(b));
  }

  /** one window per level of `bucket` */
  private windowsOf(bucket: Bucket): EdgeWindow[] {
    const end = bucket.start + this.config.bucketMs;
    return bucket.levels.map((lw, l) => ({
      start: bucket.start,
      end,
      level: this.levels[l]!,
      edges: this.edgesOf(lw, bucket.restarted),
      dropped: lw.dropped,
    }));
  }

  stats(): AggregateStats {
    const nodes: Partial<Record<GroupLevel, number>> = {};
    this.caches.forEach((c) => {
      nodes[c.level] = c.size;
    });
    const c = this.counts;
    return {
      in: c.in,
      out: c.out,
      dropped: { 'cardinality-cap': c.capped },
      late: c.late,
      windows: c.windows,
      openBuckets: this.buckets.size,
      openEdges: [...this.buckets.values()].reduce((n, b) => n + b.levels.reduce((m, lw) => m + lw.count, 0), 0),
      nodes,
    };
  }

  private count(lw: LevelWindow, cache: NodeCache, f: OrientedFlow): void {
    let acc = lw.memo;
    if (
      acc === undefined ||
      f.client !== lw.memoClient ||
      f.server !== lw.memoServer ||
      f.serverPort !== lw.memoServerPort ||
      f.ipProtocol !== lw.memoProtocol ||
      f.clientAddr !== lw.memoClientAddr ||
      f.serverAddr !== lw.memoServerAddr
    ) {
      acc = this.accOf(lw, cache, f);
      if (acc === undefined) return;
    }
    addCounts(acc, f, f.start, f.end, f.evidence);
    if (f.service !== undefined) this.addService(acc, f.service);
    else if (lw.memoViaBackend) this.addService(acc, f.server);
  }

  /** finds or opens the edge of `f` and remembers it as `lw`'s memo; undefined when the cardinality cap refuses it */
  private accOf(lw: LevelWindow, cache: NodeCache, f: OrientedFlow): Acc | undefined {
    const client = cache.ref(f.client, f.clientAddr);
    const server = cache.ref(f.server, f.serverAddr);
    // a Service drawn as its backing workload (no post-DNAT view resolved it): the workload's port, as after DNAT
    const viaBackend = f.server.kind === 'service' && server.node.kind === 'workload';
    const port = viaBackend ? mapPortOf(f.server, f.serverPort, f.ipProtocol, cache.level) : f.serverPort;
    let byServer = lw.edges.get(client.idx);
    if (byServer === undefined) {
      byServer = new Map();
      lw.edges.set(client.idx, byServer);
    }
    const first = byServer.get(server.idx);
    let acc = first;
    while (acc !== undefined && (acc.port !== port || acc.ipProtocol !== f.ipProtocol)) acc = acc.other;
    if (acc === undefined) {
      if (lw.count >= this.config.maxEdgesPerWindow) {
        lw.dropped++;
        this.counts.capped++;
        return undefined;
      }
      lw.count++;
      acc = {
        clientId: client.node.id,
        serverId: server.node.id,
        client: client.node,
        server: server.node,
        port,
        ipProtocol: f.ipProtocol,
        bytesToServer: 0,
        bytesToClient: 0,
        packetsToServer: 0,
        packetsToClient: 0,
        connections: 0,
        firstSeen: f.start,
        lastSeen: f.end,
        evidence: EVIDENCE_RANK[f.evidence],
        services: undefined,
        other: first,
      };
      byServer.set(server.idx, acc);
    }
    lw.memo = acc;
    lw.memoClient = f.client;
    lw.memoServer = f.server;
    lw.memoClientAddr = f.clientAddr;
    lw.memoServerAddr = f.serverAddr;
    lw.memoServerPort = f.serverPort;
    lw.memoProtocol = f.ipProtocol;
    lw.memoViaBackend = viaBackend;
    return acc;
  }

  private addService(acc: Acc, service: Endpoint): void {
    acc.services ??= new Set();
    acc.services.add(serviceName(service));
  }

  private edgesOf(lw: LevelWindow, restarted: boolean): Edge[] {
    const edges: Edge[] = [];
    for (const byServer of lw.edges.values()) {
      for (const head of byServer.values()) {
        for (let a: Acc | undefined = head; a !== undefined; a = a.other) edges.push(toEdge(a));
      }
    }
    // mergeEdges sorts; after a cache restart it also joins an edge counted under two idx pairs
    return restarted ? mergeEdges(edges) : edges.sort(compareEdges);
  }

  private restartCachesIfFull(): void {
    for (const cache of this.caches) {
      if (cache.size <= this.config.maxNodes) continue;
      const open = this.buckets.size > 0;
      cache.restart(!open);
      for (const b of this.buckets.values()) b.restarted = true;
    }
  }
}
