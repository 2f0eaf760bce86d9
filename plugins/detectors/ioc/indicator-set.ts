/**
 * The indicator set: what each feed currently lists, kept in one `IndicatorTable`.
 *
 * - TAXII polls are incremental (`added_after`), so they accumulate: a poll adds new indicators,
 *   replaces older versions of the same STIX id (by `modified`), and removes revoked ones, ones
 *   past `valid_until` + grace, and ones now under the confidence floor. The original kept only
 *   the latest poll's indicators (reference §9), losing everything older at each poll.
 * - A plain feed is a whole list each time: the feed's entries become exactly that list.
 * - `sweep` removes what expired since (all feeds).
 * - `settle` tidies the table after a burst of changes (the owner decides when).
 * - `snapshot`/`restore` write and read one feed as versioned JSON (SNAPSHOT_VERSION), so the
 *   set survives restarts; restoring applies the current policy (floor, types, cap, expiry).
 *
 * Bounded: each feed holds at most its `maxIndicators`; what does not fit is counted as capped.
 * Pure: no I/O, time passed in.
 */
import { decodeKey, encodeKey, INDICATOR_TYPES, KIND, MAX_KEY_BYTES, TYPE_OF_KIND, type IndicatorType } from './indicator.js';
import { IndicatorTable, keyHash, type BloomOptions, type EntryMeta } from './indicator-table.js';
import type { StixIndicatorRecord } from './stix-object.js';

export const SNAPSHOT_VERSION = 1;
/** Phase lists the set can tell apart; more distinct lists share "none". */
export const MAX_PHASE_LISTS = 65_535;
export const MAX_FEEDS = 256;

export interface FeedPolicy {
  /** Indicators below this confidence are not kept (0–100). */
  confidenceFloor: number;
  maxIndicators: number;
  /** Indicators leave this many seconds after their `valid_until`. */
  graceS: number;
  enabledTypes: ReadonlySet<IndicatorType>;
}

export interface ApplyCounts {
  /** Entries added and removed (an updated indicator counts in both). */
  added: number;
  removed: number;
  /** STIX ids revoked, expired, under the floor, or older than what is held. */
  revoked: number;
  expired: number;
  belowFloor: number;
  stale: number;
  /** Values not kept: over `maxIndicators`, or of a type the matcher does not use. */
  capped: number;
  skippedType: number;
}

export interface RestoreResult<S> {
  /** The feed state saved with the indicators (cursor, ETag…). */
  state: S;
  counts: ApplyCounts;
  savedAtS: number;
}

export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

interface SnapshotV1<S> {
  version: number;
  feed: string;
  saved_at_s: number;
  state: S;
  phases: string[][];
  kinds: number[];
  values: string[];
  confidence: number[];
  valid_until: number[];
  modified: number[];
  phase: number[];
  fp: number[];
}

export function emptyCounts(): ApplyCounts {
  return { added: 0, removed: 0, revoked: 0, expired: 0, belowFloor: 0, stale: 0, capped: 0, skippedType: 0 };
}

const FP_SPLIT = 0x1_0000_0000;

export class IndicatorSet {
  readonly table: IndicatorTable;
  readonly #feedCount = new Int32Array(MAX_FEEDS);
  readonly #phaseLists: string[][] = [[]];
  readonly #phaseIndex = new Map<string, number>([['', 0]]);
  readonly #key = new Uint8Array(MAX_KEY_BYTES + 17);
  readonly #found = new Int32Array(MAX_FEEDS);

  constructor(bloom: BloomOptions) {
    this.table = new IndicatorTable(bloom);
  }

  /** Entries the feed holds. */
  sizeOf(feed: number): number {
    return this.#feedCount[feed] as number;
  }

