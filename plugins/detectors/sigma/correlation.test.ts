import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Fields, SeerflowEvent } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import {
  CorrelationEngine,
  CorrelationOptionError,
  fromRuleMatch,
  type CorrelationEngineOptions,
  type CorrelationHit,
  type CorrelationWarning,
  type FieldReader,
} from './correlation.js';
import { parseCorrelationRule, type CorrelationRule } from './correlation-parser.js';

const S = 1_000_000_000n;
/** 2026-11-30T10:00:00Z */
const T0 = 1_796_032_800n * S;

/** An event `seconds` after T0 (plus `extraNs`). */
function ev(id: string, seconds: number, fields: Fields = {}, extraNs = 0n, base = T0): SeerflowEvent {
  return makeEvent({ eventId: id, timestampNs: base + BigInt(seconds) * S + extraNs, fields });
}

function rule(yamlText: string): CorrelationRule {
  const result = parseCorrelationRule(parse(yamlText), { file: 'test.yml', line: 1 });
  if ('error' in result) throw result.error;
  return result.rule;
}

const fieldOf: FieldReader = (event, field) => event.fields[field];

function engine(rules: CorrelationRule[], options: Partial<CorrelationEngineOptions> = {}) {
  return new CorrelationEngine(rules, { fieldOf, ...options });
}

/** Feed `[ruleId, event]` pairs; all hits in order. */
function feed(target: CorrelationEngine, inputs: [string, SeerflowEvent][]): CorrelationHit[] {
  return inputs.flatMap(([ruleId, event]) => target.process({ ruleId, event }));
}

/** The parts of a hit a test usually states, times in seconds after T0. */
function brief(hit: CorrelationHit) {
  return { rule: hit.rule.title, group: hit.group, value: hit.value, ids: hit.eventIds, at: Number((hit.atNs - T0) / S) };
}

