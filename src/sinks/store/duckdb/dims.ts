/**
 * The dimension side of the DuckDB schema, mirrored in memory: map nodes and edge keys get small integer ids so
 * that fact rows stay numeric (fast appends, fast scans). The writer assigns ids; queries resolve ids back to
 * nodes here without a join. Owned by one store; mutated only from the store's serialized write loop.
 * @module
 */
import type { Edge, MapNode } from '../../../core/edge.js';
import type { EdgeSelector, StoredLevel } from '../contracts.js';
import { selectorMatches, selectsAll } from '../edge-math.js';

export const LEVEL_CODE: Record<StoredLevel, number> = { workload: 0, pod: 1 };

export interface EdgeDim {
  readonly id: number;
  readonly level: number;
  readonly client: MapNode;
  readonly server: MapNode;
  readonly port: number;
  readonly ipProtocol: number;
  services: Set<string> | undefined;
}

/** rows waiting to be appended to the dimension tables */
export interface PendingDims {
  readonly nodes: { id: number; node: MapNode }[];
  readonly edges: EdgeDim[];
  readonly services: { edge: number; service: string }[];
}

/** level, port and protocol packed in one safe integer */
const slotOf = (level: number, port: number, ipProtocol: number) => (level * 65_536 + port) * 256 + ipProtocol;

export class DimensionCache {
  readonly #nodeIds = new Map<string, number>();
  readonly #nodes = new Map<number, MapNode>();
  /** client id -> server id -> (level, port, protocol) -> edge id; nested so lookups build no key strings */
  readonly #edgeIds = new Map<string, Map<string, Map<number, number>>>();
  readonly #edges = new Map<number, EdgeDim>();
  #nextNode = 1;
  #nextEdge = 1;
  #pending: PendingDims = { nodes: [], edges: [], services: [] };

  loadNode(id: number, node: MapNode): void {
    this.#nodeIds.set(node.id, id);
    this.#nodes.set(id, node);
    if (id >= this.#nextNode) this.#nextNode = id + 1;
  }

  loadEdge(id: number, level: number, clientId: number, serverId: number, port: number, ipProtocol: number): void {
    const client = this.#nodes.get(clientId);
    const server = this.#nodes.get(serverId);
    if (!client || !server) return;
    const dim: EdgeDim = { id, level, client, server, port, ipProtocol, services: undefined };
    this.#edges.set(id, dim);
    this.#keySlot(client.id, server.id).set(slotOf(level, port, ipProtocol), id);
    if (id >= this.#nextEdge) this.#nextEdge = id + 1;
  }

  loadService(edge: number, service: string): void {
    const dim = this.#edges.get(edge);
    if (!dim) return;
    dim.services ??= new Set();
    dim.services.add(service);
  }

  /** the id of an edge, assigning ids (and queueing dimension rows) for anything new */
  edgeId(level: number, edge: Edge): number {
    const slots = this.#keySlot(edge.clientId, edge.serverId);
    const slot = slotOf(level, edge.port, edge.ipProtocol);
    let id = slots.get(slot);
    if (id === undefined) {
      id = this.#nextEdge++;
      const dim: EdgeDim = {
        id,
        level,
        client: this.#nodeFor(edge.client),
        server: this.#nodeFor(edge.server),
        port: edge.port,
        ipProtocol: edge.ipProtocol,
        services: undefined,
      };
      slots.set(slot, id);
      this.#edges.set(id, dim);
      this.#pending.edges.push(dim);
    }
    if (edge.services?.length) this.#addServices(this.#edges.get(id)!, edge.services);
    return id;
  }

  nodeId(node: MapNode): number | undefined {
    return this.#nodeIds.get(node.id);
  }

  edge(id: number): EdgeDim | undefined {
    return this.#edges.get(id);
  }

  /** ids of the edges of `level` a selector matches; undefined when it matches all of them */
  select(level: number, selector: EdgeSelector): number[] | undefined {
    if (selectsAll(selector)) return undefined;
    const ids: number[] = [];
    for (const dim of this.#edges.values()) if (dim.level === level && selectorMatches(selector, dim)) ids.push(dim.id);
    return ids;
  }

  /** hands the queued dimension rows to the writer */
  takePending(): PendingDims {
    const pending = this.#pending;
    this.#pending = { nodes: [], edges: [], services: [] };
    return pending;
  }

  /** forgets edges that no fact references any more (after retention) */
  forgetEdges(ids: readonly number[]): void {
    for (const id of ids) {
      const dim = this.#edges.get(id);
      if (!dim) continue;
      this.#edges.delete(id);
      this.#edgeIds
        .get(dim.client.id)
        ?.get(dim.server.id)
        ?.delete(slotOf(dim.level, dim.port, dim.ipProtocol));
    }
  }

  forgetNodes(ids: readonly number[]): void {
    for (const id of ids) {
      const node = this.#nodes.get(id);
      if (!node) continue;
      this.#nodes.delete(id);
      this.#nodeIds.delete(node.id);
    }
  }

  get size(): { nodes: number; edges: number } {
    return { nodes: this.#nodes.size, edges: this.#edges.size };
  }

  #keySlot(clientId: string, serverId: string): Map<number, number> {
    let byServer = this.#edgeIds.get(clientId);
    if (!byServer) {
      byServer = new Map();
      this.#edgeIds.set(clientId, byServer);
    }
    let slots = byServer.get(serverId);
    if (!slots) {
      slots = new Map();
      byServer.set(serverId, slots);
    }
    return slots;
  }

  #nodeFor(node: MapNode): MapNode {
    const id = this.#nodeIds.get(node.id);
    if (id !== undefined) return this.#nodes.get(id)!;
    const next = this.#nextNode++;
    this.#nodeIds.set(node.id, next);
    this.#nodes.set(next, node);
    this.#pending.nodes.push({ id: next, node });
    return node;
  }

  #addServices(dim: EdgeDim, services: readonly string[]): void {
    for (const service of services) {
      if (dim.services?.has(service)) continue;
      dim.services ??= new Set();
      dim.services.add(service);
      this.#pending.services.push({ edge: dim.id, service });
    }
  }
}
