/**
 * Interning pools: many pods share the same labels, ports and namespace strings; one shared copy saves most of the
 * index's memory. Pools are caches only: nothing relies on identity, so a pool may be cleared at any time.
 * @module
 */

/** a cache of shared values by key; `clear` is safe (later values are shared anew) */
export interface InternPool<T> {
  intern(key: string, make: () => T): T;
  readonly size: number;
  clear(): void;
}

export function createInternPool<T>(): InternPool<T> {
  const values = new Map<string, T>();
  return {
    intern(key, make) {
      const found = values.get(key);
      if (found !== undefined) return found;
      const value = make();
      values.set(key, value);
      return value;
    },
    get size() {
      return values.size;
    },
    clear() {
      values.clear();
    },
  };
}

const EMPTY_RECORD: Readonly<Record<string, string>> = Object.freeze({});

/** interns a string map (labels, selectors) by its sorted entries; returns a frozen shared object */
export function internStringMap(
  pool: InternPool<Readonly<Record<string, string>>>,
  map: Readonly<Record<string, string>>,
): Readonly<Record<string, string>> {
  const keys = Object.keys(map);
  if (keys.length === 0) return EMPTY_RECORD;
  keys.sort();
  let key = '';
  for (const k of keys) key += `${k}\u0000${map[k]}\u0001`;
  return pool.intern(key, () => {
    const out: Record<string, string> = {};
    for (const k of keys) out[k] = map[k]!;
    return Object.freeze(out);
  });
}

/** interns a short string (namespace, node name, phase) */
export function internString(pool: InternPool<string>, text: string): string {
  return pool.intern(text, () => text);
}
