import { describe, expect, it } from 'vitest';
import { SigmaError } from './errors.js';
import { parseDocument, type SigmaRuleAst } from './parser.js';
import { parseYamlDocuments } from './yaml.js';

function parse(text: string): ReturnType<typeof parseDocument> {
  const { documents, errors } = parseYamlDocuments(text, 'rule.yml');
  if (errors[0]) throw errors[0];
  return parseDocument(documents[0] as NonNullable<(typeof documents)[0]>);
}

function rule(text: string): SigmaRuleAst {
  const parsed = parse(text);
  if (parsed.kind !== 'rule') throw new Error(`expected a rule, got ${parsed.kind}`);
  return parsed.rule;
}

function failure(text: string): SigmaError {
  try {
    parse(text);
  } catch (error) {
    if (error instanceof SigmaError) return error;
    throw error;
  }
  throw new Error('expected a SigmaError');
}

const MINIMAL = `title: Whoami
id: 929a690e-bef0-4204-a928-ef5e620d6fcc
status: test
level: high
date: 2019-10-23
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: Windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
        CommandLine|contains|all:
            - '/user'
            - '/priv'
    keywords:
        - 'whoami'
        - 42
    condition: selection or keywords
falsepositives:
    - Admins
`;

describe('parseDocument: rules', () => {
  it('builds the typed AST with positions', () => {
    const ast = rule(MINIMAL);
    expect(ast).toMatchObject({
      title: 'Whoami',
      id: '929a690e-bef0-4204-a928-ef5e620d6fcc',
      status: 'test',
      level: 'high',
      date: '2019-10-23',
      tags: ['attack.discovery', 'attack.t1033'],
      falsepositives: ['Admins'],
      logsource: { category: 'process_creation', product: 'windows' },
      source: { file: 'rule.yml', line: 1, col: 1 },
    });
    expect(ast.detection.searches).toEqual([
      {
        name: 'selection',
        pos: { line: 13, col: 5 },
        body: {
          kind: 'fields',
          groups: [
            {
              pos: { line: 14, col: 9 },
              items: [
                { field: 'Image', modifiers: ['endswith'], values: [{ value: '\\whoami.exe', source: '\\whoami.exe', pos: { line: 14, col: 25 } }], pos: { line: 14, col: 9 } },
                {
                  field: 'CommandLine',
                  modifiers: ['contains', 'all'],
                  values: [
                    { value: '/user', source: '/user', pos: { line: 16, col: 15 } },
                    { value: '/priv', source: '/priv', pos: { line: 17, col: 15 } },
                  ],
                  pos: { line: 15, col: 9 },
                },
              ],
            },
          ],
        },
      },
      {
        name: 'keywords',
        pos: { line: 18, col: 5 },
        body: {
          kind: 'keywords',
          values: [
            { value: 'whoami', source: 'whoami', pos: { line: 19, col: 11 } },
            { value: 42, source: '42', pos: { line: 20, col: 11 } },
          ],
        },
      },
    ]);
    expect(ast.detection.conditions[0]?.node).toEqual({
      op: 'or',
      args: [
        { op: 'ref', name: 'selection', offset: 0 },
        { op: 'ref', name: 'keywords', offset: 13 },
      ],
    });
  });

  it('reads a list of maps as OR-linked groups and a keyword map with modifiers', () => {
    const ast = rule(`title: t
logsource: {product: linux}
detection:
    sel:
        - a: 1
        - b: 2
    kw:
        '|all':
            - x
            - y
    condition: sel and kw
`);
    expect(ast.detection.searches[0]?.body).toMatchObject({ kind: 'fields', groups: [{ items: [{ field: 'a' }] }, { items: [{ field: 'b' }] }] });
    expect(ast.detection.searches[1]?.body).toMatchObject({ kind: 'fields', groups: [{ items: [{ field: '', modifiers: ['all'] }] }] });
  });

  it('accepts a list of conditions', () => {
    const ast = rule('title: t\nlogsource: {product: x}\ndetection:\n  a: {f: 1}\n  b: {f: 2}\n  condition:\n    - a\n    - b\n');
    expect(ast.detection.conditions.map((c) => c.text)).toEqual(['a', 'b']);
  });

  it('returns correlation and filter documents raw, with their line', () => {
    const correlation = parse('title: c\ncorrelation:\n  type: event_count\n  rules: [x]\n  timespan: 5m\n');
    expect(correlation).toMatchObject({ kind: 'correlation', line: 1, doc: { title: 'c', correlation: { type: 'event_count', rules: ['x'] } } });
    const filter = parse('title: f\nlogsource: {product: windows}\nfilter:\n  rules: [x]\n  selection: {User: a}\n  condition: not selection\n');
    expect(filter).toMatchObject({ kind: 'filter', file: 'rule.yml', line: 1 });
  });
});

