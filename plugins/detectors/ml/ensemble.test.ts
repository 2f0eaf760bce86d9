import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../main/config/load.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { Ensemble, ensembleOptionsFromConfig, sourceKey, type EnsembleOptions } from './ensemble.js';
import { MANIFEST_KEY, restoreEnsemble, saveEnsemble, sourceStateKey } from './ensemble-state.js';

const MINUTE = 60_000_000_000n;
const T0 = 1_796_032_800_000_000_000n;

/** Small warm-ups so that every model scores within a few hundred events. */
function options(overrides: Record<string, unknown> = {}): EnsembleOptions {
  const detection = {
    hst_window_size: 50,
    hw: { seasonal_period: 5 },
    cusum: { warmup_buckets: 5 },
    markov: { min_events: 20, max_entities: 50 },
    dspot: { calibration_window: 200 },
    min_events_for_scoring: 10,
    ...overrides,
  };
  return ensembleOptionsFromConfig(validateConfig({ detection }, {}).detection);
}

const ENTITIES = ['10.0.0.1', '10.0.0.2', '10.0.0.3'].map((value, i) => ({ type: 'ip' as const, value, id: `ip-${i}` }));

/** A deterministic mixed stream: 3 templates cycling per entity, ~20 events per minute, then a burst of template 9. */
function stream(n: number, burstAt = -1): SeerflowEvent[] {
  const events: SeerflowEvent[] = [];
  for (let i = 0; i < n; i++) {
    const burst = burstAt >= 0 && i >= burstAt && i < burstAt + 60;
    const minute = BigInt(Math.floor(i / 20));
    const templateId = burst ? 9 : (i % 3) + 1;
    events.push(
      makeEvent({
        eventId: `e${i}`,
        timestampNs: T0 + minute * MINUTE + BigInt(i % 20) * 1_000_000_000n,
        templateId,
        templateStr: burst ? 'segfault at <*> ip <*> sp <*> error 4' : `template ${templateId}`,
        templateParams: burst ? ['a', 'b', 'c'] : ['x'],
        message: burst ? 'segfault at 0 ip 0 sp 0 error 4' : `message ${i % 7}`,
        severity: burst ? 4 : 1,
        entities: [ENTITIES[i % 3]!],
      }),
    );
  }
  return events;
}

function outcomes(ensemble: Ensemble, events: SeerflowEvent[]): string[] {
  return events.map((e) => {
    const r = ensemble.process(e);
    return `${r.score}|${r.upperThreshold}|${r.lowerThreshold}|${r.direction}`;
  });
}

function memoryStore() {
  const rows = new Map<string, string>();
  return {
    rows,
    save(ensemble: Ensemble) {
      for (const row of saveEnsemble(ensemble)) rows.set(row.key, row.data);
    },
    load: async (key: string) => rows.get(key),
  };
}

describe('Ensemble', () => {
  it('gives identical results for the same input and seed', () => {
    const events = stream(900, 700);
    expect(outcomes(new Ensemble(options()), events)).toEqual(outcomes(new Ensemble(options()), events));
    expect(outcomes(new Ensemble(options({ hst_seed: 7 })), events)).not.toEqual(outcomes(new Ensemble(options()), events));
  });

  it('flags the burst of a new template from its first event, and nothing before it', () => {
    const ensemble = new Ensemble(options());
    const flagged = stream(900, 700)
      .map((e, i) => ({ i, t: e.templateId, direction: ensemble.process(e).direction }))
      .filter((x) => x.direction !== null);
    expect(flagged[0]).toEqual({ i: 700, t: 9, direction: 'upper' });
    expect(flagged.filter((x) => x.t === 9).length).toBeGreaterThanOrEqual(5);
    expect([...ensemble.sources.keys()]).toEqual(['syslog']);
  });

  it('continues identically after a save and restore midway (scores, thresholds, directions)', async () => {
    const events = stream(900, 700);
    const straight = outcomes(new Ensemble(options()), events);
    const first = new Ensemble(options());
    const head = outcomes(first, events.slice(0, 450));
    const store = memoryStore();
    store.save(first);
    const second = new Ensemble(options());
    const warnings: unknown[] = [];
    expect(await restoreEnsemble(second, store.load, (...w) => warnings.push(w))).toBe(1);
    expect(warnings).toEqual([]);
    expect([...head, ...outcomes(second, events.slice(450))]).toEqual(straight);
  });

  it('ignores an unreadable manifest and skips an unreadable source, reporting both', async () => {
    const warnings: string[] = [];
    const warn = (message: string) => warnings.push(message);
    const bad = new Ensemble(options());
    expect(await restoreEnsemble(bad, async (key) => (key === MANIFEST_KEY ? '{not json' : undefined), warn)).toBe(0);
    const store = memoryStore();
    const trained = new Ensemble(options());
    outcomes(trained, stream(300));
    trained.process(makeEvent({ sourceType: 'file', timestampNs: T0 }));
    store.save(trained);
    store.rows.set(sourceStateKey('file'), '{"version":1,"hst":{"reference":"AAAA"}}');
    const restored = new Ensemble(options());
    expect(await restoreEnsemble(restored, store.load, warn)).toBe(1);
    expect([...restored.sources.keys()]).toEqual(['syslog']);
    expect(warnings).toEqual(['saved ML state unreadable; starting with fresh models', 'saved ML state of a source unreadable; it starts afresh']);
  });

  it('bounds sources and pools; an evicted source takes its pooled models with it', () => {
    const ensemble = new Ensemble(options({ max_sources: 2, max_template_hw: 4, max_entity_hw: 2 }));
    for (const sourceType of ['syslog', 'file', 'stdin'] as const) {
      for (let t = 0; t < 3; t++) ensemble.process(makeEvent({ sourceType, templateId: t, entities: [ENTITIES[t]!] }));
    }
    expect([...ensemble.sources.keys()]).toEqual(['file', 'stdin']);
    expect(ensemble.sourceEvictions).toBe(1);
    expect(ensemble.templatePool.size).toBeLessThanOrEqual(4);
    expect(ensemble.entityPool.size).toBe(2);
    const owners = [...ensemble.sources.values()].flatMap((s) => [s.templates, s.entities]);
    expect([...ensemble.templatePool.entries()].every((e) => owners.includes(e.owner))).toBe(true);
  });

  it('derives the model key from the source type as the original did', () => {
    expect([sourceKey('otlp:grpc'), sourceKey(''), sourceKey('a\0b'), sourceKey('x'.repeat(300)).length]).toEqual(['otlp_grpc', 'default', 'ab', 248]);
  });
});
