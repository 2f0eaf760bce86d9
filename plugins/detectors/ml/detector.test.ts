import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../main/config/load.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { AttackMapper } from './attack-mapper.js';
import { MlDetector } from './detector.js';
import { Ensemble, ensembleOptionsFromConfig } from './ensemble.js';
import { MANIFEST_KEY } from './ensemble-state.js';
import { ScoreSummary } from './score-summary.js';

const SECOND = 1_000_000_000n;

function detectorAt(clock: { now: bigint }) {
  const options = ensembleOptionsFromConfig(validateConfig({ detection: { model_save_interval_seconds: 300 } }, {}).detection);
  return new MlDetector(new Ensemble(options), new AttackMapper([]), new ScoreSummary(), { clock: () => clock.now, saveIntervalNs: 300n * SECOND });
}

describe('MlDetector', () => {
  it('hands over its state once the save interval has passed, at once when asked, and at every commit that follows a change when closing', () => {
    const clock = { now: 1000n * SECOND };
    const detector = detectorAt(clock);
    detector.process(makeEvent());
    expect(detector.flush()).toEqual([]);
    clock.now += 299n * SECOND;
    expect(detector.flush()).toEqual([]);
    clock.now += SECOND;
    const rows = detector.flush();
    expect(rows.map((r) => r.key)).toEqual(['ml:source:syslog', MANIFEST_KEY]);
    clock.now += 400n * SECOND;
    expect(detector.flush()).toEqual([]); // nothing changed since
    detector.requestSave();
    expect(detector.flush()).toHaveLength(2);
    expect(detector.flush()).toEqual([]);
    detector.saveOnEveryCommit();
    detector.process(makeEvent());
    expect(detector.flush()).toHaveLength(2);
    expect(detector.flush()).toEqual([]); // unchanged
    detector.process(makeEvent());
    expect(detector.flush()).toHaveLength(2);
  });

  it('never throws from process: a failing event is counted and raises nothing', () => {
    const detector = detectorAt({ now: 0n });
    const broken = makeEvent({ entities: null as unknown as SeerflowEvent['entities'] });
    expect(detector.process(broken)).toEqual([]);
    expect(detector.stats()).toMatchObject({ errors: 1 });
    expect(detector.health().detail).toMatch(/1 failed event/);
  });

  it('reports sources, models and memory in /stats terms', () => {
    const detector = detectorAt({ now: 0n });
    for (let i = 0; i < 5; i++) detector.process(makeEvent({ templateId: i, entities: [{ type: 'ip', value: `10.0.0.${i}`, id: `ip-${i}` }] }));
    const stats = detector.stats();
    expect(stats).toMatchObject({
      source_count: 1,
      max_sources: 256,
      template_hw_count: 5,
      entity_hw_count: 5,
      total_model_count: 4 + 5 + 5,
      eviction_count: 0,
      markov_entity_counts: { syslog: 5 },
      sources: { syslog: { events: 5, calibrated: false, upper_threshold: null } },
    });
    const memory = stats.memory_by_type as Record<string, number>;
    expect(memory.hw_template).toBe(5 * (1440 * 8 + 1000));
    expect(stats.estimated_memory_bytes).toBe(Object.values(memory).reduce((a, b) => a + b, 0));
  });
});
