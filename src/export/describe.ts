/**
 * Human wording shared by the renderers: node descriptions, byte sizes, Kubernetes object names.
 * @module
 */
import type { MapNode } from '../core/edge.js';

/** decimal SI: "512 B", "1.2 kB", "3.4 MB", "5.6 GB", "7.8 TB" */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** "frontend (Deployment) in namespace shop", "service cart in namespace shop", "node worker-1", ... */
export function describeNode(node: MapNode): string {
  switch (node.kind) {
    case 'workload':
      return `${node.name} (${node.workloadKind}) in namespace ${node.namespace}`;
    case 'pod':
      return `pod ${node.name} (${node.workloadKind}) in namespace ${node.namespace}`;
    case 'service':
      return `service ${node.name} in namespace ${node.namespace}`;
    case 'node':
      return `node ${node.name}`;
    case 'namespace':
      return `namespace ${node.name}`;
    case 'external':
      return node.asn === undefined ? `${node.name} (external)` : `${node.name} (external, AS${node.asn})`;
    default:
      return `${node.name} (unknown)`;
  }
}

/**
 * A server as its client would name it: workloads and pods by name (with ".namespace" when the namespace differs),
 * "service/name", "node/name", external by label or organisation, unknown addresses by IP.
 */
export function targetName(client: MapNode, server: MapNode): string {
  const qualified = server.namespace !== '' && server.namespace !== client.namespace;
  const name = qualified ? `${server.name}.${server.namespace}` : server.name;
  switch (server.kind) {
    case 'service':
      return `service/${name}`;
    case 'node':
      return `node/${name}`;
    case 'namespace':
      return `namespace/${server.name}`;
    default:
      return name;
  }
}

/** a DNS-1123 subdomain made from `parts` (lowercase, [a-z0-9.-], at most 253 characters, alphanumeric ends) */
export function objectName(...parts: string[]): string {
  const text = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .slice(0, 253);
  return text.replace(/^[^a-z0-9]+/, '').replace(/[^a-z0-9]+$/, '') || 'unnamed';
}
