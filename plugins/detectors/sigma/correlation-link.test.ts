import { describe, expect, it } from 'vitest';
import { linkCorrelationRules } from './correlation-link.js';
import { parseCorrelationRule, type CorrelationRule } from './correlation-parser.js';

function rule(fields: { title: string; id?: string; name?: string; rules: string[] }, line = 1): CorrelationRule {
  const { rules, ...meta } = fields;
  const result = parseCorrelationRule(
    { ...meta, correlation: { type: 'event_count', rules, 'group-by': ['User'], timespan: '5m', condition: { gte: 2 } } },
    { file: 'pack.yml', line },
  );
  if ('error' in result) throw result.error;
  return result.rule;
}

const summary = (errors: ReturnType<typeof linkCorrelationRules>['errors']) =>
  errors.map((e) => [e.stage, e.code, e.line, e.path, e.message, e.rule]);

describe('linkCorrelationRules', () => {
  it('keeps a sound pack as is, chains included', () => {
    const rules = [rule({ title: 'outer', rules: ['inner', 'successful_login'] }), rule({ title: 'inner', name: 'inner', rules: ['failed_login'] })];
    const linked = linkCorrelationRules(rules, [{ id: 'd1', name: 'failed_login' }, { id: 'd2', name: 'successful_login' }]);
    expect(linked.rules).toEqual(rules);
    expect(linked.errors).toEqual([]);
  });

  it('rejects the later of two rules sharing an id or a name, and one shadowing a detection rule', () => {
    const rules = [
      rule({ title: 'first', id: 'x', rules: ['d'] }, 1),
      rule({ title: 'second', id: 'x', rules: ['d'] }, 10),
      rule({ title: 'third', name: 'x', rules: ['d'] }, 20),
      rule({ title: 'fourth', name: 'failed_login', rules: ['d'] }, 30),
    ];
    const linked = linkCorrelationRules(rules, [{ id: 'd' }, { id: 'd9', name: 'failed_login' }]);
    expect(linked.rules.map((r) => r.title)).toEqual(['first']);
    expect(summary(linked.errors)).toEqual([
      ['link', 'CORRELATION_DUPLICATE', 10, '/id', 'id "x" is already used by "first" (pack.yml:1)', 'x'],
      ['link', 'CORRELATION_DUPLICATE', 20, '/name', 'name "x" is already used by "first" (pack.yml:1)', 'third'],
      ['link', 'CORRELATION_DUPLICATE', 30, '/name', 'name "failed_login" is already used by a detection rule', 'fourth'],
    ]);
  });

  it('reports references that match nothing only when the detection rules are known', () => {
    const rules = [rule({ title: 'r', rules: ['failed_login', 'typo_login'] })];
    expect(linkCorrelationRules(rules).errors).toEqual([]);
    const linked = linkCorrelationRules(rules, [{ id: 'd1', name: 'failed_login' }]);
    expect(summary(linked.errors)).toEqual([
      ['link', 'CORRELATION_UNRESOLVED', 1, '/correlation/rules/1', '"typo_login" matches no rule id or name in the pack', 'r'],
    ]);
  });

  it('rejects every rule of a loop, a self-reference, and the rules built on them', () => {
    const rules = [
      rule({ title: 'A', name: 'a', rules: ['b'] }, 1),
      rule({ title: 'B', name: 'b', rules: ['a'] }, 2),
      rule({ title: 'S', name: 's', rules: ['s'] }, 3),
      rule({ title: 'On top', name: 'top', rules: ['a'] }, 4),
      rule({ title: 'Fine', name: 'fine', rules: ['d'] }, 5),
    ];
    const linked = linkCorrelationRules(rules);
    expect(linked.rules.map((r) => r.title)).toEqual(['Fine']);
    expect(summary(linked.errors)).toEqual([
      ['link', 'CORRELATION_CYCLE', 1, '/correlation/rules', 'correlation chain loops: a → b → a', 'A'],
      ['link', 'CORRELATION_CYCLE', 2, '/correlation/rules', 'correlation chain loops: a → b → a', 'B'],
      ['link', 'CORRELATION_CYCLE', 3, '/correlation/rules', 'correlation chain loops: s → s', 'S'],
      ['link', 'CORRELATION_UNRESOLVED', 4, '/correlation/rules/0', '"a" refers to a correlation rule that was rejected', 'On top'],
    ]);
  });
});
