/**
 * The ML ensemble (reference §5.1): per source (event source type), Half-Space Trees on content,
 * Holt-Winters and CUSUM on its minute volume, Markov chains on each entity's template sequence;
 * plus Holt-Winters per template and per entity (first 32 of an event) in two pools shared by
 * all sources. Each event is scored by every model first (read-only), the six channel scores are
 * blended (`blend.ts`), then every model learns the event and biDSPOT decides whether the blend
 * is anomalous (`bidspot.ts`). A model that is still warming up reports NaN and is left out of
 * the blend and of its channel's statistics (the original reported 0, so a day of warm-up zeros
 * made the first real score of a channel look extreme).
 *
 * Everything runs on event time. Bounded: `maxSources` sources and the two pools are LRUs (an
 * evicted source takes its pooled models with it); Markov bounds its own entities. The hot path
 * reuses its buffers and returns one mutable `Scored` record, valid until the next call.
 */
import type { MlDetectionConfig } from '../../../main/config/sections/ml.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import { BiDspot, type Direction, type DspotOptions } from './bidspot.js';
import { CHANNELS, ScoreBlender } from './blend.js';
import { BoundedPool, type PoolEntry } from './bounded-pool.js';
import { Cusum, type CusumOptions } from './cusum.js';
import { contentFeatures, FEATURE_COUNT } from './features.js';
import { HalfSpaceTrees, type HstMasses } from './half-space-trees.js';
import { HoltWinters, type HoltWintersOptions } from './holt-winters.js';
import { MarkovChains, type MarkovOptions } from './markov.js';
import { minuteOf } from './minute-volume.js';

export interface EnsembleOptions {
  hst: { nTrees: number; height: number; windowSize: number; seed: number };
  hw: HoltWintersOptions;
  cusum: CusumOptions;
  markov: MarkovOptions;
  dspot: DspotOptions;
  /** One per channel, in `CHANNELS` order. */
  weights: number[];
  maxSources: number;
  maxTemplateHw: number;
  maxEntityHw: number;
  minEventsForScoring: number;
  scoreInterval: number;
}

/** Entities of one event that get their own volume model (the original's bound). */
const MAX_ENTITY_HW_PER_EVENT = 32;

/** Everything one source owns. */
export class SourceModels {
  events = 0;
  anomalies = 0;
  readonly templates = new Map<number, PoolEntry<number, HoltWinters>>();
  readonly entities = new Map<string, PoolEntry<string, HoltWinters>>();

  constructor(
    readonly key: string,
    readonly hst: HstMasses,
    public hw: HoltWinters,
    public cusum: Cusum,
    public markov: MarkovChains,
    readonly blender: ScoreBlender,
    public dspot: BiDspot,
  ) {}
}

/** The outcome of the last `process` call (one record, overwritten by the next call). */
export interface Scored {
  /** False when the event was skipped by `scoreInterval`. */
  scored: boolean;
  source: string;
  score: number;
  upperThreshold: number;
  lowerThreshold: number;
  direction: Direction | null;
  /** Per channel z of this event (NaN = inactive). */
  z: Float64Array;
  /** Per channel raw score of this event. */
  raw: Float64Array;
}

/** `source_type` → model key: no NUL, `:` → `_` (dedup keys split on `:`), ≤ 248 chars, `default` when empty. */
export function sourceKey(sourceType: string): string {
  const key = sourceType.replace(/\0/g, '').replace(/:/g, '_').slice(0, 248);
  return key === '' ? 'default' : key;
}

