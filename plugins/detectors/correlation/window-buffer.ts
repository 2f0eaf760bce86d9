/**
 * Per-entity event windows on event time (reference §7.2): what each entity did lately, kept as
 * compact entries (time, event id, which rule sources the event matched), never whole events.
 *
 * Pruned against the watermark, not the wall clock: the original pruned by `time.time_ns()`, so
 * replaying old logs emptied every window. Bounded: at most `maxEventsPerEntity` entries per
 * entity (oldest dropped) and `maxEntities` entities (least recently written dropped, counted).
 */
import { evictOver, touch } from './lru.js';

export interface WindowEntry {
  tMs: number;
  eventId: string;
  /** Indexes of the rule sources this event matched (see `RuleSet`). */
  sources: readonly number[];
  /** Per matched source, the value of its `distinct` field ('' when it has none). */
  keys: readonly string[];
}

export interface WindowBufferOptions {
  /** Event time kept behind the watermark. */
  retentionMs: number;
  maxEventsPerEntity: number;
  maxEntities: number;
}

export class EntityWindowBuffer {
  readonly #options: WindowBufferOptions;
  /** Map order is recency: an entity written to moves to the end. */
  readonly #windows = new Map<string, WindowEntry[]>();
  #evictedEntities = 0;
  #droppedEntries = 0;

  constructor(options: WindowBufferOptions) {
    this.#options = options;
  }

  get entityCount(): number {
    return this.#windows.size;
  }

  /** Entities dropped to stay within `maxEntities`. */
  get evictedEntities(): number {
    return this.#evictedEntities;
  }

  /** Entries dropped to stay within `maxEventsPerEntity` (the windows then under-count). */
  get droppedEntries(): number {
    return this.#droppedEntries;
  }

  /** Appends `entry` to the entity's window, after pruning what fell behind `watermarkMs`. */
  add(entityId: string, entry: WindowEntry, watermarkMs: number): void {
    let window = this.#windows.get(entityId);
    if (window) this.#prune(window, watermarkMs);
    else window = [];
    touch(this.#windows, entityId, window);
    this.#evictedEntities += evictOver(this.#windows, this.#options.maxEntities);
    window.push(entry);
    if (window.length > this.#options.maxEventsPerEntity) {
      window.shift();
      this.#droppedEntries++;
    }
  }

  /** The entity's entries, oldest first (a read: recency is left alone). */
  entries(entityId: string): readonly WindowEntry[] {
    return this.#windows.get(entityId) ?? [];
  }

  #prune(window: WindowEntry[], watermarkMs: number): void {
    const oldest = watermarkMs - this.#options.retentionMs;
    let stale = 0;
    while (stale < window.length && window[stale]!.tMs < oldest) stale++;
    if (stale > 0) window.splice(0, stale);
  }
}
