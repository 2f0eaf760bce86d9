/**
 * The indicator table: every indicator of every feed in typed arrays, so a million of them fit
 * in tens of megabytes and a lookup allocates nothing.
 *
 * - Keys are bytes (see `keyBytes`): an address and its prefix length, a domain or URL in ASCII,
 *   a digest in binary. They live back to back in one arena; an entry keeps offset and length.
 * - Entries are rows of parallel columns (kind, feed, confidence, validity, version, phases, the
 *   STIX id's 64-bit fingerprint). Removed rows go on a free list; `compact()` renumbers.
 * - An open-addressing hash table (linear probing, tombstones) maps a key to its entries. The
 *   same key may be held by several entries (two feeds, two STIX indicators): a lookup returns
 *   them all.
 * - A Bloom filter sits in front: most probes are misses and end there, in a few bits of a
 *   small array, without touching the table or the arena.
 * - Counts per IPv4/IPv6 prefix length and per domain label count tell a matcher which probes
 *   can find anything at all.
 *
 * Key hashes are computed from the key's last byte to its first (`keyHash`), so the hashes of all
 * the suffixes of a domain come out of one pass (`matcher.ts`). Pure: no I/O.
 */
import { BloomFilter, bloomSizing, fmix32 } from './bloom.js';

export interface BloomOptions {
  fpr: number;
  minCapacity: number;
  growth: number;
}

/** Everything about an entry but its key. */
export interface EntryMeta {
  /** Index of the feed (0–255). */
  feed: number;
  /** 0–100. */
  confidence: number;
  /** Seconds since the epoch; 0 = no end. */
  validUntilS: number;
  /** The version (STIX `modified`) in seconds since the epoch; 0 = unversioned. */
  modifiedS: number;
  /** Index into the owner's table of kill-chain phase lists; 0 = none. */
  phases: number;
  /** STIX id fingerprint, low and high 32 bits; both 0 for plain feeds. */
  fpLo: number;
  fpHi: number;
}

const MAX_LOAD = 0.75;
const TARGET_LOAD = 0.5;
const TOMBSTONE = -1;
const MIN_ENTRIES = 64;

/** Hash of `bytes[start, start+len)` as a key of `kind`, from the last byte to the first. */
export function keyHash(kind: number, bytes: Uint8Array, start: number, len: number): number {
  let h = hashSeed(kind);
  for (let i = start + len - 1; i >= start; i--) h = hashStep(h, bytes[i] as number);
  return hashFinal(h, len);
}

export function hashSeed(kind: number): number {
  return (0x811c9dc5 ^ Math.imul(kind, 0x9e3779b1)) | 0;
}

export function hashStep(h: number, byte: number): number {
  return Math.imul(h ^ byte, 0x01000193);
}

export function hashFinal(h: number, len: number): number {
  return mix(h ^ len);
}

/** Read once: see the note on hot-path aliases in `matcher.ts`. */
const mix = fmix32;

export class IndicatorTable {
  // Entry columns (index = entry id).
  #kind = new Uint8Array(MIN_ENTRIES);
  #feed = new Uint8Array(MIN_ENTRIES);
  #confidence = new Uint8Array(MIN_ENTRIES);
  #keyLen = new Uint16Array(MIN_ENTRIES);
  #keyOff = new Uint32Array(MIN_ENTRIES);
  #validUntil = new Uint32Array(MIN_ENTRIES);
  #modified = new Uint32Array(MIN_ENTRIES);
  #phases = new Uint16Array(MIN_ENTRIES);
  #fpLo = new Uint32Array(MIN_ENTRIES);
  #fpHi = new Uint32Array(MIN_ENTRIES);
  /** Entries ever allocated (high-water mark); ids below it are live or free. */
  #top = 0;
  #free: number[] = [];
  #live = 0;
  // Keys.
  #arena = new Uint8Array(1024);
  #arenaUsed = 0;
  #arenaGarbage = 0;
  // Hash table: entry id + 1, 0 empty, -1 tombstone.
  #slots = new Int32Array(16);
  #tombstones = 0;
  // Bloom filter and what it no longer reflects.
  readonly #bloomOptions: BloomOptions;
  #bloom: BloomFilter;
  #bloomStale = 0;
  // Per kind and per prefix length counts, so probes skip what the table cannot hold.
  readonly #kindCount = new Int32Array(8);
  readonly #v4Prefixes = new Int32Array(33);
  readonly #v6Prefixes = new Int32Array(129);
  /** Domains per label count (127 = that many or more). */
  readonly #domainLabels = new Int32Array(128);
  #v4Lengths: number[] = [];
  #v6Lengths: number[] = [];

