/** The `correlation` section and the correlation keys of `detection`: the original's defaults and bounds. */
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/config/load.js';

describe('correlation configuration', () => {
  it('defaults to the original’s values', () => {
    const config = validateConfig({}, {});
    expect(config.correlation).toEqual({ enabled: true, window_duration_seconds: 1800, max_events_per_entity: 1000, max_entities: 10_000, late_tolerance_seconds: 30, rule_dirs: [] });
    expect(config.detection).toMatchObject({
      graph_algo_interval: 500,
      risk_half_life_hours: 4,
      risk_threshold: 50,
      risk_max_entities: 10_000,
      graph_structural: { community_crossing_enabled: true, betweenness_threshold: 0.3, fan_out_sigma: 3, fan_out_min_floor: 5, fan_out_history_size: 20 },
      kill_chain: { enabled: true, tactic_threshold: 3, window_seconds: 86_400, max_entities: 10_000 },
    });
  });

  it('refuses values outside the original’s bounds, naming the key', () => {
    expect(() => validateConfig({ detection: { graph_algo_interval: 5 } }, {})).toThrow(/graph_algo_interval/);
    expect(() => validateConfig({ detection: { kill_chain: { tactic_threshold: 1 } } }, {})).toThrow(/tactic_threshold/);
    expect(() => validateConfig({ detection: { graph_structural: { fan_out_history_size: 2 } } }, {})).toThrow(/fan_out_history_size/);
    expect(() => validateConfig({ correlation: { late_tolerance_seconds: -1 } }, {})).toThrow(/late_tolerance_seconds/);
  });
});
