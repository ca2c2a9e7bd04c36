/**
 * Loads a configuration: YAML file, then FLOWMAP_* environment variables, then command-line overrides, validated
 * once by a zod schema. Every failure is a ConfigError whose message names the file and the field.
 * @module
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import * as z from 'zod';
import { ConfigError } from '../core/errors.js';

/** a JSON Schema node as z.toJSONSchema emits it (the parts we walk) */
interface SchemaNode {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly anyOf?: readonly SchemaNode[];
  readonly items?: SchemaNode;
}

export interface ConfigSources {
  /** path of a YAML (or JSON) file */
  readonly file?: string;
  /** environment, usually process.env; only FLOWMAP_* names are read */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** dotted path → value, applied last (command-line flags) */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** reads, merges and validates; throws ConfigError naming the file and field on any problem */
export function loadConfig<S extends z.ZodType>(schema: S, sources: ConfigSources): z.output<S> {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as SchemaNode;
  const origin = sources.file ? `config file "${sources.file}"` : 'configuration';
  const input: Record<string, unknown> = sources.file ? readYamlFile(sources.file) : {};
  for (const [name, path, leaf] of envVariables(json)) {
    const raw = sources.env?.[name];
    if (raw !== undefined) setPath(input, path, parseEnvValue(raw, leaf, name));
  }
  for (const [dotted, value] of Object.entries(sources.overrides ?? {})) {
    if (value !== undefined) setPath(input, dotted.split('.'), value);
  }
  const unknown = unknownFields(input, json, []);
  if (unknown.length > 0) {
    throw new ConfigError(
      `Cannot load ${origin}: unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((p) => `"${p}"`).join(', ')}`,
    );
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Cannot load ${origin}:\n${issues.join('\n')}`);
  }
  return parsed.data;
}

function readYamlFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file "${file}": ${(error as Error).message}`, { cause: error });
  }
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(`Cannot parse config file "${file}": ${doc.errors[0]!.message}`);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`Cannot load config file "${file}": the top level must be a mapping`);
  }
  return value as Record<string, unknown>;
}

/** the object-shaped variant of a node (unwrapping anyOf from optional/nullable) */
function objectNode(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node) return undefined;
  if (node.properties) return node;
  return node.anyOf?.find((n) => n.properties);
}

/** FLOWMAP_<PATH> names for every leaf: camelCase segments in UPPER_SNAKE, joined by "__" */
export function envVariables(root: SchemaNode): [string, string[], SchemaNode][] {
  const out: [string, string[], SchemaNode][] = [];
  const walk = (node: SchemaNode, path: string[]) => {
    const obj = objectNode(node);
    if (obj?.properties) {
      for (const [key, child] of Object.entries(obj.properties)) walk(child, [...path, key]);
      return;
    }
    out.push([`FLOWMAP_${path.map(upperSnake).join('__')}`, path, node]);
  };
  walk(root, []);
  return out;
}

function upperSnake(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

function leafTypes(node: SchemaNode): string[] {
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? [...node.type] : [node.type as string];
  for (const alt of node.anyOf ?? []) types.push(...leafTypes(alt));
  return types;
}

function parseEnvValue(raw: string, leaf: SchemaNode, name: string): unknown {
  const types = leafTypes(leaf);
  if (types.includes('string') && !types.includes('array') && !types.includes('object')) return raw;
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  if ((types.includes('number') || types.includes('integer')) && raw.trim() !== '' && !Number.isNaN(Number(raw))) {
    return Number(raw);
  }
  if (types.includes('array') && !raw.trim().startsWith('[')) {
    return raw
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  try {
    return JSON.parse(raw);
  } catch {
    if (types.length === 0) return raw;
    throw new ConfigError(`Cannot read environment variable "${name}": "${raw}" is not valid ${types.join(' or ')}`);
  }
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** dotted paths present in `value` that the schema does not declare (typos would otherwise be ignored) */
function unknownFields(value: unknown, node: SchemaNode | undefined, path: string[]): string[] {
  const obj = objectNode(node);
  if (!obj?.properties || typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childSchema = obj.properties[key];
    if (childSchema) out.push(...unknownFields(child, childSchema, [...path, key]));
    else if (obj.additionalProperties === undefined || obj.additionalProperties === false)
      out.push([...path, key].join('.'));
  }
  return out;
}
