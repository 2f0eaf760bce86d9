/**
 * Per-rule window state of the correlation engine: groups of time-ordered entries, the aggregate of
 * each correlation type, and the queue of windows waiting for their close.
 *
 * Two ways to decide a window (the engine picks one per rule, see `correlation.ts`):
 * - `arrival`: a sliding window `[t − timespan, t]` (both ends included) is checked whenever an
 *   entry arrives at `t`. The group's current window keeps its aggregate up to date on add and
 *   remove; an out-of-order entry is also checked in every window that newly contains it (those
 *   ending at it and at each later entry within one timespan), computed afresh. A hit empties the
 *   group, so each hit consumes its events.
 * - `close`: the window opens at the group's earliest entry and is checked once, when event time
 *   has passed its end; entries past the end start the next window.
 *
 * Entries are kept sorted by event time, ties in arrival order (`seq`), so `temporal_ordered` reads
 * the order of events, not of arrival. Pure: no clock, no I/O.
 */

// ── Entries and aggregates ──────────────────────────────────────────────────────────────────────

/** One observation's contribution to one group; an observation with several values adds several. */
export interface WindowEntry {
  /** Event time, ns. */
  readonly ts: bigint;
  /** Arrival order across the engine; entries of one observation share it. */
  readonly seq: number;
  /** Index of the matched reference in the rule's `rules` list. */
  readonly ref: number;
  /** value_count: the distinct key; value_sum/avg/percentile: the number; otherwise undefined. */
  readonly value: string | number | undefined;
  /** Contributing event ids (one for a detection, several for an upstream correlation hit). */
  readonly ids: readonly string[];
}

export type AggregateKind = 'count' | 'distinct' | 'sum' | 'avg' | 'percentile' | 'temporal' | 'temporal_ordered';

/** An aggregate kept up to date as entries enter and leave a window. */
export class WindowAggregate {
  #entries = 0;
  #sum = 0;
  readonly #distinct = new Map<string, number>();
  readonly #sorted: number[] = [];
  readonly #perRef: number[];

  constructor(
    readonly kind: AggregateKind,
    refCount: number,
    readonly percentile: number,
  ) {
    this.#perRef = new Array<number>(refCount).fill(0);
  }

  add(entry: WindowEntry): void {
    this.#entries += 1;
    this.#perRef[entry.ref] = (this.#perRef[entry.ref] ?? 0) + 1;
    const { value } = entry;
    if (typeof value === 'string') this.#distinct.set(value, (this.#distinct.get(value) ?? 0) + 1);
    if (typeof value === 'number') {
      this.#sum += value;
      if (this.kind === 'percentile') this.#sorted.splice(upperBoundNumber(this.#sorted, value), 0, value);
    }
  }

