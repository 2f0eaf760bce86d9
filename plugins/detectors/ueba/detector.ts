/**
 * The `ueba` detector on the pipeline: each user an event names is scored against that user's
 * baseline as it stood before the event (once warm), alerts when its composite reaches the
 * cut-off outside its cooldown, and then every user and host the event names learns the event.
 * All on event time, so a replay gives the same alerts as the live run did.
 *
 * Which entities (decided against the original, which scored only the event's first entity,
 * usually an address, so a user logging in from somewhere new went unscored and UEBA could in
 * practice never alert):
 * - users are learned and scored: the behaviour UEBA is about;
 * - hosts are learned, for the API's baseline view, but not scored: a server sees new peers at
 *   all hours (on the Loghub Linux sample, scoring the host added five alerts, all brute-force
 *   noise);
 * - addresses are not learned: they are the users' and hosts' source dimension, and baselining
 *   every address on the internet would let a scan evict the users' baselines. Files, processes
 *   (with their pids) and hashes have no behaviour of their own.
 */
import type { UebaConfig } from '../../../main/config/sections/ueba.js';
import type { Alert } from '../../../main/core/alert.js';
import type { Detector } from '../../../main/core/detector.js';
import type { EntityRef, EntityType, SeerflowEvent } from '../../../main/core/event.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import type { EntityBaseline, Observation } from './baseline.js';
import { BaselineStore } from './baseline-store.js';
import { TypeCutoffs, uebaDspot, type ThresholdFactory } from './cutoff.js';
import { utcHour } from './hours.js';
import { emptySubScores, scoreObservation } from './score.js';
import { decodeState, encodeState, UEBA_STATE_KEY, UebaStateError } from './state.js';
import { uebaAlert } from './ueba-alert.js';
import { warmupPolicy, warmupProgress, type WarmupProgress } from './warmup.js';

/** The entity types that get a baseline, and those of them that are scored. */
const BASELINE_TYPES: ReadonlySet<EntityType> = new Set(['user', 'host']);
const SCORED_TYPES: ReadonlySet<EntityType> = new Set(['user']);
const NO_ALERTS: Alert[] = [];

export type BaselineLookup =
  | { status: 'unknown' }
  | { status: 'warming_up'; progress: WarmupProgress }
  | { status: 'ready'; baseline: EntityBaseline };

export interface UebaStats {
  entities_tracked: number;
  entities_warm: number;
  evictions: number;
  alerts_total: number;
  suppressed_by_cooldown: number;
  errors_total: number;
}

export interface UebaDetectorOptions {
  /** The validated `ueba` section. */
  config: UebaConfig;
  /** Saved state (`UEBA_STATE_KEY`); invalid state throws `UebaStateError`. */
  saved?: string;
  createThreshold?: ThresholdFactory;
  /** Told once, when `ueba.max_entities` first forces an eviction. */
  onFirstEviction?: () => void;
}

export class UebaDetector implements Detector {
  readonly name = 'ueba';
  readonly #config: UebaConfig;
  readonly #store: BaselineStore;
  readonly #cutoffs: TypeCutoffs;
  readonly #cooldownNs: bigint;
  readonly #scores = emptySubScores();
  readonly #addresses: string[] = [];
  readonly #observation: Observation = { tsNs: 0n, ms: 0, hour: 0, addresses: this.#addresses, templateId: -1 };
  readonly #stats = { alerts_total: 0, suppressed_by_cooldown: 0, errors_total: 0 };
  #lastError: string | null = null;
  #changed = false;
  #snapshotDue = false;
  #saveAlways = false;

  constructor(options: UebaDetectorOptions) {
    const config = options.config;
    this.#config = config;
    const settings = {
      warmup: warmupPolicy(config.warmup_days, config.warmup_min_events),
      alpha: config.ema_alpha,
      sourceIpCap: config.source_ip_cap,
      templateTopK: config.template_top_k,
    };
    this.#store = new BaselineStore(config.max_entities, settings, options.onFirstEviction);
    this.#cutoffs = new TypeCutoffs(config.score_threshold, options.createThreshold ?? uebaDspot);
    this.#cooldownNs = BigInt(config.alert_cooldown_seconds) * 1_000_000_000n;
    if (options.saved !== undefined) {
      const state = decodeState(options.saved, settings);
      for (const baseline of state.baselines) this.#store.restore(baseline);
      try {
        this.#cutoffs.restore(state.cutoffs);
      } catch (error) {
        throw new UebaStateError(`saved UEBA cut-offs are invalid: ${(error as Error).message}`);
      }
    }
  }