  /** Entries per type for one feed (scans the table: for status, not the hot path). */
  typesOf(feed: number): Partial<Record<IndicatorType, number>> {
    const counts: Partial<Record<IndicatorType, number>> = {};
    const table = this.table;
    for (let id = 0; id < table.top; id++) {
      const kind = table.kindOf(id);
      if (kind === 0 || table.feedOf(id) !== feed) continue;
      const type = TYPE_OF_KIND[kind] as IndicatorType;
      counts[type] = (counts[type] ?? 0) + 1;
    }
    return counts;
  }

  phases(index: number): readonly string[] {
    return this.#phaseLists[index] ?? [];
  }

  /** The index of a phase list (0 for none or when MAX_PHASE_LISTS are in use). */
  internPhases(list: readonly string[]): number {
    if (list.length === 0) return 0;
    const key = list.join('\n');
    const known = this.#phaseIndex.get(key);
    if (known !== undefined) return known;
    if (this.#phaseLists.length > MAX_PHASE_LISTS) return 0;
    this.#phaseLists.push([...list]);
    this.#phaseIndex.set(key, this.#phaseLists.length - 1);
    return this.#phaseLists.length - 1;
  }

  /** Applies one TAXII poll's indicators to `feed` (see the module comment). */
  applyStix(feed: number, records: readonly StixIndicatorRecord[], nowS: number, policy: FeedPolicy): ApplyCounts {
    const counts = emptyCounts();
    // The latest version of each id in this batch.
    const incoming = new Map<number, { record: StixIndicatorRecord; stale: boolean }>();
    for (const record of records) {
      const held = incoming.get(record.fp);
      if (held === undefined || record.modifiedS >= held.record.modifiedS) incoming.set(record.fp, { record, stale: false });
    }
    // Older versions held for those ids leave; a newer version held makes the incoming one stale.
    const table = this.table;
    if (incoming.size > 0 && this.sizeOf(feed) > 0) {
      for (let id = 0; id < table.top; id++) {
        if (table.kindOf(id) === 0 || table.feedOf(id) !== feed) continue;
        const entry = incoming.get(table.fpHiOf(id) * FP_SPLIT + table.fpLoOf(id));
        if (entry === undefined) continue;
        if (entry.record.modifiedS >= table.modifiedOf(id)) {
          this.#remove(id);
          counts.removed++;
        } else {
          entry.stale = true;
        }
      }
    }
    for (const { record, stale } of incoming.values()) {
      if (stale) counts.stale++;
      else if (record.revoked) counts.revoked++;
      else if (record.validUntilS !== 0 && record.validUntilS + policy.graceS < nowS) counts.expired++;
      else if (record.confidence < policy.confidenceFloor) counts.belowFloor++;
      else {
        const meta: EntryMeta = {
          feed,
          confidence: record.confidence,
          validUntilS: record.validUntilS,
          modifiedS: record.modifiedS,
          phases: this.internPhases(record.phases),
          fpLo: record.fp % FP_SPLIT,
          fpHi: Math.floor(record.fp / FP_SPLIT),
        };
        for (const observable of record.observables) this.#insert(observable.type, observable.value, meta, policy, counts);
      }
    }
    return counts;
  }

  /**
   * Makes `feed` hold exactly `indicators` (a plain feed's whole list), each with the feed's
   * confidence and phases. Unchanged entries stay; the rest are added or removed.
   */
  replacePlain(
    feed: number,
    indicators: ReadonlyArray<{ type: IndicatorType; value: string }>,
    defaults: { confidence: number; phases: readonly string[] },
    policy: FeedPolicy,
  ): ApplyCounts {
    const counts = emptyCounts();
    const table = this.table;
    if (defaults.confidence < policy.confidenceFloor) {
      counts.belowFloor = indicators.length;
      counts.removed = this.clear(feed);
      return counts;
    }
    const meta: EntryMeta = { feed, confidence: defaults.confidence, validUntilS: 0, modifiedS: 0, phases: this.internPhases(defaults.phases), fpLo: 0, fpHi: 0 };
    const keep = new Uint8Array(table.top);
    for (const { type, value } of indicators) {
      const held = this.#findInFeed(feed, type, value);
      if (held >= 0 && table.confidenceOf(held) === meta.confidence && table.phasesOf(held) === meta.phases) {
        keep[held] = 1;
        continue;
      }
      if (held >= 0) {
        this.#remove(held);
        counts.removed++;
      }
      const id = this.#insert(type, value, meta, policy, counts);
      if (id >= 0 && id < keep.length) keep[id] = 1;
    }
    for (let id = 0; id < keep.length; id++) {
      if (keep[id] === 0 && table.kindOf(id) !== 0 && table.feedOf(id) === feed) {
        this.#remove(id);
        counts.removed++;
      }
    }
    return counts;
  }

  /** Removes every indicator past `valid_until` + `graceS` at `nowS`; returns the count per feed. */
  sweep(nowS: number, graceS: number): Map<number, number> {
    const removed = new Map<number, number>();
    const table = this.table;
    for (let id = 0; id < table.top; id++) {
      if (table.kindOf(id) === 0) continue;
      const until = table.validUntilOf(id);
      if (until !== 0 && until + graceS < nowS) {
        const feed = table.feedOf(id);
        removed.set(feed, (removed.get(feed) ?? 0) + 1);
        this.#remove(id);
      }
    }
    return removed;
  }

  /** Removes every indicator of `feed`; returns how many. */
  clear(feed: number): number {
    let removed = 0;
    const table = this.table;
    for (let id = 0; id < table.top && this.sizeOf(feed) > 0; id++) {
      if (table.kindOf(id) !== 0 && table.feedOf(id) === feed) {
        this.#remove(id);
        removed++;
      }
    }
    return removed;
  }

  /** The feed's indicators and `state` as versioned JSON. */
  snapshot<S>(feed: number, feedId: string, state: S, nowS: number): string {
    const table = this.table;
    const snapshot: SnapshotV1<S> = {
      version: SNAPSHOT_VERSION,
      feed: feedId,
      saved_at_s: nowS,
      state,
      phases: [[]],
      kinds: [],
      values: [],
      confidence: [],
      valid_until: [],
      modified: [],
      phase: [],
      fp: [],
    };
    const localPhase = new Map<number, number>([[0, 0]]);
    for (let id = 0; id < table.top; id++) {
      const kind = table.kindOf(id);
      if (kind === 0 || table.feedOf(id) !== feed) continue;
      const phases = table.phasesOf(id);
      let local = localPhase.get(phases);
      if (local === undefined) {
        local = snapshot.phases.push([...this.phases(phases)]) - 1;
        localPhase.set(phases, local);
      }
      snapshot.kinds.push(kind);
      snapshot.values.push(decodeKey(TYPE_OF_KIND[kind] as IndicatorType, table.keyOf(id)));
      snapshot.confidence.push(table.confidenceOf(id));
      snapshot.valid_until.push(table.validUntilOf(id));
      snapshot.modified.push(table.modifiedOf(id));
      snapshot.phase.push(local);
      snapshot.fp.push(table.fpHiOf(id) * FP_SPLIT + table.fpLoOf(id));
    }
    return JSON.stringify(snapshot);
  }

  /**
   * Replaces `feed`'s indicators with a snapshot's, under the current policy. Throws
   * SnapshotError when the JSON is not a snapshot of this version and feed.
   */
  restore<S>(feed: number, feedId: string, json: string, nowS: number, policy: FeedPolicy): RestoreResult<S> {
    let snapshot: SnapshotV1<S>;
    try {
      snapshot = JSON.parse(json) as SnapshotV1<S>;
    } catch (error) {
      throw new SnapshotError(`snapshot of feed ${feedId} is not JSON: ${(error as Error).message}`);
    }
    if (snapshot?.version !== SNAPSHOT_VERSION) throw new SnapshotError(`snapshot of feed ${feedId} has version ${String(snapshot?.version)}, not ${SNAPSHOT_VERSION}`);
    if (snapshot.feed !== feedId) throw new SnapshotError(`snapshot is of feed ${String(snapshot.feed)}, not ${feedId}`);
    const n = Array.isArray(snapshot.kinds) ? snapshot.kinds.length : -1;
    const columns = [snapshot.values, snapshot.confidence, snapshot.valid_until, snapshot.modified, snapshot.phase, snapshot.fp];
    if (n < 0 || !Array.isArray(snapshot.phases) || columns.some((column) => !Array.isArray(column) || column.length !== n)) {
      throw new SnapshotError(`snapshot of feed ${feedId} has columns of different lengths`);
    }
    this.clear(feed);
    const counts = emptyCounts();
    const phaseIds = snapshot.phases.map((list) => this.internPhases(Array.isArray(list) ? list.filter((p) => typeof p === 'string') : []));
    this.table.reserve(Math.min(n, policy.maxIndicators), 0);
    for (let i = 0; i < n; i++) {
      const type = TYPE_OF_KIND[snapshot.kinds[i] as number];
      const value = snapshot.values[i];
      const confidence = Number(snapshot.confidence[i]);
      const validUntilS = Number(snapshot.valid_until[i]) >>> 0;
      const fp = Number(snapshot.fp[i]);
      if (type === undefined || typeof value !== 'string' || !(confidence >= 0 && confidence <= 100)) continue;
      if (validUntilS !== 0 && validUntilS + policy.graceS < nowS) counts.expired++;
      else if (confidence < policy.confidenceFloor) counts.belowFloor++;
      else {
        const meta: EntryMeta = {
          feed,
          confidence,
          validUntilS,
          modifiedS: Number(snapshot.modified[i]) >>> 0,
          phases: phaseIds[Number(snapshot.phase[i])] ?? 0,
          fpLo: fp % FP_SPLIT >>> 0,
          fpHi: Math.floor(fp / FP_SPLIT) >>> 0,
        };
        this.#insert(type, value, meta, policy, counts);
      }
    }
    this.table.compact();
    return { state: snapshot.state, counts, savedAtS: Number(snapshot.saved_at_s) || 0 };
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────

  /** Adds one value; returns its entry id, or -1 when it was skipped (counted). */
  #insert(type: IndicatorType, value: string, meta: EntryMeta, policy: FeedPolicy, counts: ApplyCounts): number {
    if (!policy.enabledTypes.has(type)) {
      counts.skippedType++;
      return -1;
    }
    if (this.sizeOf(meta.feed) >= policy.maxIndicators) {
      counts.capped++;
      return -1;
    }
    const len = encodeKey(type, value, this.#key);
    if (len < 0) return -1;
    const id = this.table.add(KIND[type], this.#key, 0, len, meta);
    this.#feedCount[meta.feed] = (this.#feedCount[meta.feed] as number) + 1;
    counts.added++;
    return id;
  }

  #remove(id: number): void {
    const feed = this.table.feedOf(id);
    this.table.remove(id);
    this.#feedCount[feed] = (this.#feedCount[feed] as number) - 1;
  }

  /** The feed's entry for a value, or -1. */
  #findInFeed(feed: number, type: IndicatorType, value: string): number {
    const len = encodeKey(type, value, this.#key);
    if (len < 0) return -1;
    const kind = KIND[type];
    const table = this.table;
    const n = table.lookup(kind, this.#key, 0, len, keyHash(kind, this.#key, 0, len), this.#found);
    for (let i = 0; i < n; i++) {
      const id = this.#found[i] as number;
      if (table.feedOf(id) === feed) return id;
    }
    return -1;
  }

  /**
   * Tidies after changes: packs the table when removals left it sparse, else rebuilds the Bloom
   * filter if removals left stale bits or it is over capacity. Matching is exact without this
   * (stale bits only cost a confirmation); the owner calls it once a burst of changes is over.
   */
  settle(): void {
    if (this.table.wantsCompaction) this.table.compact();
    else this.table.refreshBloom();
  }
}

/** Every type, for a policy that keeps all. */
export const ALL_TYPES: ReadonlySet<IndicatorType> = new Set(INDICATOR_TYPES);