  remove(entry: WindowEntry): void {
    this.#entries -= 1;
    this.#perRef[entry.ref] = (this.#perRef[entry.ref] ?? 1) - 1;
    const { value } = entry;
    if (typeof value === 'string') {
      const left = (this.#distinct.get(value) ?? 1) - 1;
      if (left === 0) this.#distinct.delete(value);
      else this.#distinct.set(value, left);
    }
    if (typeof value === 'number') {
      // Reset at empty so floating-point residue cannot build up over a long-lived group.
      this.#sum = this.#entries === 0 ? 0 : this.#sum - value;
      if (this.kind === 'percentile') this.#sorted.splice(upperBoundNumber(this.#sorted, value) - 1, 1);
    }
  }

  /**
   * The aggregate over the entries added and not removed. `window` must be exactly those entries,
   * in order; only `temporal_ordered` reads it.
   */
  value(window: readonly WindowEntry[], from: number, to: number): number {
    switch (this.kind) {
      case 'count':
        return this.#entries;
      case 'distinct':
        return this.#distinct.size;
      case 'sum':
        return this.#sum;
      case 'avg':
        return this.#entries === 0 ? 0 : this.#sum / this.#entries;
      case 'percentile':
        return percentileOf(this.#sorted, this.percentile);
      case 'temporal':
        return this.#perRef.filter((n) => n > 0).length;
      case 'temporal_ordered':
        return orderedPrefix(window, from, to, this.#perRef.length);
    }
  }
}

/**
 * Percentile rank `p` (0–100) of sorted values, interpolating linearly between the two nearest
 * ranks (the "linear" method of NumPy and of most SIEM percentile functions). NaN when empty.
 */
export function percentileOf(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (high - low) * (rank - below);
}

/** How many of the rules 0, 1, 2… appear in that order among `window[from..to)`. */
function orderedPrefix(window: readonly WindowEntry[], from: number, to: number, refCount: number): number {
  let next = 0;
  for (let i = from; i < to && next < refCount; i++) if ((window[i] as WindowEntry).ref === next) next += 1;
  return next;
}

function upperBoundNumber(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as number) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** First index whose entry is later than `ts` (or at/after it when `inclusive` is false). */
function boundary(entries: readonly WindowEntry[], ts: bigint, inclusive: boolean): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const at = (entries[mid] as WindowEntry).ts;
    if (at < ts || (inclusive && at === ts)) low = mid + 1;
    else high = mid;
  }
  return low;
}

// ── Groups ──────────────────────────────────────────────────────────────────────────────────────

/** Counters shared by all rules of one engine. */
export interface WindowCounters {
  /** Entries held across all groups: what `maxStateEntries` bounds. */
  entries: number;
  /** Entries dropped because a group reached `maxEntriesPerGroup`. */
  groupCapDrops: number;
  /** Source of unique, increasing window versions (stale close records never match a new window). */
  nextVersion: number;
}

export interface WindowGroup {
  readonly key: string;
  /** group-by name → value, as text. */
  readonly values: Readonly<Record<string, string>>;
  /** Sorted by (ts, seq). */
  entries: WindowEntry[];
  /** arrival: index of the first entry of the current window. */
  lo: number;
  /** arrival: aggregate of `entries[lo..]`. */
  aggregate: WindowAggregate | undefined;
  /** close: start of the open window, and the version of its scheduled close. */
  openNs: bigint;
  version: number;
}

export type WindowMode = 'arrival' | 'close';

export interface WindowSpec {
  kind: AggregateKind;
  mode: WindowMode;
  spanNs: bigint;
  refCount: number;
  percentile: number;
  check: (value: number) => boolean;
  maxEntriesPerGroup: number;
  /** close mode: asked to call `close(key, version)` once event time passes `deadlineNs`. */
  schedule: (deadlineNs: bigint, key: string, version: number) => void;
}

/** A window whose aggregate met the condition. `window` holds its entries in time order. */
export interface WindowHit {
  group: WindowGroup;
  value: number;
  window: readonly WindowEntry[];
  /** Event time the decision belongs to: the anchoring entry (arrival) or the window's end (close). */
  atNs: bigint;
}

/** All groups of one correlation rule. Map order is least recently updated first (arrival mode). */
export class RuleWindows {
  readonly groups = new Map<string, WindowGroup>();

  constructor(
    readonly spec: WindowSpec,
    readonly counters: WindowCounters,
  ) {}

  /**
   * Add one observation's entries (same ts and seq) to a group. Arrival mode returns a hit when a
   * window meets the condition (and empties the group), and otherwise drops the group's entries
   * older than `trimBeforeNs` (no acceptable event can share a window with them); close mode only
   * schedules.
   */
  observe(
    key: string,
    values: Readonly<Record<string, string>>,
    added: readonly WindowEntry[],
    trimBeforeNs?: bigint,
  ): WindowHit | undefined {
    let group = this.groups.get(key);
    if (group === undefined) {
      group = { key, values, entries: [], lo: 0, aggregate: undefined, openNs: 0n, version: 0 };
      if (this.spec.mode === 'arrival') group.aggregate = this.#newAggregate();
    } else {
      this.groups.delete(key); // re-inserted below: most recently updated last
    }
    this.groups.set(key, group);
    this.counters.entries += added.length;
    if (this.spec.mode === 'close') return this.#observeClose(group, added);
    const hit = this.#observeArrival(group, added);
    if (hit === undefined && trimBeforeNs !== undefined) this.trim(group, trimBeforeNs);
    return hit;
  }