  process(event: SeerflowEvent): Alert[] {
    try {
      if (!this.#observe(event)) return NO_ALERTS;
      let alerts = NO_ALERTS;
      for (const entity of event.entities) {
        if (!BASELINE_TYPES.has(entity.type)) continue;
        const alert = SCORED_TYPES.has(entity.type) ? this.#score(event, entity) : undefined;
        if (alert) (alerts === NO_ALERTS ? (alerts = []) : alerts).push(alert);
        this.#store.learn(entity, this.#observation);
      }
      this.#changed = true;
      return alerts;
    } catch (error) {
      this.#stats.errors_total++;
      this.#lastError = (error as Error).message;
      return NO_ALERTS;
    }
  }

  /** Where an entity stands: unknown, warming up (with progress), or its baseline. Read-only. */
  lookup(entityId: string): BaselineLookup {
    const baseline = this.#store.peek(entityId);
    if (!baseline) return { status: 'unknown' };
    if (baseline.warm) return { status: 'ready', baseline };
    const progress = warmupProgress(this.#store.settings.warmup, baseline.firstSeenNs, baseline.lastSeenNs, baseline.eventCount);
    return { status: 'warming_up', progress };
  }

  /** Ask for the baselines to be saved with the writer's next commit (the plugin's periodic save). */
  requestSnapshot(): void {
    this.#snapshotDue = true;
  }

  /** From now on, save with every commit that follows a change (at stop: the queue drains after it). */
  saveOnEveryCommit(): void {
    this.#saveAlways = true;
  }

  flush(): Array<{ key: string; data: string }> {
    if (!(this.#snapshotDue || this.#saveAlways) || !this.#changed) return [];
    this.#snapshotDue = false;
    this.#changed = false;
    return [{ key: UEBA_STATE_KEY, data: encodeState(this.#store.values(), this.#cutoffs.toState()) }];
  }

  stats(): UebaStats {
    const store = this.#store;
    return { entities_tracked: store.size, entities_warm: store.warmCount, evictions: store.evictions, ...this.#stats };
  }

  health(): ComponentHealth {
    if (this.#lastError) return { status: 'degraded', detail: `${this.#stats.errors_total} events failed; last: ${this.#lastError}` };
    return { status: 'ok', detail: `${this.#store.size} entities tracked` };
  }

  /** Fill the shared observation from the event; false when it names no baselined entity. */
  #observe(event: SeerflowEvent): boolean {
    const addresses = this.#addresses;
    addresses.length = 0;
    let relevant = false;
    for (const entity of event.entities) {
      if (entity.type === 'ip') addresses.push(entity.value);
      if (BASELINE_TYPES.has(entity.type)) relevant = true;
    }
    if (!relevant) return false;
    const observation = this.#observation;
    observation.tsNs = event.timestampNs;
    observation.ms = Number(event.timestampNs / 1_000_000n);
    observation.hour = utcHour(observation.ms);
    observation.templateId = event.templateId;
    return true;
  }

  /** Score the event against the entity's baseline as it stands; an alert when it deviates. */
  #score(event: SeerflowEvent, entity: EntityRef): Alert | undefined {
    const baseline = this.#store.peek(entity.id);
    if (!baseline?.warm) return undefined;
    const scores = scoreObservation(baseline, this.#observation, this.#config.sub_score_weights, this.#scores);
    if (scores.composite <= 0) return undefined;
    const cutoff = this.#cutoffs.cutoff(entity.type);
    this.#cutoffs.observe(entity.type, scores.composite);
    if (scores.composite < cutoff) return undefined;
    const last = baseline.lastAlertNs;
    if (last !== null && event.timestampNs - last < this.#cooldownNs) {
      this.#stats.suppressed_by_cooldown++;
      return undefined;
    }
    baseline.lastAlertNs = event.timestampNs;
    this.#stats.alerts_total++;
    const newAddresses = this.#addresses.filter((address) => !baseline.addresses.has(address));
    return uebaAlert(event, this.#observation, { entity, scores: { ...scores }, cutoff, newAddresses });
  }
}
