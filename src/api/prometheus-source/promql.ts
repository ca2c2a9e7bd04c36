/**
 * PromQL over the flowmap_edge_* series the Prometheus sink exports:
 * `<prefix>_{bytes,packets}_total{client_namespace,client_name,client_kind,server_namespace,server_name,server_kind,
 * port,protocol,direction="to_server"|"to_client"}` and `<prefix>_connections_total{same labels, no direction}`.
 * Node labels are those of `mapNodeLabels` (src/core/map-node.ts); node ids map back onto label matchers here.
 * @module
 */
import { ipProtocolName } from '../../core/flow.js';
import type { MapNodeLabels } from '../../core/map-node.js';
import { type EdgeSelector, QueryError } from '../../sinks/store/index.js';

/** a PromQL string literal */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/**
 * The label values of a workload-level node id, or `{ namespace }` for "namespace:<ns>" (every node of <ns>).
 * Inverse of mapNodeFromLabels for the ids it builds.
 */
export function labelsOfNodeId(id: string): Partial<MapNodeLabels> {
  const colon = id.indexOf(':');
  const kind = id.slice(0, colon);
  const rest = id.slice(colon + 1);
  switch (kind) {
    case 'namespace':
      return { namespace: rest };
    case 'workload': {
      const [namespace = '', workloadKind = '', ...name] = rest.split('/');
      return { namespace, kind: workloadKind, name: name.join('/') };
    }
    case 'service': {
      const slash = rest.indexOf('/');
      return { namespace: rest.slice(0, slash), kind: 'Service', name: rest.slice(slash + 1) };
    }
    case 'node':
      return { namespace: '', kind: 'Node', name: rest };
    case 'external':
    case 'unknown':
      return { namespace: '', kind, name: rest };
    default:
      throw new QueryError(
        'unsupported',
        `Cannot select node "${id}" in Prometheus: its series are workload level`,
        'id',
      );
  }
}

/** label matchers (without braces) for a selector, plus the configured extra matchers */
export function matchersOf(selector: EdgeSelector, extra: string): string {
  const out: string[] = [];
  const side = (prefix: 'client' | 'server', id: string | undefined) => {
    if (id === undefined) return;
    for (const [label, value] of Object.entries(labelsOfNodeId(id))) out.push(`${prefix}_${label}=${quote(value)}`);
    if (id.startsWith('namespace:')) out.push(`${prefix}_namespace!=""`);
  };
  side('client', selector.client);
  side('server', selector.server);
  if (selector.port !== undefined) out.push(`port=${quote(String(selector.port))}`);
  if (selector.ipProtocol !== undefined) out.push(`protocol=${quote(ipProtocolName(selector.ipProtocol))}`);
  if (extra.trim() !== '') out.push(extra.trim());
  return out.join(',');
}

/** a Prometheus range duration in whole seconds, at least 1 s */
export function rangeDuration(ms: number): string {
  return `${Math.max(1, Math.round(ms / 1000))}s`;
}

export type Counter = 'bytes' | 'packets' | 'connections';

/** increase of one counter over `window` ms, summed by `by` */
export function increaseBy(
  prefix: string,
  counter: Counter,
  matchers: string,
  window: number,
  by: readonly string[],
): string {
  const labels = counter === 'connections' ? by.filter((l) => l !== 'direction') : by;
  return `sum by (${labels.join(',')}) (increase(${prefix}_${counter}_total{${matchers}}[${rangeDuration(window)}]))`;
}