describe('event_count', () => {
  const brute = rule(`title: Brute force
correlation: { type: event_count, rules: [failed_login], group-by: [User], timespan: 10s, condition: { gte: 3 } }`);

  it('counts per group within the timespan and reports the whole hit', () => {
    const hits = feed(engine([brute]), [
      ['failed_login', ev('e1', 0, { User: 'alice' })],
      ['failed_login', ev('e2', 1, { User: 'bob' })],
      ['failed_login', ev('e3', 4, { User: 'alice' })],
      ['other_rule', ev('e4', 5, { User: 'alice' })],
      ['failed_login', ev('e5', 8, { User: 'alice' })],
    ]);
    expect(hits).toEqual([
      {
        rule: brute,
        group: { User: 'alice' },
        value: 3,
        eventIds: ['e1', 'e3', 'e5'],
        eventCount: 3,
        firstNs: T0,
        lastNs: T0 + 8n * S,
        atNs: T0 + 8n * S,
        suppressed: false,
      },
    ]);
  });

  it('includes both ends of the timespan, and not one nanosecond more', () => {
    const pair = rule('title: Pair\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 10s, condition: { gte: 2 } }');
    const hits = feed(engine([pair]), [
      ['r', ev('a1', 0, { User: 'alice' })],
      ['r', ev('a2', 10, { User: 'alice' })],
      ['r', ev('b1', 20, { User: 'bob' })],
      ['r', ev('b2', 30, { User: 'bob' }, 1n)],
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Pair', group: { User: 'alice' }, value: 2, ids: ['a1', 'a2'], at: 10 }]);
  });

  it('consumes the events of a hit, so the next hit needs new ones', () => {
    const inputs = [0, 1, 2, 3, 4, 5].map((s): [string, SeerflowEvent] => ['failed_login', ev(`e${s}`, s, { User: 'alice' })]);
    expect(feed(engine([brute]), inputs).map((h) => h.eventIds)).toEqual([['e0', 'e1', 'e2'], ['e3', 'e4', 'e5']]);
  });

  it('skips events without the group-by field, and puts everything in one group without group-by', () => {
    const grouped = engine([brute]);
    feed(grouped, [['failed_login', ev('e1', 0, { Host: 'h' })], ['failed_login', ev('e2', 0, { User: '' })]]);
    expect([grouped.stats().noGroupValue, grouped.stats().stateEntries]).toEqual([2, 0]);

    const global = rule('title: Any\ncorrelation: { type: event_count, rules: [r], timespan: 10s, condition: { gte: 2 } }');
    const hits = feed(engine([global]), [['r', ev('e1', 0, { User: 'a' })], ['r', ev('e2', 1, {})]]);
    expect(hits.map(brief)).toEqual([{ rule: 'Any', group: {}, value: 2, ids: ['e1', 'e2'], at: 1 }]);
  });

  it('files an event in every group when a field holds several values, up to maxFanOut', () => {
    const pair = rule('title: Pair\ncorrelation: { type: event_count, rules: [r], group-by: [users], timespan: 1m, condition: { gte: 2 } }');
    const split: FieldReader = (event, field) => String(event.fields[field]).split(',');
    const inputs: [string, SeerflowEvent][] = [['r', ev('e1', 0, { users: 'alice,bob' })], ['r', ev('e2', 1, { users: 'bob' })]];
    expect(feed(engine([pair], { fieldOf: split }), inputs).map(brief)).toEqual([
      { rule: 'Pair', group: { users: 'bob' }, value: 2, ids: ['e1', 'e2'], at: 1 },
    ]);
    const capped = engine([pair], { fieldOf: split, maxFanOut: 1 });
    expect(feed(capped, inputs)).toEqual([]);
    expect(capped.stats().fanOutCapped).toBe(1);
  });
});

describe('value_count, value_sum, value_avg, value_percentile', () => {
  it('value_count counts distinct values, and distinct tuples for several fields', () => {
    const spray = rule('title: Spray\ncorrelation: { type: value_count, rules: [r], group-by: [Host], timespan: 1m, condition: { field: User, gte: 3 } }');
    const hits = feed(engine([spray]), [
      ['r', ev('e1', 0, { Host: 'h1', User: 'alice' })],
      ['r', ev('e2', 1, { Host: 'h1', User: 'alice' })],
      ['r', ev('e3', 2, { Host: 'h1', User: 'bob' })],
      ['r', ev('e4', 3, { Host: 'h2', User: 'carol' })],
      ['r', ev('e5', 4, { Host: 'h1', User: 'carol' })],
    ]);
    expect(hits.map((h) => [brief(h), h.eventCount])).toEqual([
      [{ rule: 'Spray', group: { Host: 'h1' }, value: 3, ids: ['e1', 'e2', 'e3', 'e5'], at: 4 }, 4],
    ]);

    const pairs = rule('title: Pairs\ncorrelation: { type: value_count, rules: [r], timespan: 1m, condition: { field: [User, Domain], gte: 2 } }');
    expect(feed(engine([pairs]), [
      ['r', ev('p1', 0, { User: 'alice', Domain: 'A' })],
      ['r', ev('p2', 1, { User: 'alice', Domain: 'A' })],
      ['r', ev('p3', 2, { User: 'alice' })],
      ['r', ev('p4', 3, { User: 'alice', Domain: 'B' })],
    ]).map(brief)).toEqual([{ rule: 'Pairs', group: {}, value: 2, ids: ['p1', 'p2', 'p4'], at: 3 }]);
  });

  it('value_sum adds numbers (numeric text too) and skips what is not a number', () => {
    const exfil = rule('title: Exfil\ncorrelation: { type: value_sum, rules: [r], group-by: [ip], timespan: 1h, condition: { field: bytes, gt: 1000 } }');
    const target = engine([exfil]);
    const hits = feed(target, [
      ['r', ev('e1', 0, { ip: '10.0.0.1', bytes: 400 })],
      ['r', ev('e2', 1, { ip: '10.0.0.1', bytes: '500' })],
      ['r', ev('e3', 2, { ip: '10.0.0.1', bytes: 'n/a' })],
      ['r', ev('e4', 3, { ip: '10.0.0.1', bytes: 200 })],
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Exfil', group: { ip: '10.0.0.1' }, value: 1100, ids: ['e1', 'e2', 'e4'], at: 3 }]);
    expect(target.stats().noFieldValue).toBe(1);
  });

  it('value_avg averages over the sliding window ending at each event', () => {
    const slow = rule('title: Slow\ncorrelation: { type: value_avg, rules: [r], group-by: [h], timespan: 1m, condition: { field: ms, gt: 500 } }');
    const hits = feed(engine([slow]), [
      ['r', ev('e1', 0, { h: 'x', ms: 900 })], // 900: fires on its own
      ['r', ev('e2', 100, { h: 'x', ms: 100 })],
      ['r', ev('e3', 101, { h: 'x', ms: 2000 })], // (100 + 2000) / 2
    ]);
    expect(hits.map(brief)).toEqual([
      { rule: 'Slow', group: { h: 'x' }, value: 900, ids: ['e1'], at: 0 },
      { rule: 'Slow', group: { h: 'x' }, value: 1050, ids: ['e2', 'e3'], at: 101 },
    ]);
  });

  it('value_percentile computes the given percentile, the median by default', () => {
    const p90 = rule('title: P90\ncorrelation: { type: value_percentile, rules: [r], timespan: 1m, condition: { field: ms, percentile: 90, gte: 900 } }');
    const hits = feed(engine([p90]), [100, 200, 1000, 1000].map((ms, i): [string, SeerflowEvent] => ['r', ev(`e${i}`, i, { ms })]));
    // p90 of [100, 200, 1000] is 840; of [100, 200, 1000, 1000] it is 1000
    expect(hits.map(brief)).toEqual([{ rule: 'P90', group: {}, value: 1000, ids: ['e0', 'e1', 'e2', 'e3'], at: 3 }]);

    const median = rule('title: Median\ncorrelation: { type: value_percentile, rules: [r], timespan: 1m, condition: { field: ms, lte: 150 } }');
    const low = feed(engine([median]), [300, 100, 120].map((ms, i): [string, SeerflowEvent] => ['r', ev(`m${i}`, i, { ms })]));
    expect(low.map(brief)).toEqual([{ rule: 'Median', group: {}, value: 120, ids: ['m0', 'm1', 'm2'], at: 2 }]);
  });
});

describe('temporal and temporal_ordered', () => {
  const recon = rule('title: Recon\ncorrelation: { type: temporal, rules: [a, b, c], group-by: [User], timespan: 5m }');
  const ordered = rule('title: Then\ncorrelation: { type: temporal_ordered, rules: [a, b], group-by: [User], timespan: 1m }');

  it('temporal needs every referenced rule within the timespan, in any order', () => {
    const hits = feed(engine([recon]), [
      ['c', ev('c1', 0, { User: 'alice' })],
      ['a', ev('a1', 60, { User: 'alice' })],
      ['a', ev('a2', 0, { User: 'bob' })],
      ['b', ev('b2', 10, { User: 'bob' })],
      ['b', ev('b1', 120, { User: 'alice' })],
      ['c', ev('c2', 400, { User: 'bob' })], // bob's a and b left the window long ago
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Recon', group: { User: 'alice' }, value: 3, ids: ['c1', 'a1', 'b1'], at: 120 }]);
  });

  it('temporal_ordered needs the rules in the order written, by event time', () => {
    const hits = feed(engine([ordered]), [
      ['a', ev('a1', 0, { User: 'alice' })],
      ['b', ev('b1', 10, { User: 'alice' })],
      ['b', ev('b2', 0, { User: 'bob' })],
      ['a', ev('a2', 10, { User: 'bob' })], // b before a: no
      ['b', ev('b3', 20, { User: 'bob' })], // a (10 s) then b (20 s)
    ]);
    expect(hits.map(brief)).toEqual([
      { rule: 'Then', group: { User: 'alice' }, value: 2, ids: ['a1', 'b1'], at: 10 },
      { rule: 'Then', group: { User: 'bob' }, value: 2, ids: ['b2', 'a2', 'b3'], at: 20 },
    ]);
  });

  it('temporal_ordered breaks equal timestamps by arrival, and temporal does not care', () => {
    const inputs: [string, SeerflowEvent][] = [
      ['b', ev('b1', 5, { User: 'erin' })],
      ['a', ev('a1', 5, { User: 'erin' })],
    ];
    expect(feed(engine([ordered]), inputs)).toEqual([]);
    const pair = rule('title: Both\ncorrelation: { type: temporal, rules: [a, b], group-by: [User], timespan: 1m }');
    expect(feed(engine([pair]), inputs).map(brief)).toEqual([{ rule: 'Both', group: { User: 'erin' }, value: 2, ids: ['b1', 'a1'], at: 5 }]);
  });

  it('temporal_ordered orders a late event by its own time', () => {
    const hits = feed(engine([ordered]), [
      ['b', ev('b1', 20, { User: 'frank' })],
      ['a', ev('a1', 10, { User: 'frank' })], // arrives second, happened first
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Then', group: { User: 'frank' }, value: 2, ids: ['a1', 'b1'], at: 20 }]);
  });
});

describe('aliases', () => {
  // The specification's example: the same pair of addresses, in opposite fields of two event types.
  const pair = rule(`title: Error then connection
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip, remote_ip]
  timespan: 10s
  aliases:
    internal_ip: { internal_error: destination.ip, new_network_connection: source.ip }
    remote_ip: { internal_error: source.ip, new_network_connection: destination.ip }`);

  it('groups on the field each referenced rule names', () => {
    const hits = feed(engine([pair]), [
      ['internal_error', ev('err', 0, { 'destination.ip': '10.0.0.5', 'source.ip': '203.0.113.9' })],
      ['new_network_connection', ev('other', 1, { 'source.ip': '10.0.0.6', 'destination.ip': '203.0.113.9' })],
      ['new_network_connection', ev('conn', 2, { 'source.ip': '10.0.0.5', 'destination.ip': '203.0.113.9' })],
    ]);
    expect(hits.map(brief)).toEqual([
      { rule: 'Error then connection', group: { internal_ip: '10.0.0.5', remote_ip: '203.0.113.9' }, value: 2, ids: ['err', 'conn'], at: 2 },
    ]);
  });

  it('resolves an alias keyed by name when the rule is referenced by id', () => {
    const byId = { ...pair, rules: ['5638f7c0-ac70-491d-8465-2a65075e0d86', 'new_network_connection'] };
    const target = engine([byId]);
    const first = target.process({
      ruleId: '5638f7c0-ac70-491d-8465-2a65075e0d86',
      ruleName: 'internal_error',
      event: ev('err', 0, { 'destination.ip': '10.0.0.5', 'source.ip': '203.0.113.9' }),
    });
    const second = target.process({
      ruleId: 'x',
      ruleName: 'new_network_connection',
      event: ev('conn', 1, { 'source.ip': '10.0.0.5', 'destination.ip': '203.0.113.9' }),
    });
    expect([...first, ...second].map((h) => h.group)).toEqual([{ internal_ip: '10.0.0.5', remote_ip: '203.0.113.9' }]);
  });
});

describe('conditions with an upper bound are decided when the window closes', () => {
  const quiet = rule('title: Quiet\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 10s, condition: { lt: 3 } }');

  it('waits until event time passes the window end plus the tolerance', () => {
    const target = engine([quiet], { lateToleranceNs: 5n * S });
    expect(feed(target, [['r', ev('e1', 0, { User: 'alice' })], ['r', ev('e2', 4, { User: 'alice' })]])).toEqual([]);
    expect(target.advance(T0 + 15n * S)).toEqual([]); // 15 − 5 = 10: an event at 10 s could still come
    const hits = target.advance(T0 + 15n * S + 1n);
    expect(hits.map(brief)).toEqual([{ rule: 'Quiet', group: { User: 'alice' }, value: 2, ids: ['e1', 'e2'], at: 10 }]);
    expect(target.stats().pendingCloses).toBe(0);
  });

  it('holds a range, and starts the next window after the end', () => {
    const range = rule('title: Some\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 10s, condition: { gt: 1, lte: 3 } }');
    const target = engine([range], { lateToleranceNs: 0n });
    const hits = feed(target, [
      ['r', ev('a1', 0, { User: 'alice' })],
      ['r', ev('a2', 1, { User: 'alice' })],
      ['r', ev('b1', 2, { User: 'bob' })],
      ['r', ev('b2', 3, { User: 'bob' })],
      ['r', ev('b3', 4, { User: 'bob' })],
      ['r', ev('b4', 5, { User: 'bob' })],
      ['r', ev('a3', 12, { User: 'alice' })],
      ['r', ev('a4', 13, { User: 'alice' })],
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Some', group: { User: 'alice' }, value: 2, ids: ['a1', 'a2'], at: 10 }]);
    expect(target.closeAll().map(brief)).toEqual([{ rule: 'Some', group: { User: 'alice' }, value: 2, ids: ['a3', 'a4'], at: 22 }]);
  });

  it('moves time with a match of any rule', () => {
    const target = engine([quiet], { lateToleranceNs: 0n });
    target.process({ ruleId: 'r', event: ev('e1', 0, { User: 'alice' }) });
    expect(target.process({ ruleId: 'unrelated', event: ev('x', 11) }).map(brief)).toEqual([
      { rule: 'Quiet', group: { User: 'alice' }, value: 1, ids: ['e1'], at: 10 },
    ]);
  });
});

describe('event time and the watermark', () => {
  const pair = rule('title: Pair\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 60s, condition: { gte: 2 } }');

  afterEach(() => vi.restoreAllMocks());

  it('correlates a replay of old logs exactly like live input, without reading the clock', () => {
    const OLD = 1_546_300_800n * S; // 2019-01-01
    const inputs = (base: bigint): [string, SeerflowEvent][] => [
      ['r', ev('e1', 0, { User: 'alice' }, 0n, base)],
      ['r', ev('e2', 50, { User: 'alice' }, 0n, base)],
      ['r', ev('e3', 100, { User: 'bob' }, 0n, base)],
      ['r', ev('e4', 200, { User: 'bob' }, 0n, base)],
    ];
    const [old, live] = [inputs(OLD), inputs(T0)]; // makeEvent reads the clock for its default id
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('the correlation engine read the wall clock');
    });
    const run = (list: [string, SeerflowEvent][], base: bigint) =>
      feed(engine([pair]), list).map((h) => ({ ...h, firstNs: h.firstNs - base, lastNs: h.lastNs - base, atNs: h.atNs - base }));
    const replayed = run(old, OLD);
    expect(replayed.map((h) => [h.eventIds, h.atNs])).toEqual([[['e1', 'e2'], 50n * S]]);
    expect(replayed).toEqual(run(live, T0));
  });

  it('drops events older than the watermark minus the tolerance, and files later ones in order', () => {
    const target = engine([pair], { lateToleranceNs: 30n * S });
    const hits = feed(target, [
      ['r', ev('e100', 100, { User: 'alice' })],
      ['r', ev('e60', 60, { User: 'alice' })], // 40 s late: dropped
      ['r', ev('e75', 75, { User: 'alice' })], // 25 s late: kept
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Pair', group: { User: 'alice' }, value: 2, ids: ['e75', 'e100'], at: 100 }]);
    expect([target.stats().lateDropped, target.watermarkNs]).toEqual([1, T0 + 100n * S]);
  });

  it('lets a late event complete a window that ended before the newest event', () => {
    const three = rule('title: Three\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 10s, condition: { gte: 3 } }');
    const hits = feed(engine([three], { lateToleranceNs: 30n * S }), [
      ['r', ev('e0', 0, { User: 'alice' })],
      ['r', ev('e2', 2, { User: 'alice' })],
      ['r', ev('e15', 15, { User: 'alice' })],
      ['r', ev('e5', 5, { User: 'alice' })], // [0 s, 5 s] now holds three
    ]);
    expect(hits.map(brief)).toEqual([{ rule: 'Three', group: { User: 'alice' }, value: 3, ids: ['e0', 'e2', 'e5'], at: 5 }]);
  });

  it('ignores an advance to an earlier time', () => {
    const target = engine([pair]);
    target.process({ ruleId: 'r', event: ev('e1', 100, { User: 'a' }) });
    expect([target.advance(T0), target.watermarkNs]).toEqual([[], T0 + 100n * S]);
  });
});

describe('chained correlations and generate', () => {
  // The specification's example, with 3 failures instead of 10.
  const outer = rule(`title: Failed logins then success
level: high
correlation: { type: temporal_ordered, rules: [multiple_failed_login, successful_login], group-by: [User], timespan: 10m }`);
  const inner = rule(`title: Multiple failed logins
name: multiple_failed_login
correlation: { type: event_count, rules: [failed_login], group-by: [User], timespan: 10m, condition: { gte: 3 } }`);

  const inputs = (): [string, SeerflowEvent][] => [
    ['failed_login', ev('f1', 0, { User: 'alice' })],
    ['failed_login', ev('f2', 10, { User: 'alice' })],
    ['successful_login', ev('s0', 15, { User: 'alice' })], // before the burst is complete: out of order
    ['failed_login', ev('f3', 20, { User: 'alice' })],
    ['successful_login', ev('s1', 30, { User: 'alice' })],
  ];

  it('feeds a hit to the rules that reference it, with its group values and time', () => {
    const hits = feed(engine([outer, inner]), inputs());
    expect(hits.map((h) => ({ ...brief(h), suppressed: h.suppressed, level: h.rule.level }))).toEqual([
      { rule: 'Multiple failed logins', group: { User: 'alice' }, value: 3, ids: ['f1', 'f2', 'f3'], at: 20, suppressed: true, level: undefined },
      { rule: 'Failed logins then success', group: { User: 'alice' }, value: 2, ids: ['s0', 'f1', 'f2', 'f3', 's1'], at: 30, suppressed: false, level: 'high' },
    ]);
  });

  it('suppresses the referenced rules\' own alerts unless generate is true', () => {
    const plain = engine([outer, inner]);
    expect([
      plain.suppressGenerated('5638f7c0-ac70-491d-8465-2a65075e0d86', 'failed_login'),
      plain.suppressGenerated('4d0a2c83-c62c-4ed4-b475-c7e23a9269b8', 'successful_login'),
      plain.suppressGenerated('4d0a2c83-c62c-4ed4-b475-c7e23a9269b8'),
      plain.suppressGenerated('a8418a5a', 'unrelated_rule'),
    ]).toEqual([true, true, false, false]);

    const generating = engine([{ ...outer, generate: true }, inner]);
    expect(generating.suppressGenerated('x', 'successful_login')).toBe(false);
    expect(generating.suppressGenerated('x', 'failed_login')).toBe(true);
    expect(feed(generating, inputs()).map((h) => h.suppressed)).toEqual([false, false]);
  });

  it('counts upstream hits like events', () => {
    const burst = rule('title: Burst\nname: burst\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 1h, condition: { gte: 2 } }');
    const bursts = rule('title: Bursts\ncorrelation: { type: event_count, rules: [burst], group-by: [User], timespan: 1h, condition: { gte: 2 } }');
    const hits = feed(engine([bursts, burst]), [0, 1, 2, 3].map((s): [string, SeerflowEvent] => ['r', ev(`e${s}`, s, { User: 'u' })]));
    expect(hits.map(brief)).toEqual([
      { rule: 'Burst', group: { User: 'u' }, value: 2, ids: ['e0', 'e1'], at: 1 },
      { rule: 'Burst', group: { User: 'u' }, value: 2, ids: ['e2', 'e3'], at: 3 },
      { rule: 'Bursts', group: { User: 'u' }, value: 2, ids: ['e0', 'e1', 'e2', 'e3'], at: 3 },
    ]);
  });
});

describe('memory bounds', () => {
  const never = rule('title: Never\ncorrelation: { type: event_count, rules: [r], group-by: [User], timespan: 1h, condition: { gte: 50 } }');

  it('expires idle groups by event time before any cap is needed', () => {
    const short = { ...never, timespan: '5s', timespanNs: 5n * S };
    const warnings: CorrelationWarning[] = [];
    const target = engine([short], { maxStateEntries: 10, lateToleranceNs: 0n, onWarning: (w) => warnings.push(w) });
    for (let s = 0; s < 40; s++) target.process({ ruleId: 'r', event: ev(`e${s}`, s, { User: `u${s}` }) });
    expect([warnings, target.stats().stateEntries, target.stats().stateCapDrops]).toEqual([[], 6, 0]);
  });

  it('trims what left the window from a group that stays busy', () => {
    const short = { ...never, timespan: '5s', timespanNs: 5n * S };
    const target = engine([short], { lateToleranceNs: 2n * S });
    for (let s = 0; s < 100; s++) target.process({ ruleId: 'r', event: ev(`e${s}`, s, { User: 'busy' }) });
    expect(target.stats().stateEntries).toBe(8); // 92 s … 99 s: the window plus the tolerance
  });

  it('drops the least recently active groups down to 90 % and names the setting to raise', () => {
    const warnings: CorrelationWarning[] = [];
    const target = engine([never], { maxStateEntries: 10, onWarning: (w) => warnings.push(w) });
    for (let s = 0; s < 11; s++) target.process({ ruleId: 'r', event: ev(`e${s}`, s, { User: `u${s}` }) });
    expect(warnings).toEqual([
      {
        code: 'CORRELATION_STATE_CAP',
        setting: 'maxStateEntries',
        message: 'Correlation state reached maxStateEntries (10) with nothing left to expire; dropped the 2 least recently ' +
          'active groups (2 entries), losing their partial windows. Raise maxStateEntries if this repeats.',
      },
    ]);
    expect([target.stats().stateEntries, target.stats().groups, target.stats().stateCapDrops]).toEqual([9, 9, 2]);
    expect(target.snapshot().rules[0]?.groups.map((g) => g.values.User)).toEqual(['u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9', 'u10']);
  });

  it('caps a group at maxEntriesPerGroup and warns at construction when a threshold is out of reach', () => {
    const warnings: CorrelationWarning[] = [];
    const target = engine([never], { maxEntriesPerGroup: 5, onWarning: (w) => warnings.push(w) });
    expect(warnings).toEqual([
      {
        code: 'CORRELATION_THRESHOLD_UNREACHABLE',
        setting: 'maxEntriesPerGroup',
        message: 'Correlation rule "Never" needs 50 events in one group but a group holds at most 5; raise maxEntriesPerGroup ' +
          'or the rule can never fire.',
      },
    ]);
    for (let s = 0; s < 12; s++) target.process({ ruleId: 'r', event: ev(`e${s}`, s, { User: 'u' }) });
    expect([target.stats().stateEntries, target.stats().groupCapDrops]).toEqual([5, 7]);
  });

  it('keeps at most maxEventIdsPerHit ids, the newest, while counting them all', () => {
    const five = { ...never, condition: { ...never.condition, predicates: [{ op: 'gte' as const, value: 5 }] } };
    const hits = feed(engine([five], { maxEventIdsPerHit: 2 }), [0, 1, 2, 3, 4].map((s): [string, SeerflowEvent] => ['r', ev(`e${s}`, s, { User: 'u' })]));
    expect(hits.map((h) => [h.eventIds, h.eventCount])).toEqual([[['e3', 'e4'], 5]]);
  });
});

describe('construction', () => {
  const pair = rule('title: Pair\nname: pair\ncorrelation: { type: event_count, rules: [r], timespan: 1m, condition: { gte: 2 } }');

  it('names the option at fault', () => {
    expect(() => engine([pair], { maxStateEntries: 0 })).toThrow(
      new CorrelationOptionError('maxStateEntries', 'must be a positive integer, got 0'),
    );
    expect(() => engine([pair], { lateToleranceNs: -1n })).toThrow('Invalid correlation engine option lateToleranceNs');
    expect(() => new CorrelationEngine([pair], {} as CorrelationEngineOptions)).toThrow('Invalid correlation engine option fieldOf');
  });

  it('refuses rules that do not link, pointing at linkCorrelationRules', () => {
    const loop = { ...pair, rules: ['pair'] };
    expect(() => engine([loop])).toThrow(
      'Invalid correlation engine option rules: correlation chain loops: pair → pair; pass the rules kept by linkCorrelationRules',
    );
  });

  it('turns a detection RuleMatch into an input', () => {
    const event = ev('e1', 0);
    expect(fromRuleMatch({ rule: { id: 'id1', name: 'n1' }, event })).toEqual({ ruleId: 'id1', ruleName: 'n1', event });
    expect(fromRuleMatch({ rule: { id: 'id1' }, event })).toEqual({ ruleId: 'id1', event });
  });
});
