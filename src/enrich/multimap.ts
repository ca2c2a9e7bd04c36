/**
 * Maps of sets: the index's reverse links (owner → pods, owner → child owners).
 * @module
 */

/** adds `value` to the set at `key`, creating it */
export function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

/** removes `value` from the set at `key`, dropping the set when empty */
export function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}
