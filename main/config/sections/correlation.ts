/**
 * Correlation: the risk register, kill chain and entity-graph keys that the original kept in
 * `detection` (reference §14.2), and the `correlation` section (per-entity windows, §7.2).
 * Defaults are the original's.
 */
import Joi from 'joi';

export const correlationDetectionKeys = {
  /** Events between two runs of the graph algorithms (PageRank, Louvain, betweenness, fan-out). */
  graph_algo_interval: Joi.number().integer().min(10).max(100_000).default(500),
  /**
   * Event-time seconds between two runs at the least (not in the original): at 500 events a run,
   * a stream of thousands of events per second re-ran them many times a second for a graph that
   * had barely changed, and they took a third of the appliance's CPU (measured). 0 = no floor.
   */
  graph_algo_min_interval_s: Joi.number().min(0).max(86_400).default(10),
  /** Risk points halve every this many hours of event time. */
  risk_half_life_hours: Joi.number().min(1).default(4),
  /** Decayed risk points at which an entity's `risk-accumulation` alert fires. */
  risk_threshold: Joi.number().greater(0).default(50),
  /** Entities the risk register keeps (least recently touched evicted first). */
  risk_max_entities: Joi.number().integer().min(1).default(10_000),
  graph_structural: Joi.object({
    community_crossing_enabled: Joi.boolean().default(true),
    /** Normalised betweenness (0..1) above which a vertex is reported as a bridge. */
    betweenness_threshold: Joi.number().greater(0).max(1).default(0.3),
    /** Standard deviations above a vertex's own fan-out history that count as a burst. */
    fan_out_sigma: Joi.number().greater(0).default(3.0),
    /** A burst needs at least this many distinct out-neighbours. */
    fan_out_min_floor: Joi.number().integer().min(1).default(5),
    /** Fan-out values kept per vertex (one per algorithm run). */
    fan_out_history_size: Joi.number().integer().min(3).default(20),
  }).default(),
  kill_chain: Joi.object({
    enabled: Joi.boolean().default(true),
    /** Distinct ATT&CK tactics on one entity within the window that make a progression. */
    tactic_threshold: Joi.number().integer().min(2).default(3),
    window_seconds: Joi.number().integer().min(60).default(86_400),
    max_entities: Joi.number().integer().min(1).default(10_000),
  }).default(),
};

export interface CorrelationDetectionConfig {
  graph_algo_interval: number;
  graph_algo_min_interval_s: number;
  risk_half_life_hours: number;
  risk_threshold: number;
  risk_max_entities: number;
  graph_structural: {
    community_crossing_enabled: boolean;
    betweenness_threshold: number;
    fan_out_sigma: number;
    fan_out_min_floor: number;
    fan_out_history_size: number;
  };
  kill_chain: {
    enabled: boolean;
    tactic_threshold: number;
    window_seconds: number;
    max_entities: number;
  };
}

export const correlationSection = Joi.object({
  enabled: Joi.boolean().default(true),
  /**
   * Event time each entity's window keeps at least; a rule with a longer `window_seconds`
   * extends it (the original silently cut such rules short).
   */
  window_duration_seconds: Joi.number().integer().min(1).max(604_800).default(1800),
  max_events_per_entity: Joi.number().integer().min(1).max(1_000_000).default(1000),
  /** Entities with a window (least recently touched evicted first). */
  max_entities: Joi.number().integer().min(1).max(10_000_000).default(10_000),
  /** An event older than the newest seen by more than this is late: stored, kept out of windows. */
  late_tolerance_seconds: Joi.number().min(0).max(86_400).default(30),
  /** More folders of correlation rules (`*.yml`, `*.yaml`), besides the bundled ones. */
  rule_dirs: Joi.array().items(Joi.string().min(1)).default([]),
}).default();

export interface CorrelationConfig {
  enabled: boolean;
  window_duration_seconds: number;
  max_events_per_entity: number;
  max_entities: number;
  late_tolerance_seconds: number;
  rule_dirs: string[];
}
