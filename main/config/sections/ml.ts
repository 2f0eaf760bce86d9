/**
 * The ML ensemble's keys, which live in the `detection` section as in the original (reference
 * §14.2, §5). Nested groups (`hw.*`, `cusum.*`, `markov.*`, `dspot.*`) only: the original's flat
 * aliases (`hw_alpha`…) are not accepted.
 *
 * Deliberate choices: HST uses 25 trees (the original's dataclass) with a 250-event window (its
 * YAML builder; reference §17 item 6): the window is how many events a new source needs before
 * content scores mean anything, and 250 keeps that short while 25 trees keep the score steady.
 */
import Joi from 'joi';

const unit = Joi.number().greater(0).less(1);
const weight = Joi.number().min(0).max(100);

/** One template → ATT&CK mapping (also validates the bundled `resources/attack-mappings.yaml`). */
export const attackMappingSchema = Joi.object({
  /** Case-insensitive regular expression matched against the event's template. */
  pattern: Joi.string()
    .min(1)
    .max(500)
    .custom((value: string, helpers) => {
      try {
        new RegExp(value, 'i');
        return value;
      } catch (error) {
        return helpers.message({ custom: `{{#label}} is not a valid regular expression: ${(error as Error).message}` });
      }
    })
    .required(),
  tactics: Joi.array().items(Joi.string().min(1)).default([]),
  techniques: Joi.array().items(Joi.string().min(1)).default([]),
});

export const mlDetectionKeys = {
  ml_enabled: Joi.boolean().default(true),
  /** Half-space trees per source. */
  hst_n_trees: Joi.number().integer().min(1).max(200).default(25),
  /** Events per HST mass window (the reference profile is the previous window). */
  hst_window_size: Joi.number().integer().min(10).max(65_535).default(250),
  /** Seed of the tree structure: the same input and seed give the same scores. */
  hst_seed: Joi.number().integer().min(0).max(2 ** 32 - 1).default(42),
  hw: Joi.object({
    /** Buckets (one minute each) per season: 1440 = one day. HW scores 0 until one full season is seen. */
    seasonal_period: Joi.number().integer().min(2).max(100_000).default(1440),
    alpha: unit.default(0.3),
    beta: unit.default(0.1),
    gamma: unit.default(0.1),
    /** A bucket this many residual deviations off its forecast scores 1. */
    n_std: Joi.number().greater(0).default(3.0),
  }).default(),
  cusum: Joi.object({
    drift: Joi.number().greater(0).default(0.5),
    threshold: Joi.number().greater(0).default(5.0),
    ema_alpha: unit.default(0.1),
    /** Minute buckets that only train the mean and variance. */
    warmup_buckets: Joi.number().integer().min(1).max(100_000).default(30),
  }).default(),
  markov: Joi.object({
    smoothing: Joi.number().greater(0).less(1).default(1e-6),
    /** Events an entity needs before its transitions are scored. */
    min_events: Joi.number().integer().min(1).max(1_000_000).default(100),
    /** Entities tracked per source; the least recently seen is evicted beyond this. */
    max_entities: Joi.number().integer().min(1).max(100_000).default(1000),
  }).default(),
  dspot: Joi.object({
    /** Blended scores collected before any threshold exists (nothing is flagged meanwhile). */
    calibration_window: Joi.number().integer().min(200).max(1_000_000).default(1000),
    /** Target probability of a normal score exceeding the threshold. */
    risk_level: unit.default(0.0001),
    /** Percentile where each tail starts (its mirror, 100 − p, for the lower tail). */
    initial_percentile: Joi.number().min(50).max(99).default(98),
    /** False-positive feedback never raises a threshold beyond this multiple of its calibrated value. */
    threshold_cap_multiplier: Joi.number().greater(1).max(100).default(5.0),
  }).default(),
  /** Sources (source types) with their own models; the least recently seen is evicted beyond this. */
  max_sources: Joi.number().integer().min(1).max(10_000).default(256),
  /** How often model state is saved (also at shutdown and after feedback). */
  model_save_interval_seconds: Joi.number().integer().min(1).max(86_400).default(300),
  weights_content: weight.default(0.3),
  weights_volume: weight.default(0.25),
  weights_pattern: weight.default(0.2),
  weights_sequence: weight.default(0.25),
  weights_template_volume: weight.default(0.15),
  weights_entity_volume: weight.default(0.15),
  /** Score only every Nth event of a source (the others neither score nor train). */
  score_interval: Joi.number().integer().min(1).max(10_000).default(1),
  /** Per-template volume models, over all sources (least recently seen evicted). */
  max_template_hw: Joi.number().integer().min(1).max(100_000).default(500),
  /** Per-entity volume models, over all sources (least recently seen evicted). */
  max_entity_hw: Joi.number().integer().min(1).max(100_000).default(500),
  /** Events a template or entity needs before its own volume model is scored. */
  min_events_for_scoring: Joi.number().integer().min(1).max(100_000).default(50),
  /** Template → ATT&CK mappings; empty = our bundled `resources/attack-mappings.yaml`. First match wins. */
  attack_mappings: Joi.array().items(attackMappingSchema).default([]),
};

export interface AttackMappingConfig {
  pattern: string;
  tactics: string[];
  techniques: string[];
}

export interface MlDetectionConfig {
  ml_enabled: boolean;
  hst_n_trees: number;
  hst_window_size: number;
  hst_seed: number;
  hw: { seasonal_period: number; alpha: number; beta: number; gamma: number; n_std: number };
  cusum: { drift: number; threshold: number; ema_alpha: number; warmup_buckets: number };
  markov: { smoothing: number; min_events: number; max_entities: number };
  dspot: { calibration_window: number; risk_level: number; initial_percentile: number; threshold_cap_multiplier: number };
  max_sources: number;
  model_save_interval_seconds: number;
  weights_content: number;
  weights_volume: number;
  weights_pattern: number;
  weights_sequence: number;
  weights_template_volume: number;
  weights_entity_volume: number;
  score_interval: number;
  max_template_hw: number;
  max_entity_hw: number;
  min_events_for_scoring: number;
  attack_mappings: AttackMappingConfig[];
}
