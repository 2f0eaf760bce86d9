/**
 * The baselines in memory: at most `ueba.max_entities` (default 100,000), least recently
 * learned evicted first, in the ML detector's bounded pool (an intrusive recency list: a V8 Map
 * used as an LRU by deleting and re-inserting slows to tens of µs per event under churn).
 * Reading (`peek`) leaves recency alone; only learning refreshes it. Keeps the counts `/stats`
 * shows: entities tracked, warm, evicted.
 */
import type { EntityRef } from '../../../main/core/event.js';
import { BoundedPool, type PoolEntry } from '../ml/bounded-pool.js';
import { EntityBaseline, type BaselineSettings, type Observation } from './baseline.js';

export class BaselineStore {
  readonly #settings: BaselineSettings;
  readonly #onFirstEviction: () => void;
  readonly #pool: BoundedPool<string, EntityBaseline>;
  /** Entity id → its pool entry. */
  readonly #byId = new Map<string, PoolEntry<string, EntityBaseline>>();

  /** `onFirstEviction` is told once, so the plugin can name the setting to raise. */
  constructor(max: number, settings: BaselineSettings, onFirstEviction: () => void = () => {}) {
    this.#pool = new BoundedPool(max);
    this.#settings = settings;
    this.#onFirstEviction = onFirstEviction;
  }

  get size(): number {
    return this.#pool.size;
  }

  /** Baselines past their warm-up (counted on demand: for `/stats`, not the hot path). */
  get warmCount(): number {
    let warm = 0;
    for (const baseline of this.values()) if (baseline.warm) warm++;
    return warm;
  }

  get evictions(): number {
    return this.#pool.evictions;
  }

  get settings(): BaselineSettings {
    return this.#settings;
  }

  /** The entity's baseline, without touching its recency. */
  peek(entityId: string): EntityBaseline | undefined {
    return this.#byId.get(entityId)?.value;
  }

  /** Apply the event to the entity's baseline (created on first sight) and mark it most recent. */
  learn(entity: EntityRef, observation: Observation): void {
    const baseline = this.#acquire(entity.id, () => new EntityBaseline(entity.id, entity.type, this.#settings, observation.tsNs));
    baseline.learn(observation, this.#settings.warmup);
  }

  /** Put back a saved baseline as the most recent (so restore in least-recent-first order; ids are unique). */
  restore(baseline: EntityBaseline): void {
    this.#acquire(baseline.entityId, () => baseline);
  }

  /** Every baseline, least recently learned first. */
  *values(): IterableIterator<EntityBaseline> {
    for (const entry of this.#pool.entries()) yield entry.value;
  }

  #acquire(entityId: string, create: () => EntityBaseline): EntityBaseline {
    const evictions = this.#pool.evictions;
    const baseline = this.#pool.acquire(this.#byId, entityId, create).value;
    if (evictions === 0 && this.#pool.evictions > 0) this.#onFirstEviction();
    return baseline;
  }
}