  constructor(bloom: BloomOptions) {
    this.#bloomOptions = bloom;
    this.#bloom = new BloomFilter(bloomSizing(0, bloom.fpr, bloom.minCapacity, bloom.growth));
  }

  /** Live entries. */
  get size(): number {
    return this.#live;
  }

  /** Entry ids run below this; skip those whose `kindOf` is 0 (free). */
  get top(): number {
    return this.#top;
  }

  countOf(kind: number): number {
    return this.#kindCount[kind] as number;
  }

  /** Whether some domain (kind 3) of `labels` labels is held (`evil.example` has 2). */
  holdsDomainLabels(labels: number): boolean {
    return (this.#domainLabels[labels > 127 ? 127 : labels] as number) > 0;
  }

  /** Prefix lengths held for IPv4 (kind 1) or IPv6 (kind 2), longest first. */
  prefixLengths(kind: number): readonly number[] {
    return kind === 1 ? this.#v4Lengths : this.#v6Lengths;
  }

  get bloom(): { bits: number; hashes: number; capacity: number; bytes: number; stale: number } {
    const { bits, hashes, capacity } = this.#bloom.sizing;
    return { bits, hashes, capacity, bytes: this.#bloom.byteLength, stale: this.#bloomStale };
  }

  /** Bytes held by the table's arrays (what a million indicators cost). */
  get byteLength(): number {
    const columns = [this.#kind, this.#feed, this.#confidence, this.#keyLen, this.#keyOff, this.#validUntil, this.#modified, this.#phases, this.#fpLo, this.#fpHi];
    return columns.reduce((sum, column) => sum + column.byteLength, 0) + this.#arena.byteLength + this.#slots.byteLength + this.#bloom.byteLength + this.#free.length * 4;
  }

  /** Room for `extra` more entries and `keyBytes` more key bytes without regrowing. */
  reserve(extra: number, keyBytes: number): void {
    this.#growEntries(this.#top + extra - this.#free.length);
    this.#growArena(keyBytes);
    this.#growSlots(this.#live + extra);
  }

  /** Adds an entry for the key `bytes[start, start+len)`; returns its id. */
  add(kind: number, bytes: Uint8Array, start: number, len: number, meta: EntryMeta): number {
    const hash = keyHash(kind, bytes, start, len);
    if (this.#live + 1 + this.#tombstones > this.#slots.length * MAX_LOAD) this.#rehash(Math.ceil((this.#live + 1) / TARGET_LOAD));
    const id = this.#free.length > 0 ? (this.#free.pop() as number) : this.#top++;
    this.#growEntries(this.#top);
    this.#growArena(len);
    this.#arena.set(bytes.subarray(start, start + len), this.#arenaUsed);
    this.#kind[id] = kind;
    this.#feed[id] = meta.feed;
    this.#confidence[id] = meta.confidence;
    this.#keyLen[id] = len;
    this.#keyOff[id] = this.#arenaUsed;
    this.#validUntil[id] = meta.validUntilS;
    this.#modified[id] = meta.modifiedS;
    this.#phases[id] = meta.phases;
    this.#fpLo[id] = meta.fpLo;
    this.#fpHi[id] = meta.fpHi;
    this.#arenaUsed += len;
    this.#live++;
    this.#count(id, 1);
    this.#place(id, hash);
    this.#bloom.add(hash);
    return id;
  }

  remove(id: number): void {
    const kind = this.#kind[id] as number;
    if (kind === 0) return;
    const len = this.#keyLen[id] as number;
    const hash = keyHash(kind, this.#arena, this.#keyOff[id] as number, len);
    const slots = this.#slots;
    let slot = hash & (slots.length - 1);
    for (;;) {
      const held = slots[slot] as number;
      if (held === 0) throw new Error(`indicator table corrupt: entry ${id} is not in its chain`);
      if (held === id + 1) break;
      slot = (slot + 1) & (slots.length - 1);
    }
    slots[slot] = TOMBSTONE;
    this.#tombstones++;
    this.#count(id, -1);
    this.#kind[id] = 0;
    this.#arenaGarbage += len;
    this.#live--;
    this.#free.push(id);
    this.#bloomStale++;
  }

  /**
   * Ids of the entries whose key is `bytes[start, start+len)` of `kind`, written to `out`; returns
   * how many (at most `out.length`). `hash` is `keyHash` of that key. Allocates nothing.
   */
  lookup(kind: number, bytes: Uint8Array, start: number, len: number, hash: number, out: Int32Array): number {
    if (!this.#bloom.mightContain(hash)) return 0;
    const slots = this.#slots;
    const arena = this.#arena;
    let slot = hash & (slots.length - 1);
    let found = 0;
    for (;;) {
      const held = slots[slot] as number;
      if (held === 0) return found;
      if (held > 0) {
        const id = held - 1;
        if (this.#kind[id] === kind && this.#keyLen[id] === len) {
          const offset = this.#keyOff[id] as number;
          let equal = true;
          for (let i = 0; i < len; i++) {
            if (arena[offset + i] !== bytes[start + i]) {
              equal = false;
              break;
            }
          }
          if (equal) {
            out[found++] = id;
            if (found === out.length) return found;
          }
        }
      }
      slot = (slot + 1) & (slots.length - 1);
    }
  }

  kindOf(id: number): number {
    return this.#kind[id] as number;
  }

  meta(id: number): EntryMeta {
    return {
      feed: this.#feed[id] as number,
      confidence: this.#confidence[id] as number,
      validUntilS: this.#validUntil[id] as number,
      modifiedS: this.#modified[id] as number,
      phases: this.#phases[id] as number,
      fpLo: this.#fpLo[id] as number,
      fpHi: this.#fpHi[id] as number,
    };
  }

  feedOf(id: number): number {
    return this.#feed[id] as number;
  }

  confidenceOf(id: number): number {
    return this.#confidence[id] as number;
  }

  validUntilOf(id: number): number {
    return this.#validUntil[id] as number;
  }

  phasesOf(id: number): number {
    return this.#phases[id] as number;
  }

  fpLoOf(id: number): number {
    return this.#fpLo[id] as number;
  }

  fpHiOf(id: number): number {
    return this.#fpHi[id] as number;
  }

  modifiedOf(id: number): number {
    return this.#modified[id] as number;
  }

  /** A copy of the entry's key bytes. */
  keyOf(id: number): Uint8Array {
    const offset = this.#keyOff[id] as number;
    return this.#arena.slice(offset, offset + (this.#keyLen[id] as number));
  }

  /**
   * Rebuilds the Bloom filter for the current entries (dropping removed keys' bits) when it is
   * stale or over its capacity. Returns whether it did.
   */
  refreshBloom(force = false): boolean {
    if (!force && this.#bloomStale === 0 && this.#live <= this.#bloom.sizing.capacity) return false;
    const { fpr, minCapacity, growth } = this.#bloomOptions;
    const bloom = new BloomFilter(bloomSizing(this.#live, fpr, minCapacity, growth));
    for (let id = 0; id < this.#top; id++) {
      const kind = this.#kind[id] as number;
      if (kind !== 0) bloom.add(keyHash(kind, this.#arena, this.#keyOff[id] as number, this.#keyLen[id] as number));
    }
    this.#bloom = bloom;
    this.#bloomStale = 0;
    return true;
  }

  /**
   * Renumbers live entries densely, packs the arena, sizes every array to what it holds (plus
   * `headroom`, a fraction) and rebuilds the hash table and the Bloom filter. Call after bulk
   * changes; ids from before are invalid after.
   */
  compact(headroom = 0.1): void {
    const size = Math.max(MIN_ENTRIES, Math.ceil(this.#live * (1 + headroom)));
    const kind = new Uint8Array(size);
    const feed = new Uint8Array(size);
    const confidence = new Uint8Array(size);
    const keyLen = new Uint16Array(size);
    const keyOff = new Uint32Array(size);
    const validUntil = new Uint32Array(size);
    const modified = new Uint32Array(size);
    const phases = new Uint16Array(size);
    const fpLo = new Uint32Array(size);
    const fpHi = new Uint32Array(size);
    const liveBytes = this.#arenaUsed - this.#arenaGarbage;
    const arena = new Uint8Array(Math.max(1024, Math.ceil(liveBytes * (1 + headroom))));
    let next = 0;
    let used = 0;
    for (let id = 0; id < this.#top; id++) {
      if (this.#kind[id] === 0) continue;
      const len = this.#keyLen[id] as number;
      const offset = this.#keyOff[id] as number;
      arena.set(this.#arena.subarray(offset, offset + len), used);
      kind[next] = this.#kind[id] as number;
      feed[next] = this.#feed[id] as number;
      confidence[next] = this.#confidence[id] as number;
      keyLen[next] = len;
      keyOff[next] = used;
      validUntil[next] = this.#validUntil[id] as number;
      modified[next] = this.#modified[id] as number;
      phases[next] = this.#phases[id] as number;
      fpLo[next] = this.#fpLo[id] as number;
      fpHi[next] = this.#fpHi[id] as number;
      used += len;
      next++;
    }
    this.#kind = kind;
    this.#feed = feed;
    this.#confidence = confidence;
    this.#keyLen = keyLen;
    this.#keyOff = keyOff;
    this.#validUntil = validUntil;
    this.#modified = modified;
    this.#phases = phases;
    this.#fpLo = fpLo;
    this.#fpHi = fpHi;
    this.#arena = arena;
    this.#arenaUsed = used;
    this.#arenaGarbage = 0;
    this.#top = next;
    this.#free = [];
    this.#rehash(Math.ceil(Math.max(this.#live, 1) / TARGET_LOAD));
    this.refreshBloom(true);
  }

  /** Whether removals have left enough garbage that `compact()` pays for itself. */
  get wantsCompaction(): boolean {
    return this.#free.length > 1024 && this.#free.length * 4 > this.#top;
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  #place(id: number, hash: number): void {
    const slots = this.#slots;
    let slot = hash & (slots.length - 1);
    for (;;) {
      const held = slots[slot] as number;
      if (held === 0) break;
      if (held === TOMBSTONE) {
        this.#tombstones--;
        break;
      }
      slot = (slot + 1) & (slots.length - 1);
    }
    slots[slot] = id + 1;
  }

  /** A new hash table of at least `capacity` slots (a power of two: the index is a mask). */
  #rehash(capacity: number): void {
    this.#slots = new Int32Array(2 ** Math.max(4, Math.ceil(Math.log2(Math.max(1, capacity)))));
    this.#tombstones = 0;
    for (let id = 0; id < this.#top; id++) {
      const kind = this.#kind[id] as number;
      if (kind !== 0) this.#place(id, keyHash(kind, this.#arena, this.#keyOff[id] as number, this.#keyLen[id] as number));
    }
  }

  #growSlots(entries: number): void {
    if (entries + this.#tombstones > this.#slots.length * MAX_LOAD) this.#rehash(Math.ceil(entries / TARGET_LOAD));
  }

  #growEntries(needed: number): void {
    if (needed <= this.#kind.length) return;
    const size = Math.max(needed, Math.ceil(this.#kind.length * 1.5));
    this.#kind = grow(this.#kind, size);
    this.#feed = grow(this.#feed, size);
    this.#confidence = grow(this.#confidence, size);
    this.#keyLen = grow(this.#keyLen, size);
    this.#keyOff = grow(this.#keyOff, size);
    this.#validUntil = grow(this.#validUntil, size);
    this.#modified = grow(this.#modified, size);
    this.#phases = grow(this.#phases, size);
    this.#fpLo = grow(this.#fpLo, size);
    this.#fpHi = grow(this.#fpHi, size);
  }

  /** Room for `extra` more key bytes. */
  #growArena(extra: number): void {
    if (this.#arenaUsed + extra <= this.#arena.length) return;
    // Dropping garbage beats growing: pack the arena first when it is mostly dead keys.
    if (this.#arenaGarbage * 2 > this.#arenaUsed) {
      this.#packArena();
      if (this.#arenaUsed + extra <= this.#arena.length) return;
    }
    this.#arena = grow(this.#arena, Math.max(this.#arenaUsed + extra, Math.ceil(this.#arena.length * 1.5)));
  }

  #packArena(): void {
    const packed = new Uint8Array(this.#arena.length);
    let used = 0;
    for (let id = 0; id < this.#top; id++) {
      if (this.#kind[id] === 0) continue;
      const offset = this.#keyOff[id] as number;
      const len = this.#keyLen[id] as number;
      packed.set(this.#arena.subarray(offset, offset + len), used);
      this.#keyOff[id] = used;
      used += len;
    }
    this.#arena = packed;
    this.#arenaUsed = used;
    this.#arenaGarbage = 0;
  }

  #count(id: number, delta: number): void {
    const kind = this.#kind[id] as number;
    this.#kindCount[kind] = (this.#kindCount[kind] as number) + delta;
    if (kind === 3) {
      const offset = this.#keyOff[id] as number;
      let labels = 1;
      for (let i = offset + (this.#keyLen[id] as number) - 1; i >= offset; i--) if (this.#arena[i] === 0x2e) labels++;
      const slot = labels > 127 ? 127 : labels;
      this.#domainLabels[slot] = (this.#domainLabels[slot] as number) + delta;
      return;
    }
    if (kind !== 1 && kind !== 2) return;
    const prefix = this.#arena[(this.#keyOff[id] as number) + (this.#keyLen[id] as number) - 1] as number;
    const counts = kind === 1 ? this.#v4Prefixes : this.#v6Prefixes;
    const before = counts[prefix] as number;
    counts[prefix] = before + delta;
    if ((before === 0) !== (before + delta === 0)) {
      const lengths: number[] = [];
      for (let p = counts.length - 1; p >= 0; p--) if ((counts[p] as number) > 0) lengths.push(p);
      if (kind === 1) this.#v4Lengths = lengths;
      else this.#v6Lengths = lengths;
    }
  }
}

function grow<T extends Uint8Array | Uint16Array | Uint32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
