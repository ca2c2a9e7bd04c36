/**
 * Helpers of the tests that run the real demo (`flowmap demo` as a process, or `startDemo` in-process): the shop's
 * workloads and main calls as map node ids, the built UI the command serves, Prometheus text parsing, polling.
 * Ports come from this suite's range, 31000-31999.
 * @module
 */

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphEdge, GraphResponse } from '../../src/contract/responses.js';
import { viteBuild } from '../web/server.js';
import { pollUntil } from './serve-tools.js';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const shop = (name: string) =>
  name === 'redis-cart' ? 'workload:shop/StatefulSet/redis-cart' : `workload:shop/Deployment/${name}`;

/** the Online-Boutique-like shop of the simulated cluster, as workload-level map node ids */
export const SHOP_WORKLOADS: readonly string[] = [
  'frontend',
  'cartservice',
  'productcatalogservice',
  'currencyservice',
  'checkoutservice',
  'paymentservice',
  'shippingservice',
  'emailservice',
  'recommendationservice',
  'adservice',
  'redis-cart',
  'loadgenerator',
].map(shop);

export interface Call {
  readonly client: string;
  readonly server: string;
  /** the port the server pod listens on (a Service's targetPort) */
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP';
}

const call = (client: string, server: string, port: number): Call => ({
  client: shop(client),
  server: shop(server),
  port,
  protocol: 'TCP',
});

/** the busiest calls of the shop (each several per second), present from the first half minute */
export const MAIN_CALLS: readonly Call[] = [
  call('loadgenerator', 'frontend', 8080),
  call('frontend', 'cartservice', 7070),
  call('frontend', 'productcatalogservice', 3550),
  call('frontend', 'currencyservice', 7000),
  call('checkoutservice', 'paymentservice', 50051),
  call('cartservice', 'redis-cart', 6379),
];

/** the edge of `c` in a graph answer, if drawn */
export function edgeOf(graph: GraphResponse, c: Call): GraphEdge | undefined {
  return graph.edges.find(
    (e) => e.source === c.client && e.target === c.server && e.port === c.port && e.protocol === c.protocol,
  );
}

/** what is missing from `graph`: shop workloads and main calls (with direction and port), as readable lines */
export function missingFromGraph(graph: GraphResponse): string[] {
  const nodes = new Set(graph.nodes.map((n) => n.id));
  const missing = SHOP_WORKLOADS.filter((id) => !nodes.has(id)).map((id) => `node ${id}`);
  for (const c of MAIN_CALLS) {
    if (!edgeOf(graph, c)) missing.push(`edge ${c.client} -> ${c.server} ${c.port}/${c.protocol}`);
  }
  return missing;
}

/**
 * The UI `flowmap demo` serves (web/dist, as `npm run build` leaves it); built here when absent so the test also
 * runs on a clone where only the tests were started
 */
export async function ensureWebDist(): Promise<string> {
  const dist = join(repo, 'web', 'dist');
  if (!existsSync(join(dist, 'index.html'))) await viteBuild();
  return dist;
}

/** polls `probe` until it returns a value (not undefined; a rejection counts as none) or `ms` pass; then throws with `why` */
export async function pollFor<T>(
  probe: () => Promise<T | undefined>,
  ms: number,
  why: () => string,
  everyMs = 500,
): Promise<T> {
  const value = await pollUntil(
    () => probe().catch(() => undefined),
    (v) => v !== undefined,
    ms,
    everyMs,
  );
  if (value === undefined) throw new Error(`Cannot see it within ${ms} ms: ${why()}`);
  return value;
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Cannot GET "${url}": ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
