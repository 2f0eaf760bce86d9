/**
 * The `ueba` section: per-entity behaviour baselines (reference §8). Keys and defaults follow the
 * original; `warmup_days` may be 0 so that replays of short log samples can warm up on events alone.
 */
import Joi from 'joi';

const weight = Joi.number().greater(0).max(1);

/** The sub-score weights must sum to 1 (±1e-6), as in the original. */
const subScoreWeights = Joi.object({
  time_of_day: weight.default(0.25),
  source_novelty: weight.default(0.3),
  volume: weight.default(0.2),
  pattern_novelty: weight.default(0.25),
})
  .default()
  .custom((weights: UebaSubScoreWeights, helpers) => {
    const sum = weights.time_of_day + weights.source_novelty + weights.volume + weights.pattern_novelty;
    if (Math.abs(sum - 1) > 1e-6) return helpers.message({ custom: `{{#label}} must sum to 1 (they sum to ${sum})` });
    return weights;
  });

export const uebaSection = Joi.object({
  enabled: Joi.boolean().default(true),
  /** Days between an entity's first and last event before it is scored. */
  warmup_days: Joi.number().min(0).max(365).default(7),
  /** Events an entity must have before it is scored (with `warmup_days`). */
  warmup_min_events: Joi.number().integer().min(1).max(10_000_000).default(50),
  /** Baselines kept in memory; the least recently seen entity is evicted beyond this. */
  max_entities: Joi.number().integer().min(1).max(10_000_000).default(100_000),
  /** Smoothing of the decayed template weights and of the volume EMAs. */
  ema_alpha: Joi.number().greater(0).max(1).default(0.05),
  /** Source addresses remembered per entity; the least recently seen is evicted beyond this. */
  source_ip_cap: Joi.number().integer().min(1).max(4096).default(64),
  /** Templates remembered per entity, by decayed weight. */
  template_top_k: Joi.number().integer().min(1).max(1024).default(32),
  /** Composite score at and above which an entity alerts (until its type's DSPOT cut-off is higher). */
  score_threshold: Joi.number().min(0).max(1).default(0.75),
  sub_score_weights: subScoreWeights,
  /** After an alert, an entity stays quiet this long (event time). */
  alert_cooldown_seconds: Joi.number().integer().min(0).max(30 * 86_400).default(900),
}).default();

export interface UebaSubScoreWeights {
  time_of_day: number;
  source_novelty: number;
  volume: number;
  pattern_novelty: number;
}

export interface UebaConfig {
  enabled: boolean;
  warmup_days: number;
  warmup_min_events: number;
  max_entities: number;
  ema_alpha: number;
  source_ip_cap: number;
  template_top_k: number;
  score_threshold: number;
  sub_score_weights: UebaSubScoreWeights;
  alert_cooldown_seconds: number;
}
