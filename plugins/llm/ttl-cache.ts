/**
 * A small LRU cache whose entries also expire: at most `size` entries (0 disables it), each
 * valid for `ttlMs` after it was set, measured on the injected clock. A read refreshes recency;
 * an expired entry is dropped when it is read. Used for explanations, hunt translations and
 * rule suggestions.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresMs: number }>();
  readonly #size: number;
  readonly #ttlMs: number;
  readonly #nowMs: () => number;

  constructor(size: number, ttlMs: number, nowMs: () => number) {
    this.#size = size;
    this.#ttlMs = ttlMs;
    this.#nowMs = nowMs;
  }

  /** A cache whose TTL is in seconds on a nanosecond clock (the runtime's). */
  static onClockNs<K, V>(size: number, ttlS: number, clockNs: () => bigint): TtlCache<K, V> {
    return new TtlCache(size, ttlS * 1000, () => Number(clockNs() / 1_000_000n));
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresMs <= this.#nowMs()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.#size === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresMs: this.#nowMs() + this.#ttlMs });
    if (this.#entries.size > this.#size) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): boolean {
    return this.#entries.delete(key);
  }
}