  /** Close mode: decide the window scheduled as `version`; stale versions are ignored. */
  close(key: string, version: number): WindowHit | undefined {
    const group = this.groups.get(key);
    if (group === undefined || group.version !== version) return undefined;
    const endNs = group.openNs + this.spec.spanNs;
    const cut = boundary(group.entries, endNs, true);
    const window = group.entries.slice(0, cut);
    group.entries = group.entries.slice(cut);
    this.counters.entries -= cut;
    if (group.entries.length === 0) this.groups.delete(key);
    else this.#reschedule(group);
    const value = this.#fresh(window, 0, window.length);
    return this.spec.check(value) ? { group, value, window, atNs: endNs } : undefined;
  }

  /** Arrival mode: drop entries older than `cutoffNs`, and groups left empty. */
  trim(group: WindowGroup, cutoffNs: bigint): void {
    if ((group.entries[0] as WindowEntry).ts >= cutoffNs) return; // the common case: nothing that old
    const cut = boundary(group.entries, cutoffNs, false);
    if (cut === 0) return;
    for (let i = group.lo; i < cut; i++) group.aggregate?.remove(group.entries[i] as WindowEntry);
    group.entries.splice(0, cut);
    group.lo = Math.max(0, group.lo - cut);
    this.counters.entries -= cut;
    if (group.entries.length === 0) this.groups.delete(group.key);
  }

  /** Arrival mode: drop least recently updated groups whose newest entry is older than `cutoffNs`. */
  expireIdle(cutoffNs: bigint): void {
    for (const group of this.groups.values()) {
      if (lastNs(group) >= cutoffNs) return; // the rest were updated later; close enough to ordered
      this.drop(group);
    }
  }

  /** Remove a group and its entries. */
  drop(group: WindowGroup): void {
    this.groups.delete(group.key);
    this.counters.entries -= group.entries.length;
  }

  /** Rebuild a group from saved entries (already sorted). */
  load(key: string, values: Readonly<Record<string, string>>, entries: WindowEntry[]): void {
    const group: WindowGroup = { key, values, entries, lo: 0, aggregate: undefined, openNs: 0n, version: 0 };
    this.groups.set(key, group);
    this.counters.entries += entries.length;
    if (this.spec.mode === 'close') {
      this.#reschedule(group);
      return;
    }
    const aggregate = this.#newAggregate();
    group.lo = boundary(entries, lastNs(group) - this.spec.spanNs, false);
    for (let i = group.lo; i < entries.length; i++) aggregate.add(entries[i] as WindowEntry);
    group.aggregate = aggregate;
  }

  #observeArrival(group: WindowGroup, added: readonly WindowEntry[]): WindowHit | undefined {
    const { spanNs, check } = this.spec;
    const aggregate = group.aggregate as WindowAggregate;
    const ts = (added[0] as WindowEntry).ts;
    const newest = group.entries.length === 0 ? ts : lastNs(group);

    if (ts >= newest) {
      // In order: extend the current window and slide its start
      for (const entry of added) {
        group.entries.push(entry);
        aggregate.add(entry);
      }
      while ((group.entries[group.lo] as WindowEntry).ts < ts - spanNs) aggregate.remove(group.entries[group.lo++] as WindowEntry);
      this.#capGroup(group);
      const value = aggregate.value(group.entries, group.lo, group.entries.length);
      return check(value) ? this.#consume(group, group.lo, group.entries.length, value, ts) : undefined;
    }

    // Out of order: insert in place, then check every window that now contains it
    const at = boundary(group.entries, ts, true);
    group.entries.splice(at, 0, ...added);
    if (ts >= newest - spanNs) for (const entry of added) aggregate.add(entry);
    else group.lo += added.length;
    this.#capGroup(group);
    const anchors = [ts];
    for (const entry of group.entries) {
      if (entry.ts > ts && entry.ts <= ts + spanNs && entry.ts !== anchors[anchors.length - 1]) anchors.push(entry.ts);
    }
    for (const anchor of anchors) {
      const from = boundary(group.entries, anchor - spanNs, false);
      const to = boundary(group.entries, anchor, true);
      const value = to === group.entries.length ? aggregate.value(group.entries, group.lo, to) : this.#fresh(group.entries, from, to);
      if (check(value)) return this.#consume(group, from, to, value, anchor);
    }
    return undefined;
  }

