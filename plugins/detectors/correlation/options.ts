/** The detector's options from the validated `correlation` and `detection` config sections. */
import type { SeerflowConfig } from '../../../main/config/types.js';
import { DEFAULT_MAX_GRAPH_EDGES, type CorrelationDetectorOptions } from './detector.js';

export function detectorOptions(
  config: Pick<SeerflowConfig, 'correlation' | 'detection'>,
  hooks: Pick<CorrelationDetectorOptions, 'defer' | 'onDeferredAlerts'>,
): CorrelationDetectorOptions {
  const { correlation, detection } = config;
  return {
    window: {
      minRetentionMs: correlation.window_duration_seconds * 1000,
      maxEventsPerEntity: correlation.max_events_per_entity,
      maxEntities: correlation.max_entities,
      lateToleranceMs: correlation.late_tolerance_seconds * 1000,
    },
    risk: {
      halfLifeMs: detection.risk_half_life_hours * 3_600_000,
      halfLifeHours: detection.risk_half_life_hours,
      threshold: detection.risk_threshold,
      maxEntities: detection.risk_max_entities,
    },
    killChain: {
      enabled: detection.kill_chain.enabled,
      threshold: detection.kill_chain.tactic_threshold,
      windowMs: detection.kill_chain.window_seconds * 1000,
      maxEntities: detection.kill_chain.max_entities,
    },
    structure: {
      communityCrossing: detection.graph_structural.community_crossing_enabled,
      betweennessThreshold: detection.graph_structural.betweenness_threshold,
      fanOutSigma: detection.graph_structural.fan_out_sigma,
      fanOutFloor: detection.graph_structural.fan_out_min_floor,
      historySize: detection.graph_structural.fan_out_history_size,
    },
    graphAlgoInterval: detection.graph_algo_interval,
    graphAlgoMinIntervalMs: detection.graph_algo_min_interval_s * 1000,
    maxGraphEdges: DEFAULT_MAX_GRAPH_EDGES,
    ...hooks,
  };
}
