/**
 * Least-recently-used bookkeeping on a plain `Map`, whose iteration order is insertion order:
 * re-inserting a key makes it the most recent, so the first key is always the least recent.
 */

/** Makes `key` the most recent entry, with `value`. */
export function touch<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
}

/** Drops the least recent entry while `map` holds more than `max`; returns how many went. */
export function evictOver<K, V>(map: Map<K, V>, max: number): number {
  let evicted = 0;
  for (const key of map.keys()) {
    if (map.size <= max) break;
    map.delete(key);
    evicted++;
  }
  return evicted;
}
