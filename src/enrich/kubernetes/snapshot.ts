/**
 * The offline source: cluster snapshot files, the `v1 List` that
 * `kubectl get nodes,pods,services,endpointslices,replicasets,deployments,statefulsets,daemonsets,jobs,cronjobs -A -o json`
 * prints (JSON or YAML; typed lists such as PodList and single objects also work; several files add up).
 * Every file is read and checked before the index changes, so a bad file leaves the index untouched.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { ConfigError } from '../../core/errors.js';
import type { Lifecycle } from '../../pipeline/contracts.js';
import type { ClusterIndex } from '../cluster-index.js';
import type { MetadataSource } from '../contracts.js';
import { isResourceKind, RESOURCE_KINDS, type SlimObject } from '../kube-objects.js';
import { ObjectShapeError } from '../slimmer.js';

export interface SnapshotLoadResult {
  readonly files: number;
  /** objects applied, by kind */
  readonly objects: Readonly<Record<string, number>>;
  /** items of other kinds (Namespaces, ConfigMaps, ...), ignored */
  readonly skipped: number;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** parses one file's text into its documents (one for JSON, one per `---` for YAML) */
function documents(text: string, path: string): unknown[] {
  const fail = (reason: string, cause?: unknown): never => {
    throw new ConfigError(`Cannot load cluster snapshot "${path}": ${reason}`, cause ? { cause } : undefined);
  };
  const head = text.trimStart()[0];
  if (head === undefined) fail('the file is empty');
  if (head === '{' || head === '[') {
    try {
      return [JSON.parse(text)];
    } catch (error) {
      return fail(`invalid JSON: ${(error as Error).message}`, error);
    }
  }
  const docs = parseAllDocuments(text);
  if (!Array.isArray(docs)) return [];
  for (const doc of docs) {
    const error = doc.errors[0];
    if (error) fail(`invalid YAML: ${error.message.split('\n')[0]}`, error);
  }
  return docs.map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

/** the items of one document with the kind each one has (typed lists name it once, for all items) */
function itemsOf(doc: unknown, path: string): { kind: unknown; item: unknown; where: string }[] {
  if (!isObject(doc)) {
    const found = Array.isArray(doc) ? 'an array' : typeof doc;
    throw new ConfigError(
      `Cannot load cluster snapshot "${path}": expected a v1 List (kubectl get ... -o json), found ${found}`,
    );
  }
  const kind = typeof doc.kind === 'string' ? doc.kind : '';
  if (!kind.endsWith('List')) return [{ kind, item: doc, where: kind || 'the document' }];
  if (!Array.isArray(doc.items)) {
    throw new ConfigError(`Cannot load cluster snapshot "${path}": the ${kind} has no "items" array`);
  }
  const listKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
  return doc.items.map((item, i) => ({
    kind: isObject(item) && typeof item.kind === 'string' ? item.kind : listKind,
    item,
    where: `items[${i}]`,
  }));
}

/** reads every file and slims every object; throws ConfigError naming the file, the item and the problem */
export async function readClusterSnapshots(
  paths: readonly string[],
  index: Pick<ClusterIndex, 'slim'>,
): Promise<{ objects: SlimObject[]; skipped: number }> {
  const objects: SlimObject[] = [];
  let skipped = 0;
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
      throw new ConfigError(`Cannot load cluster snapshot "${path}": ${reason}`, { cause: error });
    }
    for (const doc of documents(text, path)) {
      for (const { kind, item, where } of itemsOf(doc, path)) {
        if (!isObject(item)) throw new ConfigError(`Cannot load cluster snapshot "${path}": ${where} is not an object`);
        if (kind === undefined || kind === '') {
          throw new ConfigError(`Cannot load cluster snapshot "${path}": ${where} has no "kind"`);
        }
        if (!isResourceKind(kind)) {
          skipped++;
          continue;
        }
        try {
          objects.push(index.slim(kind, item));
        } catch (error) {
          if (!(error instanceof ObjectShapeError)) throw error;
          throw new ConfigError(`Cannot load cluster snapshot "${path}": ${where} (${error.object}): ${error.reason}`, {
            cause: error,
          });
        }
      }
    }
  }
  return { objects, skipped };
}

/** reads the files, then applies every object (controllers before pods) */
export async function loadClusterSnapshots(paths: readonly string[], index: ClusterIndex): Promise<SnapshotLoadResult> {
  const { objects, skipped } = await readClusterSnapshots(paths, index);
  const order = (o: SlimObject) => RESOURCE_KINDS.indexOf(o.kind);
  objects.sort((a, b) => order(a) - order(b));
  const counts: Record<string, number> = {};
  for (const object of objects) {
    index.apply('ADDED', object);
    counts[object.kind] = (counts[object.kind] ?? 0) + 1;
  }
  return { files: paths.length, objects: counts, skipped };
}

export interface SnapshotSource extends MetadataSource, Lifecycle {
  /** what the last load applied; undefined before it */
  readonly result: SnapshotLoadResult | undefined;
}

/**
 * The snapshot files as a MetadataSource. `start` loads them (and rejects with ConfigError for a bad file: the
 * app should refuse to start), `synced` is true once loaded; `lastError` is the load failure, if any.
 */
export function createSnapshotSource(
  config: { readonly paths: readonly string[] },
  deps: { readonly index: ClusterIndex },
) {
  let result: SnapshotLoadResult | undefined;
  let lastError: string | undefined;
  const source: SnapshotSource = {
    name: 'snapshot',
    get synced() {
      return result !== undefined;
    },
    get lastError() {
      return lastError;
    },
    get result() {
      return result;
    },
    async start() {
      if (result) return;
      try {
        result = await loadClusterSnapshots(config.paths, deps.index);
        lastError = undefined;
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error);
        throw error;
      }
    },
    async stop() {},
  };
  return source;
}
