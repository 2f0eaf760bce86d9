/**
 * The alerting cut-off per entity type (reference §8): `ueba.score_threshold` until the type's
 * DSPOT has calibrated on its composites, then the higher of the two. Each type learns its own
 * tail. The cut-off is capped at 1: an event that deviates on every axis always alerts, however
 * noisy its type. The DSPOT is the ML detector's (`ml/bidspot.ts`); UEBA reads its upper tail.
 */
import type { EntityType } from '../../../main/core/event.js';
import { BiDspot, type DspotOptions, type DspotState } from '../ml/bidspot.js';

/** The original's UEBA DSPOT: 1000 calibration scores, q = 1e-4, tails from the 98th percentile. */
export const UEBA_DSPOT: DspotOptions = { calibrationWindow: 1000, riskLevel: 1e-4, initialPercentile: 98, capMultiplier: 5 };

/** What a type's cut-off needs from its threshold. */
export interface TypeThreshold {
  /** The upper threshold, or null while calibrating. */
  readonly upper: number | null;
  observe(score: number): void;
  toState(): DspotState;
}

export type ThresholdFactory = (saved?: DspotState) => TypeThreshold;

export const uebaDspot: ThresholdFactory = (saved) => {
  const dspot = saved ? BiDspot.fromState(saved, UEBA_DSPOT) : new BiDspot(UEBA_DSPOT);
  if (dspot.calibrated && !Number.isFinite(dspot.upperThreshold)) throw new Error('saved DSPOT has no finite upper threshold');
  return {
    get upper() {
      return dspot.calibrated ? dspot.upperThreshold : null;
    },
    observe: (score) => void dspot.update(score),
    toState: () => dspot.toState(),
  };
};

export class TypeCutoffs {
  readonly #threshold: number;
  readonly #create: ThresholdFactory;
  readonly #byType = new Map<EntityType, TypeThreshold>();

  /** `threshold`: `ueba.score_threshold`. */
  constructor(threshold: number, create: ThresholdFactory = uebaDspot) {
    this.#threshold = threshold;
    this.#create = create;
  }

  /** The composite at and above which an entity of `type` alerts. */
  cutoff(type: EntityType): number {
    const upper = this.#byType.get(type)?.upper;
    return upper == null ? this.#threshold : Math.min(1, Math.max(this.#threshold, upper));
  }

  /** Feed one composite of an entity of `type` to that type's tail. */
  observe(type: EntityType, composite: number): void {
    let threshold = this.#byType.get(type);
    if (!threshold) this.#byType.set(type, (threshold = this.#create()));
    threshold.observe(composite);
  }

  toState(): Partial<Record<EntityType, DspotState>> {
    return Object.fromEntries([...this.#byType].map(([type, threshold]) => [type, threshold.toState()]));
  }

  /** Throws when a saved threshold cannot be rebuilt. */
  restore(saved: Partial<Record<EntityType, DspotState>>): void {
    for (const [type, state] of Object.entries(saved)) this.#byType.set(type as EntityType, this.#create(state));
  }
}
