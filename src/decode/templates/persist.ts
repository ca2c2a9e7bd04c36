/**
 * The JSON form of the template cache (`save()`/`load()`): template definitions (not compiled plans), their
 * absolute expiry, and the options state of each scope. Versioned so that a later format can refuse old files.
 * @module
 */
import * as z from 'zod';
import type { TemplateDefinition } from './template.js';

const FORMAT = 'flowmap-templates/1';

const templateSchema = z.object({
  id: z.number().int().min(0).max(65535),
  kind: z.enum(['data', 'options']),
  scopeCount: z.number().int().min(0),
  expiresAt: z.number(),
  /** [enterprise, element id, length] per field */
  fields: z.array(
    z.tuple([z.number().int().min(0), z.number().int().min(0).max(65535), z.number().int().min(0).max(65535)]),
  ),
});

const snapshotSchema = z.object({
  format: z.literal(FORMAT),
  scopes: z.array(
    z.object({
      exporter: z.string(),
      version: z.union([z.literal(9), z.literal(10)]),
      domain: z.number().int().min(0),
      sysInitMs: z.number(),
      sampling: z.array(z.tuple([z.number(), z.number().positive()])),
      templates: z.array(templateSchema),
    }),
  ),
});

export interface SnapshotTemplate {
  readonly def: TemplateDefinition;
  readonly expiresAt: number;
}

export interface SnapshotScope {
  readonly exporter: string;
  readonly version: 9 | 10;
  readonly domain: number;
  readonly sysInitMs: number;
  readonly sampling: readonly (readonly [number, number])[];
  readonly templates: readonly SnapshotTemplate[];
}

export interface Snapshot {
  readonly scopes: readonly SnapshotScope[];
}

interface ScopeLike {
  readonly exporter: string;
  readonly version: 9 | 10;
  readonly domain: number;
  readonly sysInitMs: number;
  readonly sampling: ReadonlyMap<number, number>;
}

/** the JSON-ready snapshot of some scopes and their entries */
export function snapshotOf(
  scopes: readonly {
    scope: ScopeLike;
    entries: readonly { template: { def: TemplateDefinition }; expiresAt: number }[];
  }[],
): z.infer<typeof snapshotSchema> {
  return {
    format: FORMAT,
    scopes: scopes.map(({ scope, entries }) => ({
      exporter: scope.exporter,
      version: scope.version,
      domain: scope.domain,
      sysInitMs: scope.sysInitMs,
      sampling: [...scope.sampling],
      templates: entries.map(({ template: { def }, expiresAt }) => ({
        id: def.id,
        kind: def.kind,
        scopeCount: def.scopeCount,
        expiresAt,
        fields: def.ids.map((id, i) => [def.enterprises[i]!, id, def.lengths[i]!] as [number, number, number]),
      })),
    })),
  };
}

/** parses `save()` output; throws a TypeError naming the problem when the text is not one */
export function loadSnapshot(json: string): Snapshot {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (cause) {
    throw new TypeError(`Cannot load templates "${json.slice(0, 40)}": not JSON`, { cause });
  }
  const parsed = snapshotSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TypeError(`Cannot load templates: ${z.prettifyError(parsed.error)}`);
  }
  return {
    scopes: parsed.data.scopes.map((s) => ({
      ...s,
      templates: s.templates.map((t) => ({
        expiresAt: t.expiresAt,
        def: {
          id: t.id,
          kind: t.kind,
          scopeCount: t.scopeCount,
          ids: t.fields.map((f) => f[1]),
          enterprises: t.fields.map((f) => f[0]),
          lengths: t.fields.map((f) => f[2]),
        },
      })),
    })),
  };
}