describe('parseDocument: schema errors', () => {
  const cases: Array<[string, string, Partial<SigmaError>]> = [
    ['a list, not a map', '- a\n- b\n', { code: 'NOT_A_MAPPING', stage: 'schema', line: 1, col: 1 }],
    ['missing title', 'logsource: {product: x}\ndetection: {a: {f: 1}, condition: a}\n', { code: 'MISSING_KEY', line: 1, col: 1 }],
    ['missing detection', 'title: t\nlogsource: {product: x}\n', { code: 'MISSING_KEY' }],
    ['missing condition', 'title: t\nlogsource: {product: x}\ndetection:\n    a: {f: 1}\n', { code: 'MISSING_KEY', line: 4, col: 5 }],
    ['bad level', 'title: t\nlevel: urgent\nlogsource: {product: x}\ndetection: {a: {f: 1}, condition: a}\n', { code: 'INVALID_VALUE', line: 2, col: 8 }],
    ['bad date', 'title: t\ndate: 2021/03/09\nlogsource: {product: x}\ndetection: {a: {f: 1}, condition: a}\n', { code: 'INVALID_VALUE', line: 2, col: 7, hint: 'write it as YYYY-MM-DD' }],
    ['bad tag', 'title: t\ntags: [Attack.T1]\nlogsource: {product: x}\ndetection: {a: {f: 1}, condition: a}\n', { code: 'INVALID_VALUE', line: 2, col: 8 }],
    ['logsource not a map', 'title: t\nlogsource: windows\ndetection: {a: {f: 1}, condition: a}\n', { code: 'INVALID_TYPE', line: 2, col: 12 }],
    ['map as a value', 'title: t\nlogsource: {product: x}\ndetection:\n    a:\n        f:\n            g: 1\n    condition: a\n', { code: 'INVALID_TYPE', line: 6, col: 13 }],
    ['empty value list', 'title: t\nlogsource: {product: x}\ndetection:\n    a:\n        f: []\n    condition: a\n', { code: 'INVALID_VALUE', line: 5, col: 12 }],
    ['mixed list', 'title: t\nlogsource: {product: x}\ndetection:\n    a:\n        - x\n        - f: 1\n    condition: a\n', { code: 'INVALID_TYPE', line: 5, col: 9 }],
  ];
  it.each(cases)('%s', (_name, text, expected) => {
    expect(failure(text)).toMatchObject({ stage: 'schema', file: 'rule.yml', ...expected });
  });

  it('places a condition syntax error at its column', () => {
    const error = failure('title: t\nlogsource: {product: x}\ndetection:\n    a: {f: 1}\n    condition: a and (b\n');
    expect(error).toMatchObject({ code: 'CONDITION_SYNTAX', stage: 'compile', line: 5, col: 24 });
  });

  it('counts the quote of a quoted condition', () => {
    const error = failure("title: t\nlogsource: {product: x}\ndetection:\n    a: {f: 1}\n    condition: 'a b'\n");
    expect(error).toMatchObject({ code: 'CONDITION_SYNTAX', line: 5, col: 19 });
  });
});

describe('parseDocument: rules Sigma 2 no longer supports', () => {
  it('rejects a pipe aggregation and says what replaced it', () => {
    const error = failure('title: t\nlogsource: {product: x}\ndetection:\n    sel: {f: 1}\n    condition: sel | count() by host > 5\n');
    expect(error).toMatchObject({ code: 'LEGACY_AGGREGATION', stage: 'schema', line: 5, col: 20 });
    expect(error.hint).toMatch(/correlation rule/);
  });

  it('rejects near', () => {
    expect(failure('title: t\nlogsource: {product: x}\ndetection:\n    a: {f: 1}\n    b: {f: 2}\n    condition: a | near b\n').code).toBe('LEGACY_AGGREGATION');
  });

  it('rejects timeframe inside the detection', () => {
    const error = failure('title: t\nlogsource: {product: x}\ndetection:\n    a: {f: 1}\n    timeframe: 30s\n    condition: a\n');
    expect(error).toMatchObject({ code: 'LEGACY_TIMEFRAME', line: 5, col: 5 });
    expect(error.hint).toMatch(/timespan/);
  });

  it('rejects a rule its author marked unsupported', () => {
    const error = failure('title: t\nstatus: unsupported\nlogsource: {product: x}\ndetection: {a: {f: 1}, condition: a}\n');
    expect(error).toMatchObject({ code: 'UNSUPPORTED_STATUS', line: 2, col: 9 });
  });

  it('rejects Sigma 1 action collections', () => {
    expect(failure('action: global\ntitle: t\ndetection: {a: {f: 1}, condition: a}\n').code).toBe('LEGACY_AGGREGATION');
  });
});
