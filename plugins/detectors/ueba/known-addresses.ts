/**
 * The source addresses an entity has been seen with, each with its last-seen event time, capped
 * at `source_ip_cap` (default 64): beyond it the address seen least recently is forgotten (a scan
 * of at most `cap` entries, only when a new address arrives at a full set). The
 * source-novelty sub-score is the share of an event's addresses that are not known (reference §8).
 */

export class KnownAddresses {
  readonly #cap: number;
  /** Address → last seen (ns). Updated in place: deleting and re-inserting Map keys is slow in V8. */
  readonly #lastSeen = new Map<string, bigint>();

  /** `cap`: addresses kept (`ueba.source_ip_cap`, ≥ 1). */
  constructor(cap: number) {
    this.#cap = cap;
  }

  get size(): number {
    return this.#lastSeen.size;
  }

  has(address: string): boolean {
    return this.#lastSeen.has(address);
  }

  /** Remember `address` as seen at `atNs` (a late event does not move its last sighting back). */
  observe(address: string, atNs: bigint): void {
    const previous = this.#lastSeen.get(address);
    if (previous !== undefined) {
      if (atNs > previous) this.#lastSeen.set(address, atNs);
      return;
    }
    if (this.#lastSeen.size >= this.#cap) this.#lastSeen.delete(this.#leastRecent());
    this.#lastSeen.set(address, atNs);
  }

  /** `[address, last seen ns]`, least recently seen first. */
  entries(): Array<[string, bigint]> {
    return [...this.#lastSeen].sort((a, b) => (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  }

  /** The address seen least recently (the first of them in insertion order on a tie). */
  #leastRecent(): string {
    let oldest = '';
    let oldestNs: bigint | undefined;
    for (const [address, seen] of this.#lastSeen) {
      if (oldestNs === undefined || seen < oldestNs) {
        oldest = address;
        oldestNs = seen;
      }
    }
    return oldest;
  }
}

/** `1 − known / total` over the event's addresses; 0 when the event names none. */
export function sourceNoveltyScore(known: KnownAddresses, addresses: readonly string[]): number {
  if (addresses.length === 0) return 0;
  let hits = 0;
  for (const address of addresses) if (known.has(address)) hits++;
  return 1 - hits / addresses.length;
}
