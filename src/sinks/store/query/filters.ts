/**
 * Graph filters: the query's lists turned into predicates over stored-level edges.
 * @module
 */

import type { GraphQuery } from '../../../contract/query.js';
import type { Edge, MapNode } from '../../../core/edge.js';
import { parseIpProtocol } from '../../../core/flow.js';
import { QueryError } from '../errors.js';

/** a graph query plus the filters Grafana dashboards pass (the seed's srcnamespace/dstnamespace) */
export interface GraphRequest extends GraphQuery {
  /** keep edges whose client is in one of these namespaces */
  readonly clientNamespace?: readonly string[] | undefined;
  /** keep edges whose server is in one of these namespaces */
  readonly serverNamespace?: readonly string[] | undefined;
}

export interface EdgeFilter {
  readonly namespaces?: ReadonlySet<string>;
  readonly names?: ReadonlySet<string>;
  readonly kinds?: ReadonlySet<string>;
  readonly ports?: ReadonlySet<number>;
  readonly protocols?: ReadonlySet<number>;
  readonly clientNamespaces?: ReadonlySet<string>;
  readonly serverNamespaces?: ReadonlySet<string>;
  readonly excludeExternal: boolean;
  readonly excludeNodes: boolean;
}

const setOf = <T>(list: readonly T[] | undefined): ReadonlySet<T> | undefined =>
  list && list.length > 0 ? new Set(list) : undefined;

/** an IANA protocol number from a name or number ("TCP", "17"); a 400-worthy QueryError naming `protocol` else */
export function protocolOf(text: string): number {
  const n = parseIpProtocol(text);
  if (n === undefined) {
    throw new QueryError(
      'bad-filter',
      `Cannot filter by protocol "${text}": not a protocol name or number`,
      'protocol',
    );
  }
  return n;
}

function protocolsOf(list: readonly string[] | undefined): ReadonlySet<number> | undefined {
  return list && list.length > 0 ? new Set(list.map(protocolOf)) : undefined;
}

/** the predicate form of a request's filters; rejects unknown protocol names */
export function edgeFilterOf(q: GraphRequest): EdgeFilter {
  const filter: EdgeFilter = {
    excludeExternal: q.external === 'exclude',
    excludeNodes: q.nodes === 'exclude',
  };
  const parts: Partial<Record<keyof EdgeFilter, unknown>> = {
    namespaces: setOf(q.namespace),
    names: setOf(q.workload),
    kinds: setOf(q.kind?.map((k) => k.toLowerCase())),
    ports: setOf(q.port),
    protocols: protocolsOf(q.protocol),
    clientNamespaces: setOf(q.clientNamespace),
    serverNamespaces: setOf(q.serverNamespace),
  };
  for (const [k, v] of Object.entries(parts)) if (v !== undefined) Object.assign(filter, { [k]: v });
  return filter;
}

const named = (names: ReadonlySet<string>, n: MapNode) => names.has(n.name) || names.has(n.id);
const ofKind = (kinds: ReadonlySet<string>, n: MapNode) =>
  kinds.has(n.kind) || (n.workloadKind !== '' && kinds.has(n.workloadKind.toLowerCase()));

export function edgePasses(f: EdgeFilter, e: Edge): boolean {
  const { client: c, server: s } = e;
  if (f.excludeExternal && (c.kind === 'external' || s.kind === 'external')) return false;
  if (f.excludeNodes && (c.kind === 'node' || s.kind === 'node')) return false;
  if (f.ports && !f.ports.has(e.port)) return false;
  if (f.protocols && !f.protocols.has(e.ipProtocol)) return false;
  if (f.namespaces && !f.namespaces.has(c.namespace) && !f.namespaces.has(s.namespace)) return false;
  if (f.clientNamespaces && !f.clientNamespaces.has(c.namespace)) return false;
  if (f.serverNamespaces && !f.serverNamespaces.has(s.namespace)) return false;
  if (f.names && !named(f.names, c) && !named(f.names, s)) return false;
  if (f.kinds && !ofKind(f.kinds, c) && !ofKind(f.kinds, s)) return false;
  return true;
}

export function filterEdges(edges: readonly Edge[], filter: EdgeFilter): Edge[] {
  return edges.filter((e) => edgePasses(filter, e));
}

/** bytes in both directions */
export const edgeBytes = (e: Pick<Edge, 'bytesToServer' | 'bytesToClient'>) => e.bytesToServer + e.bytesToClient;
