/**
 * Number, time and label formatting shared by every view. Pure; no DOM.
 * @module
 */
import type { OrientationEvidence } from '../../../src/core/conversation.js';
import type { MapNode } from '../../../src/core/edge.js';

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'] as const;

/** 1234567 -> "1.2 MB" (decimal units, as network tools print them) */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return '0 B';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < BYTE_UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const text = value >= 100 || unit === 0 ? String(Math.round(value)) : value.toFixed(1).replace(/\.0$/, '');
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** bytes per second: "1.2 MB/s" */
export function formatByteRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** a count per second with a unit: "12 pkt/s", "0.35 conn/s", "1.2k pkt/s" */
export function formatRate(perSecond: number, unit: string): string {
  return `${formatCount(perSecond)} ${unit}/s`;
}

/** 0 -> "0", 0.123 -> "0.12", 12.3 -> "12", 12345 -> "12.3k" */
export function formatCount(value: number): string {
  if (!Number.isFinite(value) || value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${(value / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (abs >= 1e4) return `${(value / 1e3).toFixed(1)}k`;
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 10) return value.toFixed(1).replace(/\.0$/, '');
  if (abs >= 0.01) return value.toFixed(2).replace(/\.?0+$/, '');
  return '<0.01';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** local wall-clock time "2024-05-01 13:04:05" */
export function formatTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** short local time "13:04", or "05-01 13:04" when `withDate` */
export function formatClock(ms: number, withDate = false): string {
  const d = new Date(ms);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withDate ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}` : hm;
}

/** a duration in ms as "15m", "2h", "1h 30m", "3d" */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(1, Math.round(ms / 1000))}s`;
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours}h ${minutes % 60}m` : `${hours}h`;
  return `${Math.round(hours / 24)}d`;
}

/** "how long ago" relative to `now`: "just now", "4m ago", "3h ago" */
export function formatAgo(ms: number, now: number): string {
  const delta = now - ms;
  if (delta < 60_000) return 'just now';
  return `${formatDuration(delta)} ago`;
}

const BADGES: Record<string, string> = {
  Deployment: 'Deploy',
  StatefulSet: 'STS',
  DaemonSet: 'DS',
  CronJob: 'CronJob',
  Job: 'Job',
  ReplicaSet: 'RS',
  Pod: 'Pod',
  Service: 'Svc',
  Node: 'Node',
};

/** the short badge drawn on a node: Deploy, STS, DS, CronJob, Job, Pod, Svc, Node, Ext, NS, IP */
export function badgeOf(node: Pick<MapNode, 'kind' | 'workloadKind'>): string {
  if (node.kind === 'external') return 'Ext';
  if (node.kind === 'unknown') return 'IP';
  if (node.kind === 'namespace') return 'NS';
  if (node.kind === 'node') return 'Node';
  if (node.kind === 'service') return 'Svc';
  const known = BADGES[node.workloadKind];
  if (known) return known;
  return node.workloadKind ? node.workloadKind.slice(0, 7) : 'Pod';
}

/** what a reader calls the node: external nodes by label, org, AS number or IP */
export function displayName(node: MapNode): string {
  if (node.kind === 'external') return node.label ?? node.org ?? (node.asn !== undefined ? `AS${node.asn}` : node.name);
  return node.name || node.ip || node.id;
}

/** "shop/frontend" for namespaced nodes, the display name otherwise */
export function qualifiedName(node: MapNode): string {
  return node.namespace ? `${node.namespace}/${displayName(node)}` : displayName(node);
}

export type EvidenceStrength = 'strong' | 'good' | 'weak' | 'none';

export interface EvidenceExplanation {
  readonly title: string;
  readonly strength: EvidenceStrength;
  readonly text: string;
}

const EVIDENCE: Record<OrientationEvidence, EvidenceExplanation> = {
  'tcp-handshake': {
    title: 'TCP handshake',
    strength: 'strong',
    text: 'The client sent the SYN (without ACK) that opened the connection.',
  },
  biflow: {
    title: 'Biflow initiator',
    strength: 'strong',
    text: 'The exporter recorded both directions in one record (RFC 5103) and named the side that started it.',
  },
  'flow-pairing': {
    title: 'Paired flow records',
    strength: 'good',
    text: 'Both directions were exported as separate records; the side whose record started first is the client.',
  },
  'service-port': {
    title: 'Service port',
    strength: 'good',
    text: 'The server side is a Kubernetes Service (ClusterIP) port the client addressed.',
  },
  'container-port': {
    title: 'Declared port',
    strength: 'good',
    text: 'The server side declares this port (a containerPort, or a host port of a host-network pod).',
  },
  'port-heuristic': {
    title: 'Port heuristic',
    strength: 'weak',
    text: 'Guessed from the port numbers: the well-known or lower port is taken as the server. The arrow may be wrong.',
  },
  unknown: {
    title: 'No evidence',
    strength: 'none',
    text: 'Nothing decided which side is the server; the arrow direction is arbitrary.',
  },
};

/** the evidence behind an edge's direction, in words */
export function explainEvidence(evidence: OrientationEvidence): EvidenceExplanation {
  return EVIDENCE[evidence] ?? EVIDENCE.unknown;
}

/** "7070/TCP" */
export function portLabel(port: number, protocol: string): string {
  return port === 0 ? protocol : `${port}/${protocol}`;
}
