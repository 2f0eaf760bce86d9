import { describe, expect, it } from 'vitest';
import { isMap, isNode, isScalar, LineCounter, parseDocument } from 'yaml';
import {
  correlationSource,
  CorrelationRuleError,
  parseCorrelationRule,
  parseTimespan,
  type CorrelationRule,
  type CorrelationSource,
} from './correlation-parser.js';
import type { YNode, YScalar } from './yaml.js';

/** Parse YAML text as the loader would, with a locator answering from the YAML node ranges. */
function parse(text: string, file = 'rules/mr_test.yml') {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter });
  const source: CorrelationSource = {
    file,
    line: 1,
    locate: (path, part) => {
      let node = path.length === 0 ? document.contents : document.getIn(path, true);
      if (part === 'key') {
        const parent = path.length < 2 ? document.contents : document.getIn(path.slice(0, -1), true);
        node = isMap(parent) ? parent.items.find((pair) => isScalar(pair.key) && pair.key.value === path.at(-1))?.key : undefined;
      }
      if (!isNode(node) || node.range == null) return undefined;
      return lineCounter.linePos(node.range[0]);
    },
  };
  return parseCorrelationRule(document.toJS(), source);
}

function ok(text: string): CorrelationRule {
  const result = parse(text);
  if ('error' in result) throw result.error;
  return result.rule;
}

function error(text: string): CorrelationRuleError {
  const result = parse(text);
  if ('rule' in result) throw new Error('expected an error');
  return result.error;
}

