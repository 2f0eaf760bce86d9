/**
 * The `ml` detector: the ensemble on every event, ML alerts for its anomalies, the per-minute
 * score summary for the timeline, threshold feedback, and when to hand model state to the
 * writer (every `saveIntervalNs` of the clock, or as soon as a save is requested: feedback,
 * shutdown). Never throws from `process`: a failure is counted and the event gets no ML alert.
 */
import type { Alert } from '../../../main/core/alert.js';
import type { ClockNs } from '../../../main/core/clock.js';
import type { Detector } from '../../../main/core/detector.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import type { StateRow } from '../../../main/storage/writer.js';
import type { AttackMapper } from './attack-mapper.js';
import type { AdjustResult } from './bidspot.js';
import type { Ensemble } from './ensemble.js';
import { saveEnsemble } from './ensemble-state.js';
import { createMlAlerts } from './ml-alerts.js';
import { memoryEstimate } from './memory.js';
import { minuteOf } from './minute-volume.js';
import type { ScoreSummary } from './score-summary.js';

export interface MlDetectorOptions {
  clock: ClockNs;
  saveIntervalNs: bigint;
}

const NO_ALERTS: Alert[] = [];

export class MlDetector implements Detector {
  readonly name = 'ml';
  readonly ensemble: Ensemble;
  readonly summary: ScoreSummary;
  readonly #mapper: AttackMapper;
  readonly #clock: ClockNs;
  readonly #saveIntervalNs: bigint;
  #lastSaveNs: bigint;
  #saveRequested = false;
  #saveAlways = false;
  #changed = false;
  #scored = 0;
  #anomalies = 0;
  #errors = 0;
  #lastError: string | null = null;

  constructor(ensemble: Ensemble, mapper: AttackMapper, summary: ScoreSummary, options: MlDetectorOptions) {
    this.ensemble = ensemble;
    this.#mapper = mapper;
    this.summary = summary;
    this.#clock = options.clock;
    this.#saveIntervalNs = options.saveIntervalNs;
    this.#lastSaveNs = options.clock();
  }

  process(event: SeerflowEvent): Alert[] {
    try {
      const scored = this.ensemble.process(event);
      this.#changed = true;
      if (!scored.scored || Number.isNaN(scored.score)) return NO_ALERTS;
      this.#scored++;
      this.summary.record(scored.source, minuteOf(event.timestampNs), scored.score, scored.upperThreshold);
      if (scored.direction === null) return NO_ALERTS;
      this.#anomalies++;
      return createMlAlerts(event, scored, this.#mapper.lookup(event.templateStr));
    } catch (error) {
      this.#errors++;
      this.#lastError = (error as Error).message;
      return NO_ALERTS;
    }
  }

  /** Save at the next commit, whatever the interval. */
  requestSave(): void {
    this.#saveRequested = true;
  }

  /** Shutting down: save at every commit from now on, so the last one holds the final state. */
  saveOnEveryCommit(): void {
    this.#saveAlways = true;
  }

  /** Model state when a save is due (interval passed or requested) and something changed. */
  flush(): StateRow[] {
    const now = this.#clock();
    const due = this.#saveRequested || this.#saveAlways || now - this.#lastSaveNs >= this.#saveIntervalNs;
    if (!due || !(this.#changed || this.#saveRequested)) return [];
    this.#saveRequested = false;
    this.#changed = false;
    this.#lastSaveNs = now;
    return saveEnsemble(this.ensemble);
  }

  /** Multiply `source`'s upper threshold by `factor` (false-positive feedback). */
  adjustUpperThreshold(source: string, factor: number): AdjustResult | undefined {
    const models = this.ensemble.sources.get(source);
    if (!models) return undefined;
    const result = models.dspot.adjustUpperThreshold(factor);
    if (result.status !== 'not_calibrated') this.requestSave();
    return result;
  }

  health(): ComponentHealth {
    const sources = this.ensemble.sources.size;
    const calibrating = [...this.ensemble.sources.values()].filter((s) => !s.dspot.calibrated).length;
    const detail = `${sources} source(s), ${calibrating} calibrating${this.#errors > 0 ? `, ${this.#errors} failed event(s): ${this.#lastError}` : ''}`;
    return { status: 'ok', detail };
  }

  /** The `ml` section of `/stats` (the original's `get_health`, plus thresholds per source). */
  stats(): Record<string, unknown> {
    const e = this.ensemble;
    const sources: Record<string, unknown> = {};
    const markovEntities: Record<string, number> = {};
    for (const s of e.sources.values()) {
      markovEntities[s.key] = s.markov.entityCount;
      sources[s.key] = {
        events: s.events,
        anomalies: s.anomalies,
        calibrated: s.dspot.calibrated,
        upper_threshold: finite(s.dspot.upperThreshold),
        lower_threshold: finite(s.dspot.lowerThreshold),
        calibrated_upper_threshold: finite(s.dspot.calibratedUpperThreshold),
      };
    }
    const memory = memoryEstimate(e);
    return {
      source_count: e.sources.size,
      max_sources: e.options.maxSources,
      eviction_count: e.sourceEvictions,
      template_hw_count: e.templatePool.size,
      entity_hw_count: e.entityPool.size,
      // Four models per source plus every pooled volume model (the original counted sources × 4 only).
      total_model_count: e.sources.size * 4 + e.templatePool.size + e.entityPool.size,
      template_hw_eviction_count: e.templatePool.evictions,
      entity_hw_eviction_count: e.entityPool.evictions,
      estimated_memory_bytes: Object.values(memory).reduce((a, b) => a + b, 0),
      memory_by_type: memory,
      markov_entity_counts: markovEntities,
      events_scored: this.#scored,
      anomalies: this.#anomalies,
      errors: this.#errors,
      sources,
    };
  }
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}
