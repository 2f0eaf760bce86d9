/**
 * The bounded table of clusters, least recently used first.
 *
 * Policy (after Drain3's `LogClusterCache`): only a message that is *learned into* a cluster makes
 * it recent. Looking clusters up while probing candidates (`peek`), matching read-only, listing and
 * snapshotting leave the order alone, so a probe can never keep a dead template alive. When full,
 * the caller evicts the least recently used cluster before adding a new one.
 */

export interface Identified {
  readonly id: number;
}

export class ClusterCache<T extends Identified> {
  /** Map iteration order is insertion order: re-inserting on use keeps it least-recent-first. */
  readonly #byId = new Map<number, T>();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#byId.size;
  }

  get isFull(): boolean {
    return this.#byId.size >= this.capacity;
  }

  /** The cluster with this id, without refreshing its recency. */
  peek(id: number): T | undefined {
    return this.#byId.get(id);
  }

  /** Add as the most recently used. */
  add(item: T): void {
    this.#byId.set(item.id, item);
  }

  /** Mark as the most recently used. */
  touch(item: T): void {
    this.#byId.delete(item.id);
    this.#byId.set(item.id, item);
  }

  /** Remove and return the least recently used, or undefined when empty. */
  evictOldest(): T | undefined {
    const first = this.#byId.values().next();
    if (first.done === true) return undefined;
    this.#byId.delete(first.value.id);
    return first.value;
  }

  /** Least recently used first; does not change the order. */
  values(): IterableIterator<T> {
    return this.#byId.values();
  }
}
