import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Fields, SeerflowEvent } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import {
  CorrelationEngine,
  CorrelationStateError,
  type CorrelationHit,
  type CorrelationWarning,
  type FieldReader,
} from './correlation.js';
import { parseCorrelationRule, type CorrelationRule } from './correlation-parser.js';
import { checkSnapshot } from './correlation-state.js';

const S = 1_000_000_000n;
const T0 = 1_796_032_800n * S;
const fieldOf: FieldReader = (event, field) => event.fields[field];

function ev(id: string, ns: bigint, fields: Fields): SeerflowEvent {
  return makeEvent({ eventId: id, timestampNs: T0 + ns, fields });
}

function rule(yamlText: string): CorrelationRule {
  const result = parseCorrelationRule(parse(yamlText), { file: 'test.yml', line: 1 });
  if ('error' in result) throw result.error;
  return result.rule;
}

/** One rule of each way of deciding, and a chain. */
const RULES = [
  rule('title: Burst\nname: burst\ncorrelation: { type: event_count, rules: [a], group-by: [User], timespan: 10s, condition: { gte: 3 } }'),
  rule('title: Hosts\ncorrelation: { type: value_count, rules: [a, b], group-by: [User], timespan: 30s, condition: { field: Host, gte: 2 } }'),
  rule('title: A then B\ncorrelation: { type: temporal_ordered, rules: [a, b], group-by: [User], timespan: 20s }'),
  rule('title: Lonely\ncorrelation: { type: event_count, rules: [b], group-by: [User], timespan: 15s, condition: { lt: 2 } }'),
  rule('title: Bursts\ncorrelation: { type: event_count, rules: [burst], group-by: [User], timespan: 1m, condition: { gte: 2 } }'),
  rule('title: Bytes\ncorrelation: { type: value_percentile, rules: [b], group-by: [Host], timespan: 30s, condition: { field: bytes, percentile: 75, gt: 700 } }'),
];

/** A reproducible stream: time moves 0–3 s per event, one in eight arrives up to 5 s late. */
function stream(count: number): [string, SeerflowEvent][] {
  let seed = 42;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((seed / 2_147_483_648) * n); // the high bits: an LCG's low bits cycle quickly
  };
  let clock = 0n;
  const out: [string, SeerflowEvent][] = [];
  for (let i = 0; i < count; i++) {
    clock += BigInt(next(3_000)) * 1_000_000n;
    const late = next(8) === 0 ? BigInt(next(5_000)) * 1_000_000n : 0n;
    const fields = { User: `u${next(3)}`, Host: `h${next(4)}`, bytes: next(1000) };
    out.push([next(2) === 0 ? 'a' : 'b', ev(`e${i}`, clock - late, fields)]);
  }
  return out;
}

function run(engine: CorrelationEngine, inputs: [string, SeerflowEvent][]): CorrelationHit[] {
  return inputs.flatMap(([ruleId, event]) => engine.process({ ruleId, event }));
}

const options = { fieldOf, lateToleranceNs: 10n * S };

