/**
 * Colours and shapes by node kind, shared by the canvas style and the SVG export.
 * @module
 */

export interface KindStyle {
  /** border and badge colour */
  readonly color: string;
  /** a cytoscape node shape name */
  readonly shape: string;
  readonly size: number;
}

const WORKLOAD: Record<string, string> = {
  Deployment: '#2563eb',
  StatefulSet: '#7c3aed',
  DaemonSet: '#0e7490',
  CronJob: '#b45309',
  Job: '#b45309',
  ReplicaSet: '#2563eb',
  Pod: '#475569',
};

export function kindStyle(kind: string, workloadKind: string): KindStyle {
  switch (kind) {
    case 'service':
      return { color: '#047857', shape: 'round-hexagon', size: 34 };
    case 'node':
      return { color: '#334155', shape: 'round-rectangle', size: 36 };
    case 'external':
      return { color: '#be123c', shape: 'ellipse', size: 36 };
    case 'unknown':
      return { color: '#6b7280', shape: 'ellipse', size: 30 };
    case 'namespace':
      return { color: '#1e40af', shape: 'round-rectangle', size: 48 };
    case 'island':
      return { color: '#1e3a8a', shape: 'round-rectangle', size: 56 };
    case 'pod':
      return { color: WORKLOAD[workloadKind] ?? '#475569', shape: 'ellipse', size: 30 };
    default:
      return { color: WORKLOAD[workloadKind] ?? '#475569', shape: 'round-rectangle', size: 36 };
  }
}

export const EDGE_COLOR = '#94a3b8';
export const EDGE_EXTERNAL_COLOR = '#d4a5ae';
export const SELECT_COLOR = '#f59e0b';
export const INK = '#1f2937';
export const MUTED_INK = '#475569';

/** the badge drawn inside a node, as an SVG data URI (cytoscape caches images by URL) */
export function badgeImage(badge: string, color: string): string {
  const fontSize = badge.length > 5 ? 8.5 : badge.length > 3 ? 10 : 11;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<text x="32" y="37" text-anchor="middle" font-family="Inter,Segoe UI,Helvetica,Arial,sans-serif" ` +
    `font-size="${fontSize * 1.8}" font-weight="700" fill="${color}">${escapeXml(badge)}</text></svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