export class Ensemble {
  readonly options: Readonly<EnsembleOptions>;
  readonly forest: HalfSpaceTrees;
  readonly templatePool: BoundedPool<number, HoltWinters>;
  readonly entityPool: BoundedPool<string, HoltWinters>;
  /** Least recently seen first. */
  readonly sources = new Map<string, SourceModels>();
  #sourceEvictions = 0;
  #lastSource: SourceModels | null = null;
  /** The source type that led to `#lastSource` (consecutive events mostly share it). */
  #lastSourceType = '';
  readonly #keys = new Map<string, string>();
  readonly #features = new Float64Array(FEATURE_COUNT);
  readonly #result: Scored = {
    scored: false,
    source: '',
    score: 0,
    upperThreshold: Number.NaN,
    lowerThreshold: Number.NaN,
    direction: null,
    z: new Float64Array(CHANNELS.length),
    raw: new Float64Array(CHANNELS.length),
  };

  constructor(options: EnsembleOptions) {
    if (options.weights.length !== CHANNELS.length) throw new RangeError(`${CHANNELS.length} weights expected (${CHANNELS.join(', ')})`);
    this.options = options;
    this.forest = new HalfSpaceTrees({ ...options.hst, features: FEATURE_COUNT });
    this.templatePool = new BoundedPool(options.maxTemplateHw);
    this.entityPool = new BoundedPool(options.maxEntityHw);
  }

  get sourceEvictions(): number {
    return this.#sourceEvictions;
  }

  /** Models for a new source (also the shape a restore fills). */
  newSource(key: string): SourceModels {
    const o = this.options;
    return new SourceModels(
      key,
      this.forest.newMasses(),
      new HoltWinters(o.hw),
      new Cusum(o.cusum),
      new MarkovChains(o.markov),
      new ScoreBlender(o.weights),
      new BiDspot(o.dspot),
    );
  }

  /** Adds a restored source as the most recent one. */
  adopt(models: SourceModels): void {
    this.#drop(models.key);
    this.#admit(models);
  }

  process(event: SeerflowEvent): Scored {
    const result = this.#result;
    const source = this.#source(event.sourceType);
    result.source = source.key;
    result.direction = null;
    source.events++;
    const { scoreInterval, minEventsForScoring } = this.options;
    if (scoreInterval > 1 && source.events % scoreInterval !== 0) {
      result.scored = false;
      result.score = 0;
      return result;
    }
    result.scored = true;
    const minute = minuteOf(event.timestampNs);
    const templateId = event.templateId;
    const entity = event.entities[0]?.id;
    const entityCount = Math.min(event.entities.length, MAX_ENTITY_HW_PER_EVENT);
    const features = this.#features;
    contentFeatures(event, features);

    // Score (read-only).
    const raw = result.raw;
    raw[0] = this.forest.score(source.hst, features);
    raw[1] = source.hw.score(minute);
    raw[2] = source.cusum.score(minute);
    raw[3] = source.markov.score(entity, templateId);
    const template = templateId >= 0 ? source.templates.get(templateId) : undefined;
    raw[4] = template && template.events >= minEventsForScoring ? template.value.score(minute) : Number.NaN;
    let entityScore = Number.NaN;
    for (let i = 0; i < entityCount; i++) {
      const pooled = source.entities.get(event.entities[i]!.id);
      if (pooled && pooled.events >= minEventsForScoring) {
        const s = pooled.value.score(minute);
        if (!(s <= entityScore)) entityScore = s;
      }
    }
    raw[5] = entityScore;
    for (let i = 0; i < raw.length; i++) if (raw[i] === Infinity || raw[i] === -Infinity) raw[i] = 0;
    const score = source.blender.blend(raw, minute !== source.hw.minute);
    result.z.set(source.blender.z);

    // Learn.
    this.forest.learn(source.hst, features);
    source.hw.observe(minute);
    source.cusum.observe(minute);
    source.markov.learn(entity, templateId);
    if (templateId >= 0) this.#observePooled(this.templatePool, source.templates, templateId, minute);
    for (let i = 0; i < entityCount; i++) this.#observePooled(this.entityPool, source.entities, event.entities[i]!.id, minute);

    // No model scoring yet: nothing to calibrate on or to judge.
    result.direction = Number.isNaN(score) ? null : source.dspot.update(score);
    if (result.direction) source.anomalies++;
    result.score = score;
    result.upperThreshold = source.dspot.upperThreshold;
    result.lowerThreshold = source.dspot.lowerThreshold;
    return result;
  }

  #observePooled<K>(pool: BoundedPool<K, HoltWinters>, owner: Map<K, PoolEntry<K, HoltWinters>>, key: K, minute: number): void {
    const entry = pool.acquire(owner, key, (recycled) => recycled?.reset() ?? new HoltWinters(this.options.hw));
    entry.events++;
    entry.value.observe(minute);
  }

  #source(sourceType: string): SourceModels {
    if (this.#lastSource !== null && sourceType === this.#lastSourceType) return this.#lastSource;
    const key = this.#keyOf(sourceType);
    let source = this.sources.get(key);
    if (source) this.sources.delete(key);
    else source = this.newSource(key);
    this.#admit(source);
    this.#lastSource = source;
    this.#lastSourceType = sourceType;
    return source;
  }

  #keyOf(sourceType: string): string {
    let key = this.#keys.get(sourceType);
    if (key === undefined) {
      key = sourceKey(sourceType);
      // Source types come from receivers (a handful); the cache is bounded all the same.
      if (this.#keys.size < 1024) this.#keys.set(sourceType, key);
    }
    return key;
  }

  #admit(source: SourceModels): void {
    if (this.sources.size >= this.options.maxSources) {
      const oldest = this.sources.keys().next().value!;
      this.#drop(oldest);
      this.#sourceEvictions++;
    }
    this.sources.set(source.key, source);
  }

  #drop(key: string): void {
    const source = this.sources.get(key);
    if (!source) return;
    this.templatePool.dropOwner(source.templates);
    this.entityPool.dropOwner(source.entities);
    this.sources.delete(key);
    if (this.#lastSource === source) this.#lastSource = null;
  }
}

/** Leaf depth of the trees (fixed in the original too). */
const HST_HEIGHT = 8;

/** The ensemble's options from the validated `detection` section. */
export function ensembleOptionsFromConfig(config: MlDetectionConfig): EnsembleOptions {
  return {
    hst: { nTrees: config.hst_n_trees, height: HST_HEIGHT, windowSize: config.hst_window_size, seed: config.hst_seed },
    hw: { period: config.hw.seasonal_period, alpha: config.hw.alpha, beta: config.hw.beta, gamma: config.hw.gamma, nStd: config.hw.n_std },
    cusum: { drift: config.cusum.drift, threshold: config.cusum.threshold, emaAlpha: config.cusum.ema_alpha, warmupBuckets: config.cusum.warmup_buckets },
    markov: { smoothing: config.markov.smoothing, minEvents: config.markov.min_events, maxEntities: config.markov.max_entities },
    dspot: {
      calibrationWindow: config.dspot.calibration_window,
      riskLevel: config.dspot.risk_level,
      initialPercentile: config.dspot.initial_percentile,
      capMultiplier: config.dspot.threshold_cap_multiplier,
    },
    weights: [
      config.weights_content,
      config.weights_volume,
      config.weights_pattern,
      config.weights_sequence,
      config.weights_template_volume,
      config.weights_entity_volume,
    ],
    maxSources: config.max_sources,
    maxTemplateHw: config.max_template_hw,
    maxEntityHw: config.max_entity_hw,
    minEventsForScoring: config.min_events_for_scoring,
    scoreInterval: config.score_interval,
  };
}