describe('determinism and snapshots', () => {
  const inputs = stream(600);

  it('gives the same hits for the same input', () => {
    const first = [...run(new CorrelationEngine(RULES, options), inputs)];
    const second = [...run(new CorrelationEngine(RULES, options), inputs)];
    expect(first.length).toBeGreaterThan(40);
    expect(new Set(first.map((h) => h.rule.title))).toEqual(new Set(RULES.map((r) => r.title)));
    expect(second).toEqual(first);
  });

  it('continues after a JSON round trip exactly as without the interruption', () => {
    const whole = new CorrelationEngine(RULES, options);
    const expected = [...run(whole, inputs), ...whole.closeAll()];

    const before = new CorrelationEngine(RULES, options);
    const head = run(before, inputs.slice(0, 300));
    const saved = JSON.parse(JSON.stringify(before.snapshot())) as unknown;
    const after = CorrelationEngine.restore(saved, RULES, options);
    expect(after.stats().stateEntries).toBe(before.stats().stateEntries);
    expect(after.watermarkNs).toBe(before.watermarkNs);
    const tail = [...run(after, inputs.slice(300)), ...after.closeAll()];
    expect([...head, ...tail]).toEqual(expected);
  });

  it('writes plain versioned JSON', () => {
    const engine = new CorrelationEngine([RULES[0] as CorrelationRule], options);
    engine.process({ ruleId: 'a', event: ev('e1', 5n * S, { User: 'alice' }) });
    engine.process({ ruleId: 'a', event: ev('e2', 6n * S, { User: 'alice' }) });
    expect(engine.snapshot()).toEqual({
      version: 1,
      watermarkNs: String(T0 + 6n * S),
      seq: 2,
      rules: [
        {
          key: 'burst',
          signature: '["event_count",["a"],["User"],"10000000000",{"predicates":[{"op":"gte","value":3}],"fields":[],"implicit":false},{}]',
          groups: [
            {
              key: '["alice"]',
              values: { User: 'alice' },
              entries: [
                [String(T0 + 5n * S), 0, 0, null, ['e1']],
                [String(T0 + 6n * S), 1, 0, null, ['e2']],
              ],
            },
          ],
        },
      ],
    });
  });

  it('skips, with a warning, the state of a rule that changed or is gone', () => {
    const engine = new CorrelationEngine(RULES, options);
    run(engine, inputs.slice(0, 100));
    const warnings: CorrelationWarning[] = [];
    const changed = { ...(RULES[0] as CorrelationRule), timespan: '20s', timespanNs: 20n * S };
    const restored = CorrelationEngine.restore(engine.snapshot(), [changed], { ...options, onWarning: (w) => warnings.push(w) });
    expect(warnings.map((w) => w.message)).toEqual([
      'Saved correlation state for "burst" skipped: the rule is changed.',
      'Saved correlation state for "title:Hosts" skipped: the rule is gone.',
      'Saved correlation state for "title:A then B" skipped: the rule is gone.',
      'Saved correlation state for "title:Lonely" skipped: the rule is gone.',
      'Saved correlation state for "title:Bytes" skipped: the rule is gone.',
    ]);
    expect(restored.stats().stateEntries).toBe(0);
  });

  it('rejects an unknown version and a malformed state, naming the field', () => {
    const attempt = (state: unknown) => () => CorrelationEngine.restore(state, RULES, options);
    expect(attempt({ version: 2, watermarkNs: null, seq: 0, rules: [] })).toThrow(
      new CorrelationStateError('CORRELATION_STATE_VERSION', 'version', 'unsupported version 2; this build reads version 1'),
    );
    const group = (entries: unknown[]) => ({ version: 1, watermarkNs: '5', seq: 3, rules: [{ key: 'burst', signature: 'x', groups: [{ key: 'k', values: {}, entries }] }] });
    const cases: [unknown, string][] = [
      [null, 'Cannot restore correlation state (state): must be an object'],
      [{ version: 1, watermarkNs: 5, seq: 0, rules: [] }, '(watermarkNs): must be nanoseconds as a decimal string'],
      [group([['5', 0, 0, null, ['e']], ['4', 1, 0, null, ['e']]]), '(rules[0].groups[0].entries[1]): entries must be sorted by time'],
      [group([['5', 0, 0, {}, ['e']]]), '(rules[0].groups[0].entries[0][3]): must be a string, a finite number or null'],
      [group([]), '(rules[0].groups[0].entries): a saved group is never empty'],
    ];
    for (const [state, message] of cases) expect(() => checkSnapshot(state)).toThrow(message);

    const saved = new CorrelationEngine(RULES, options);
    run(saved, inputs.slice(0, 50));
    const snapshot = saved.snapshot();
    const burst = snapshot.rules.find((r) => r.key === 'burst');
    const entry = burst?.groups[0]?.entries[0];
    if (entry === undefined) throw new Error('expected saved burst state');
    entry[2] = 5;
    expect(attempt(snapshot)).toThrow('Cannot restore correlation state (rules[burst].groups[0].entries[0][2]): reference out of range');
    entry[2] = 0;
    entry[3] = 'text';
    expect(attempt(snapshot)).toThrow('(rules[burst].groups[0].entries[0][3]): a event_count entry holds null');
    entry[3] = null;
    burst?.groups.push(structuredClone(burst.groups[0] as (typeof burst.groups)[number]));
    expect(attempt(snapshot)).toThrow(`(rules[burst].groups[${(burst?.groups.length ?? 0) - 1}].key): the group appears twice`);
  });
});
