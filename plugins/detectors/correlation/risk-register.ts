/**
 * The risk register (reference §7.3): per entity, risk points that decay exponentially with
 * event time, `score(t) = Σ pointsᵢ · 2^(−(t − tᵢ)/half_life)`, and a threshold crossing that
 * raises one alert.
 *
 * Fixes against the original: decay runs on event time, not the wall clock (replays decay as
 * they happened); an entity re-arms once its score has decayed below the threshold, instead of
 * alerting once per process. "Below" means below REARM_RATIO × threshold (one half-life under
 * it), so a score that hovers at the threshold does not alert again on every contribution. The score is kept in closed form (one number and its time per
 * entity) rather than a list of entries, so memory is constant per entity; the last few
 * contributions are kept for the alert's details. At most `maxEntities` entities (least recently
 * touched evicted first).
 */
import type { EntityKey } from './entity.js';
import { evictOver, touch } from './lru.js';

export interface RiskOptions {
  halfLifeMs: number;
  threshold: number;
  maxEntities: number;
}

export interface RiskContribution {
  rule: string;
  points: number;
  tMs: number;
}

interface RiskRecord {
  entity: EntityKey;
  /** Decayed score as of `atMs`. */
  score: number;
  atMs: number;
  armed: boolean;
  recent: RiskContribution[];
}

/** A threshold crossing: the alert to raise. */
export interface RiskCrossing {
  entity: EntityKey;
  points: number;
  recent: RiskContribution[];
}

/** Fraction of the threshold a fired entity's score must decay below before it can fire again. */
export const REARM_RATIO = 0.5;

/** Contributions kept per entity for the alert's details. */
export const RECENT_CONTRIBUTIONS = 5;

const STATE_VERSION = 1;

export interface RiskState {
  version: number;
  entities: Array<[EntityKey, number, number, boolean, RiskContribution[]]>;
}

export class RiskRegister {
  readonly #options: RiskOptions;
  readonly #entities = new Map<string, RiskRecord>();
  #evicted = 0;
  #crossings = 0;

  constructor(options: RiskOptions, state?: RiskState) {
    this.#options = options;
    if (state?.version === STATE_VERSION) {
      for (const [entity, score, atMs, armed, recent] of state.entities.slice(-options.maxEntities)) {
        this.#entities.set(entity.id, { entity, score, atMs, armed, recent });
      }
    }
  }

  get entityCount(): number {
    return this.#entities.size;
  }

  get evicted(): number {
    return this.#evicted;
  }

  get crossings(): number {
    return this.#crossings;
  }

  /** The entity's decayed score at `tMs` (0 when unknown). A read: recency is left alone. */
  scoreAt(entityId: string, tMs: number): number {
    const record = this.#entities.get(entityId);
    return record ? this.#decayed(record, tMs) : 0;
  }

  /**
   * Adds `points` at event time `tMs`; returns the crossing when this pushes an armed entity to
   * the threshold. A late contribution (before the entity's latest) is decayed to that time.
   */
  add(entity: EntityKey, points: number, tMs: number, rule: string): RiskCrossing | null {
    if (!(points > 0)) return null;
    const record = this.#entities.get(entity.id) ?? { entity, score: 0, atMs: tMs, armed: true, recent: [] };
    touch(this.#entities, entity.id, record);
    this.#evicted += evictOver(this.#entities, this.#options.maxEntities);
    const before = this.#decayed(record, tMs);
    if (before < this.#options.threshold * REARM_RATIO) record.armed = true;
    if (tMs >= record.atMs) {
      record.score = before + points;
      record.atMs = tMs;
    } else {
      record.score += points * this.#factor(record.atMs - tMs);
    }
    record.recent.push({ rule, points, tMs });
    if (record.recent.length > RECENT_CONTRIBUTIONS) record.recent.shift();
    if (!record.armed || record.score < this.#options.threshold) return null;
    record.armed = false;
    this.#crossings++;
    return { entity: record.entity, points: record.score, recent: [...record.recent] };
  }

  toState(): RiskState {
    return {
      version: STATE_VERSION,
      entities: [...this.#entities.values()].map((r) => [r.entity, r.score, r.atMs, r.armed, r.recent]),
    };
  }

  #decayed(record: RiskRecord, tMs: number): number {
    return tMs <= record.atMs ? record.score : record.score * this.#factor(tMs - record.atMs);
  }

  #factor(ageMs: number): number {
    return Math.pow(2, -ageMs / this.#options.halfLifeMs);
  }
}

/**
 * Risk points an alert adds to its entity, per type as the original (reference §2.9, §7.3):
 * ML score×10, Sigma 15 from ERROR up else 5, correlation and IoC risk×20. UEBA is unknown in
 * the published code; it counts like ML (composite×10).
 */
export function riskPoints(alert: { alertType: string; severity: number; riskScore: number }): number {
  switch (alert.alertType) {
    case 'ml':
    case 'ueba':
      return alert.riskScore * 10;
    case 'sigma':
      return alert.severity >= 4 ? 15 : 5;
    case 'correlation':
    case 'ioc':
      return alert.riskScore * 20;
    default:
      return 0;
  }
}

/**
 * The risk alert's `risk_score` in [0, 1] for `points` raw points: `1 − 2^(−points/threshold)`,
 * so the threshold itself scores 0.5 and each further threshold's worth halves the distance to 1.
 */
export function normalizedRisk(points: number, threshold: number): number {
  return points <= 0 ? 0 : 1 - Math.pow(2, -points / threshold);
}