  #observeClose(group: WindowGroup, added: readonly WindowEntry[]): undefined {
    const ts = (added[0] as WindowEntry).ts;
    group.entries.splice(boundary(group.entries, ts, true), 0, ...added);
    const wasOpen = group.entries.length > added.length;
    this.#capGroup(group);
    if (!wasOpen || (group.entries[0] as WindowEntry).ts < group.openNs) this.#reschedule(group);
    return undefined;
  }

  /** Keep a group within `maxEntriesPerGroup` by dropping its oldest entries. */
  #capGroup(group: WindowGroup): void {
    const excess = group.entries.length - this.spec.maxEntriesPerGroup;
    if (excess <= 0) return;
    const removed = group.entries.splice(0, excess);
    removed.forEach((entry, i) => {
      if (i >= group.lo) group.aggregate?.remove(entry);
    });
    group.lo = Math.max(0, group.lo - excess);
    this.counters.entries -= excess;
    this.counters.groupCapDrops += excess;
    if (this.spec.mode === 'close' && (group.entries[0] as WindowEntry).ts !== group.openNs) this.#reschedule(group);
  }

  #reschedule(group: WindowGroup): void {
    group.openNs = (group.entries[0] as WindowEntry).ts;
    group.version = this.counters.nextVersion++;
    this.spec.schedule(group.openNs + this.spec.spanNs, group.key, group.version);
  }

  /** A hit on `entries[from..to)`; the whole group is spent. */
  #consume(group: WindowGroup, from: number, to: number, value: number, atNs: bigint): WindowHit {
    const window = group.entries.slice(from, to);
    this.drop(group);
    return { group, value, window, atNs };
  }

  #fresh(entries: readonly WindowEntry[], from: number, to: number): number {
    const aggregate = this.#newAggregate();
    for (let i = from; i < to; i++) aggregate.add(entries[i] as WindowEntry);
    return aggregate.value(entries, from, to);
  }

  #newAggregate(): WindowAggregate {
    return new WindowAggregate(this.spec.kind, this.spec.refCount, this.spec.percentile);
  }
}

/** Event time of a group's newest entry. */
export function lastNs(group: WindowGroup): bigint {
  return (group.entries[group.entries.length - 1] as WindowEntry).ts;
}

// ── Close queue ─────────────────────────────────────────────────────────────────────────────────

export interface CloseRecord {
  deadlineNs: bigint;
  /** Which window of the group this close is for; a record whose version is gone is stale. */
  version: number;
  rule: number;
  key: string;
}

/**
 * A binary min-heap of scheduled closes by (deadline, rule, group key): ties break on what a
 * snapshot keeps, so a restored engine closes in the same order. Stale records are skipped by
 * the reader.
 */
export class CloseQueue {
  readonly #heap: CloseRecord[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(record: CloseRecord): void {
    const heap = this.#heap;
    heap.push(record);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as CloseRecord, heap[parent] as CloseRecord)) break;
      [heap[i], heap[parent]] = [heap[parent] as CloseRecord, heap[i] as CloseRecord];
      i = parent;
    }
  }

  peek(): CloseRecord | undefined {
    return this.#heap[0];
  }

  pop(): CloseRecord | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined || heap.length === 0) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as CloseRecord, heap[smallest] as CloseRecord)) smallest = left;
      if (right < heap.length && before(heap[right] as CloseRecord, heap[smallest] as CloseRecord)) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest] as CloseRecord, heap[i] as CloseRecord];
      i = smallest;
    }
    return top;
  }

  clear(): void {
    this.#heap.length = 0;
  }
}

function before(a: CloseRecord, b: CloseRecord): boolean {
  if (a.deadlineNs !== b.deadlineNs) return a.deadlineNs < b.deadlineNs;
  if (a.rule !== b.rule) return a.rule < b.rule;
  return a.key < b.key;
}
