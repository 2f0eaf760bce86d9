/**
 * A least-recently-used pool of models shared by many owners (the per-template and per-entity
 * volume models of every source): each owner finds its entries in its own Map (no composite key
 * string per lookup), while one intrusive list orders all entries by recency so the pool as a
 * whole never holds more than `capacity`. Evicting removes the entry from its owner's Map.
 */
export class PoolEntry<K, V> {
  prev: PoolEntry<K, V> | null = null;
  next: PoolEntry<K, V> | null = null;
  /** Events the entry has seen. */
  events = 0;

  constructor(
    readonly owner: Map<K, PoolEntry<K, V>>,
    readonly key: K,
    readonly value: V,
  ) {}
}

export class BoundedPool<K, V> {
  readonly capacity: number;
  #size = 0;
  #evictions = 0;
  /** Least recently used end. */
  #head: PoolEntry<K, V> | null = null;
  #tail: PoolEntry<K, V> | null = null;

  constructor(capacity: number) {
    if (!(capacity >= 1)) throw new RangeError(`pool capacity must be at least 1, got ${capacity}`);
    this.capacity = capacity;
  }

  get size(): number {
    return this.#size;
  }

  get evictions(): number {
    return this.#evictions;
  }

  /**
   * The owner's entry for `key`, made most recent; created if absent. When the pool is full the
   * oldest entry is evicted and its value handed to `create` for reuse (no allocation churn when
   * new keys keep arriving).
   */
  acquire(owner: Map<K, PoolEntry<K, V>>, key: K, create: (recycled?: V) => V): PoolEntry<K, V> {
    const found = owner.get(key);
    if (found) {
      if (found !== this.#tail) {
        this.#unlink(found);
        this.#append(found);
      }
      return found;
    }
    let recycled: V | undefined;
    if (this.#size >= this.capacity && this.#head) {
      const oldest = this.#head;
      this.#unlink(oldest);
      oldest.owner.delete(oldest.key);
      this.#evictions++;
      recycled = oldest.value;
    }
    const entry = new PoolEntry(owner, key, create(recycled));
    owner.set(key, entry);
    this.#append(entry);
    return entry;
  }

  /** Drops every entry of `owner` (its source was evicted). */
  dropOwner(owner: Map<K, PoolEntry<K, V>>): void {
    for (const entry of owner.values()) this.#unlink(entry);
    owner.clear();
  }

  /** All entries, least recently used first. */
  *entries(): IterableIterator<PoolEntry<K, V>> {
    for (let entry = this.#head; entry; entry = entry.next) yield entry;
  }

  #append(entry: PoolEntry<K, V>): void {
    entry.prev = this.#tail;
    entry.next = null;
    if (this.#tail) this.#tail.next = entry;
    else this.#head = entry;
    this.#tail = entry;
    this.#size++;
  }

  #unlink(entry: PoolEntry<K, V>): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.#head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.#tail = entry.prev;
    entry.prev = entry.next = null;
    this.#size--;
  }
}
