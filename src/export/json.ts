/**
 * The edges document `flowmap map --format json|yaml` prints, and its parser:
 * `{ "edges": [ { client, server, port, protocol, bytesToServer, bytesToClient, packetsToServer, packetsToClient,
 * connections, firstSeen, lastSeen, evidence, services? } ] }`. Endpoints carry the MapNode fields without `id`
 * (kind, namespace, name, workloadKind, ip?, label?, asn?, org?); the id follows from them (see mapNodeOf).
 * `protocol` is the name ("TCP", "UDP", or the IANA number as text); times are ISO-8601 UTC with milliseconds
 * (`2024-05-01T12:00:00.000Z`), readable in a file and exact to the millisecond the edges carry.
 * @module
 */
import * as z from 'zod';
import type { OrientationEvidence } from '../core/conversation.js';
import { type Edge, type MapNode, withServices } from '../core/edge.js';
import { EVIDENCE_BY_RANK } from '../core/evidence.js';
import { ipProtocolName, parseIpProtocol } from '../core/flow.js';
import type { Mutable } from '../core/mutable.js';

const endpointSchema = z.object({
  kind: z.enum(['namespace', 'workload', 'pod', 'service', 'node', 'external', 'unknown']),
  namespace: z.string(),
  name: z.string(),
  workloadKind: z.string(),
  ip: z.string().optional(),
  label: z.string().optional(),
  asn: z.number().int().optional(),
  org: z.string().optional(),
});

const evidenceSchema = z.enum(EVIDENCE_BY_RANK) satisfies z.ZodType<OrientationEvidence>;

const count = z.number().nonnegative();

export const edgeDocumentSchema = z.object({
  client: endpointSchema,
  server: endpointSchema,
  port: z.number().int().min(0).max(65535),
  protocol: z.string().refine((p) => parseIpProtocol(p) !== undefined, 'not a protocol name or number'),
  bytesToServer: count,
  bytesToClient: count,
  packetsToServer: count,
  packetsToClient: count,
  connections: count,
  firstSeen: z.iso.datetime(),
  lastSeen: z.iso.datetime(),
  evidence: evidenceSchema,
  services: z.array(z.string()).optional(),
});

export const edgesDocumentSchema = z.object({ edges: z.array(edgeDocumentSchema) });

export type EdgeDocument = z.output<typeof edgeDocumentSchema>;
export type EdgesDocument = z.output<typeof edgesDocumentSchema>;
export type EndpointDocument = z.output<typeof endpointSchema>;

/** the document form of a map node: its fields without `id`, absent optionals left out */
export function endpointDocument(node: MapNode): EndpointDocument {
  const { id: _id, ...fields } = node;
  return fields;
}

/** the id mapNodeOf gives a node with these fields */
export function nodeIdOf(e: EndpointDocument): string {
  switch (e.kind) {
    case 'workload':
      return `workload:${e.namespace}/${e.workloadKind}/${e.name}`;
    case 'pod':
    case 'service':
      return `${e.kind}:${e.namespace}/${e.name}`;
    default:
      return `${e.kind}:${e.name}`;
  }
}

/** the plain data of the edges document (what JSON and YAML serialise) */
export function toEdgesDocument(edges: readonly Edge[]): EdgesDocument {
  return {
    edges: edges.map((e) => ({
      client: endpointDocument(e.client),
      server: endpointDocument(e.server),
      port: e.port,
      protocol: ipProtocolName(e.ipProtocol),
      bytesToServer: e.bytesToServer,
      bytesToClient: e.bytesToClient,
      packetsToServer: e.packetsToServer,
      packetsToClient: e.packetsToClient,
      connections: e.connections,
      firstSeen: new Date(e.firstSeen).toISOString(),
      lastSeen: new Date(e.lastSeen).toISOString(),
      evidence: e.evidence,
      ...(e.services ? { services: [...e.services] } : {}),
    })),
  };
}

/** JSON text of the edges document, two-space indented, newline-terminated */
export function renderJson(edges: readonly Edge[]): string {
  return `${JSON.stringify(toEdgesDocument(edges), null, 2)}\n`;
}

function mapNodeOfDocument(e: EndpointDocument): MapNode {
  const node: Mutable<MapNode> = {
    id: nodeIdOf(e),
    kind: e.kind,
    namespace: e.namespace,
    name: e.name,
    workloadKind: e.workloadKind,
  };
  if (e.ip !== undefined) node.ip = e.ip;
  if (e.label !== undefined) node.label = e.label;
  if (e.asn !== undefined) node.asn = e.asn;
  if (e.org !== undefined) node.org = e.org;
  return node;
}

/** validates a parsed edges document (JSON or YAML) and returns its edges; throws a ZodError naming the field */
export function parseEdgesDocument(value: unknown): Edge[] {
  const doc = edgesDocumentSchema.parse(value);
  return doc.edges.map((d) => {
    const client = mapNodeOfDocument(d.client);
    const server = mapNodeOfDocument(d.server);
    const edge: Edge = {
      clientId: client.id,
      serverId: server.id,
      port: d.port,
      ipProtocol: parseIpProtocol(d.protocol)!,
      client,
      server,
      bytesToServer: d.bytesToServer,
      bytesToClient: d.bytesToClient,
      packetsToServer: d.packetsToServer,
      packetsToClient: d.packetsToClient,
      connections: d.connections,
      firstSeen: Date.parse(d.firstSeen),
      lastSeen: Date.parse(d.lastSeen),
      evidence: d.evidence,
    };
    return withServices(edge, d.services);
  });
}
