/**
 * The four sub-scores of an event against an entity's baseline, each in [0, 1], and their
 * weighted composite (reference §8): time of day, source novelty, volume, pattern novelty.
 * Read-only: scoring never changes the baseline.
 */
import type { UebaSubScoreWeights } from '../../../main/config/sections/ueba.js';
import type { EntityBaseline, Observation } from './baseline.js';
import { timeOfDayScore } from './hours.js';
import { sourceNoveltyScore } from './known-addresses.js';

export interface SubScores {
  time_of_day: number;
  source_novelty: number;
  volume: number;
  pattern_novelty: number;
  /** Σ weight · sub-score, in [0, 1] (the weights sum to 1). */
  composite: number;
}

export function emptySubScores(): SubScores {
  return { time_of_day: 0, source_novelty: 0, volume: 0, pattern_novelty: 0, composite: 0 };
}

/** Score `observation` against `baseline` into `out` (reused by the caller to spare allocations). */
export function scoreObservation(baseline: EntityBaseline, observation: Observation, weights: UebaSubScoreWeights, out: SubScores): SubScores {
  out.time_of_day = timeOfDayScore(baseline.hours, observation.hour);
  out.source_novelty = sourceNoveltyScore(baseline.addresses, observation.addresses);
  out.volume = baseline.volume.score(observation.ms);
  out.pattern_novelty = baseline.templates.noveltyScore(observation.templateId);
  out.composite =
    weights.time_of_day * out.time_of_day +
    weights.source_novelty * out.source_novelty +
    weights.volume * out.volume +
    weights.pattern_novelty * out.pattern_novelty;
  return out;
}