describe('parseCorrelationRule: valid rules', () => {
  it('reads an event_count rule in full', () => {
    const rule = ok(`title: Many failed logins
id: 0e95725d-7320-415d-80f7-004da920fc11
name: many_failed_logins
level: high
status: experimental
description: brute force
tags: [attack.credential_access, attack.t1110]
correlation:
    type: event_count
    rules:
        - 5638f7c0-ac70-491d-8465-2a65075e0d86
        - failed_login
    group-by:
        - ComputerName
    timespan: 1h
    condition:
        gte: 100
`);
    expect(rule).toEqual({
      title: 'Many failed logins',
      id: '0e95725d-7320-415d-80f7-004da920fc11',
      name: 'many_failed_logins',
      level: 'high',
      status: 'experimental',
      description: 'brute force',
      tags: ['attack.credential_access', 'attack.t1110'],
      type: 'event_count',
      rules: ['5638f7c0-ac70-491d-8465-2a65075e0d86', 'failed_login'],
      groupBy: ['ComputerName'],
      timespan: '1h',
      timespanNs: 3_600_000_000_000n,
      condition: { predicates: [{ op: 'gte', value: 100 }], fields: [], implicit: false },
      aliases: {},
      generate: false,
      file: 'rules/mr_test.yml',
      line: 1,
    });
  });

  it('reads value_count with several fields (distinct tuples) and a range condition', () => {
    const rule = ok(`title: t
correlation: { type: value_count, rules: [a], group-by: [Host], timespan: 1d, condition: { field: [User, Domain], gt: 100, lte: 200 } }`);
    expect(rule.condition).toEqual({
      predicates: [{ op: 'gt', value: 100 }, { op: 'lte', value: 200 }],
      fields: ['User', 'Domain'],
      implicit: false,
    });
  });

  it('reads value_sum, value_avg with a float threshold, and value_percentile with and without percentile', () => {
    expect(ok('title: t\ncorrelation: { type: value_sum, rules: [a], group-by: [ip], timespan: 1h, condition: { field: bytes, gt: 1000000 } }').condition)
      .toEqual({ predicates: [{ op: 'gt', value: 1_000_000 }], fields: ['bytes'], implicit: false });
    expect(ok('title: t\ncorrelation: { type: value_avg, rules: [a], group-by: [ip], timespan: 1h, condition: { field: [ms], gt: 2.5 } }').condition)
      .toEqual({ predicates: [{ op: 'gt', value: 2.5 }], fields: ['ms'], implicit: false });
    expect(ok('title: t\ncorrelation: { type: value_percentile, rules: [a], group-by: [h], timespan: 1h, condition: { field: ms, percentile: 95, gte: 900 } }').condition)
      .toEqual({ predicates: [{ op: 'gte', value: 900 }], fields: ['ms'], percentile: 95, implicit: false });
    expect(ok('title: t\ncorrelation: { type: value_percentile, rules: [a], group-by: [h], timespan: 1h, condition: { field: ms, lte: 1 } }').condition.percentile)
      .toBe(50);
  });

  it('defaults a temporal condition to "every referenced rule"', () => {
    const rule = ok('title: t\ncorrelation: { type: temporal, rules: [a, b, c], group-by: [User], timespan: 5m }');
    expect(rule.condition).toEqual({ predicates: [{ op: 'gte', value: 3 }], fields: [], implicit: true });
    const ordered = ok('title: t\ncorrelation: { type: temporal_ordered, rules: [a, b], group-by: [User], timespan: 5m, condition: { gte: 1 } }');
    expect(ordered.condition).toEqual({ predicates: [{ op: 'gte', value: 1 }], fields: [], implicit: false });
  });

  it('reads aliases and generate (top level, or inside correlation as pySigma writes it)', () => {
    const rule = ok(`title: t
generate: true
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip]
  timespan: 10s
  aliases:
    internal_ip:
      internal_error: destination.ip
      new_network_connection: source.ip
`);
    expect(rule.aliases).toEqual({ internal_ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' } });
    expect(rule.generate).toBe(true);
    expect(ok('title: t\ncorrelation: { type: event_count, rules: [a], group-by: [u], timespan: 1m, condition: { gte: 2 }, generate: true }').generate).toBe(true);
  });

  it('accepts a lone string for rules and group-by, and no group-by at all', () => {
    const rule = ok('title: t\ncorrelation: { type: event_count, rules: a, group-by: User, timespan: 1m, condition: { gte: 2 } }');
    expect([rule.rules, rule.groupBy]).toEqual([['a'], ['User']]);
    expect(ok('title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { gte: 2 } }').groupBy).toEqual([]);
  });
});

describe('parseTimespan', () => {
  it('reads every unit', () => {
    expect(['30s', '90m', '2h', '7d', '1w', '1M', '1y'].map(parseTimespan)).toEqual([
      30_000_000_000n,
      5_400_000_000_000n,
      7_200_000_000_000n,
      604_800_000_000_000n,
      604_800_000_000_000n,
      2_592_000_000_000_000n,
      31_536_000_000_000_000n,
    ]);
  });

  it('rejects zero, missing units, upper-case units other than M, spaces and fractions', () => {
    expect(['0s', '60', '1H', '1 h', '1.5h', 'h', '-1m', ''].map(parseTimespan)).toEqual(new Array(8).fill(undefined));
  });
});

describe('parseCorrelationRule: errors name the code, the place and the fix', () => {
  it('points at a bad timespan by line and column', () => {
    const e = error(`title: t
correlation:
  type: event_count
  rules: [a]
  group-by: [u]
  timespan: 1H
  condition: { gte: 2 }
`);
    expect(e).toBeInstanceOf(CorrelationRuleError);
    expect([e.stage, e.code, e.file, e.line, e.col, e.path, e.rule]).toEqual(['schema', 'CORRELATION_BAD_TIMESPAN', 'rules/mr_test.yml', 6, 13, '/correlation/timespan', 't']);
    expect(e.message).toBe('invalid timespan "1H"');
    expect(String(e)).toBe('[schema] rules/mr_test.yml:6:13 /correlation/timespan: invalid timespan "1H" (hint: a positive integer and one unit ' +
      'letter: 30s, 5m, 1h, 7d (also w, M = 30 days, y = 365 days))');
  });

  it('tells how to fix a timespan without a unit', () => {
    const e = error('title: t\ncorrelation: { type: event_count, rules: [a], timespan: 60, condition: { gte: 2 } }');
    expect([e.code, e.path, e.hint]).toEqual(['CORRELATION_WRONG_TYPE', '/correlation/timespan', 'add a unit: 60s']);
  });

  it('falls back to the document line when no locator is given', () => {
    const result = parseCorrelationRule({ title: 't', correlation: { type: 'nope' } }, { file: 'pack.yml', line: 41 });
    expect('error' in result && [result.error.line, result.error.col, result.error.code, result.error.hint]).toEqual([
      41,
      undefined,
      'CORRELATION_BAD_VALUE',
      'use one of event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile',
    ]);
  });

  it.each([
    ['a list', '- title: t', 'CORRELATION_NOT_A_MAPPING', '/'],
    ['no title', 'correlation: { type: temporal, rules: [a], timespan: 1m }', 'CORRELATION_MISSING_KEY', '/'],
    ['a long title', `title: ${'x'.repeat(257)}\ncorrelation: { type: temporal, rules: [a], timespan: 1m }`, 'CORRELATION_BAD_VALUE', '/title'],
    ['a bad level', 'title: t\nlevel: severe\ncorrelation: { type: temporal, rules: [a], timespan: 1m }', 'CORRELATION_BAD_VALUE', '/level'],
    ['no correlation', 'title: t', 'CORRELATION_MISSING_KEY', '/'],
    ['detection too', 'title: t\ndetection: { sel: { a: 1 }, condition: sel }\ncorrelation: { type: temporal, rules: [a], timespan: 1m }', 'CORRELATION_BAD_VALUE', '/'],
    ['no rules', 'title: t\ncorrelation: { type: temporal, timespan: 1m }', 'CORRELATION_MISSING_KEY', '/correlation'],
    ['empty rules', 'title: t\ncorrelation: { type: temporal, rules: [], timespan: 1m }', 'CORRELATION_BAD_VALUE', '/correlation/rules'],
    ['a repeated rule', 'title: t\ncorrelation: { type: temporal, rules: [a, a], timespan: 1m }', 'CORRELATION_BAD_VALUE', '/correlation/rules/1'],
    ['a numeric rule id', 'title: t\ncorrelation: { type: temporal, rules: [a, 12], timespan: 1m }', 'CORRELATION_WRONG_TYPE', '/correlation/rules/1'],
    ['no timespan', 'title: t\ncorrelation: { type: temporal, rules: [a] }', 'CORRELATION_MISSING_KEY', '/correlation'],
    ['no condition', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m }', 'CORRELATION_MISSING_KEY', '/correlation'],
    ['a condition string', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: gte 5 }', 'CORRELATION_WRONG_TYPE', '/correlation/condition'],
    ['an unknown operator', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { ge: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition/ge'],
    ['a quoted number', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { gte: "5" } }', 'CORRELATION_WRONG_TYPE', '/correlation/condition/gte'],
    ['no comparison', 'title: t\ncorrelation: { type: value_sum, rules: [a], timespan: 1m, condition: { field: b } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition'],
    ['field on event_count', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { field: u, gte: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition/field'],
    ['no field on value_sum', 'title: t\ncorrelation: { type: value_sum, rules: [a], timespan: 1m, condition: { gt: 5 } }', 'CORRELATION_MISSING_KEY', '/correlation/condition'],
    ['two fields on value_avg', 'title: t\ncorrelation: { type: value_avg, rules: [a], timespan: 1m, condition: { field: [a, b], gt: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition/field'],
    ['percentile 101', 'title: t\ncorrelation: { type: value_percentile, rules: [a], timespan: 1m, condition: { field: a, percentile: 101, gt: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition/percentile'],
    ['percentile on value_avg', 'title: t\ncorrelation: { type: value_avg, rules: [a], timespan: 1m, condition: { field: a, percentile: 90, gt: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition/percentile'],
    ['an empty range', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { gt: 10, lt: 5 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition'],
    ['eq and neq alike', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { eq: 3, neq: 3 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition'],
    ['more rules than referenced', 'title: t\ncorrelation: { type: temporal, rules: [a, b], timespan: 1m, condition: { gte: 3 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition'],
    ['a count below one', 'title: t\ncorrelation: { type: event_count, rules: [a], timespan: 1m, condition: { lt: 1 } }', 'CORRELATION_BAD_CONDITION', '/correlation/condition'],
    ['an alias to a number', 'title: t\ncorrelation: { type: temporal, rules: [a], timespan: 1m, aliases: { ip: { a: 5 } } }', 'CORRELATION_WRONG_TYPE', '/correlation/aliases/ip/a'],
    ['two generates', 'title: t\ngenerate: true\ncorrelation: { type: temporal, rules: [a], timespan: 1m, generate: false }', 'CORRELATION_BAD_VALUE', '/correlation/generate'],
    ['generate as text', 'title: t\ngenerate: "yes"\ncorrelation: { type: temporal, rules: [a], timespan: 1m }', 'CORRELATION_WRONG_TYPE', '/generate'],
  ])('rejects %s', (_name, text, code, path) => {
    const e = error(text);
    expect([e.stage, e.code, e.path]).toEqual(['schema', code, path]);
  });

  it('rejects unknown correlation keys with a suggestion', () => {
    const cases = [
      ['groupby: [u]', 'write `group-by`'],
      ['Group_By: [u]', 'write `group-by`'],
      ['timeframe: 5m', 'Sigma v2 correlations use `timespan`'],
      ['foo: 1', 'known keys: type, rules, group-by, timespan, condition, aliases, generate'],
    ];
    for (const [line, hint] of cases) {
      const e = error(`title: t\ncorrelation:\n  type: temporal\n  rules: [a]\n  timespan: 1m\n  ${line}\n`);
      expect([e.code, e.line, e.col, e.hint]).toEqual(['CORRELATION_UNKNOWN_KEY', 6, 3, hint]);
    }
  });

  it('never throws on odd input', () => {
    for (const doc of [null, undefined, 42, 'text', [], { title: 't', correlation: [] }, { title: 't', correlation: { type: 5 } }]) {
      expect('error' in parseCorrelationRule(doc, { file: 'f', line: 1 })).toBe(true);
    }
  });
});

describe('correlationSource', () => {
  // The loader's positioned tree (yaml.ts YNode) for:
  //   1 title: t
  //   2 correlation:
  //   3   type: event_count
  //   4   rules: [a, 7]
  const at = (line: number, col: number) => ({ line, col });
  const scalar = (value: string | number, line: number, col: number): YScalar =>
    ({ kind: 'scalar', value, source: String(value), style: 'plain', pos: at(line, col) });
  const node: YNode = {
    kind: 'map',
    pos: at(1, 1),
    entries: [
      { key: 'title', keyPos: at(1, 1), value: scalar('t', 1, 8) },
      {
        key: 'correlation',
        keyPos: at(2, 1),
        value: {
          kind: 'map',
          pos: at(3, 3),
          entries: [
            { key: 'type', keyPos: at(3, 3), value: scalar('event_count', 3, 9) },
            { key: 'rules', keyPos: at(4, 3), value: { kind: 'seq', pos: at(4, 10), items: [scalar('a', 4, 11), scalar(7, 4, 14)] } },
          ],
        },
      },
    ],
  };

  it('locates values, keys and list items in the loader tree', () => {
    const source = correlationSource({ file: 'pack.yml', line: 1, node });
    expect(source.locate?.(['correlation', 'type'])).toEqual(at(3, 9));
    expect(source.locate?.(['correlation', 'type'], 'key')).toEqual(at(3, 3));
    expect(source.locate?.(['correlation', 'rules', 1])).toEqual(at(4, 14));
    expect(source.locate?.(['correlation', 'missing'])).toBeUndefined();
    expect(source.locate?.([])).toEqual(at(1, 1));
  });

  it('gives errors their position', () => {
    const doc = { title: 't', correlation: { type: 'event_count', rules: ['a', 7] } };
    const result = parseCorrelationRule(doc, correlationSource({ file: 'pack.yml', line: 1, node }));
    expect('error' in result && [result.error.code, result.error.line, result.error.col]).toEqual(['CORRELATION_WRONG_TYPE', 4, 14]);
  });
});
