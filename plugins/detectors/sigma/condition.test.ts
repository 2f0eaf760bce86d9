import { describe, expect, it } from 'vitest';
import { ConditionError, MAX_CONDITION_DEPTH, MAX_CONDITION_LENGTH, conditionNames, parseCondition } from './condition.js';

function fails(text: string): ConditionError {
  try {
    parseCondition(text);
  } catch (error) {
    if (error instanceof ConditionError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to fail`);
}

describe('parseCondition', () => {
  it('parses a single identifier', () => {
    expect(parseCondition('selection')).toEqual({ op: 'ref', name: 'selection', offset: 0 });
  });

  it('binds and tighter than or, not tighter than and', () => {
    expect(parseCondition('a or b and not c')).toEqual({
      op: 'or',
      args: [
        { op: 'ref', name: 'a', offset: 0 },
        { op: 'and', args: [{ op: 'ref', name: 'b', offset: 5 }, { op: 'not', arg: { op: 'ref', name: 'c', offset: 15 } }] },
      ],
    });
  });

  it('lets parentheses override precedence', () => {
    expect(parseCondition('(a or b) and c')).toEqual({
      op: 'and',
      args: [
        { op: 'or', args: [{ op: 'ref', name: 'a', offset: 1 }, { op: 'ref', name: 'b', offset: 6 }] },
        { op: 'ref', name: 'c', offset: 13 },
      ],
    });
  });

  it('parses 1 of / all of with patterns and them', () => {
    expect(parseCondition('1 of selection_*')).toEqual({ op: 'of', count: 1, pattern: 'selection_*', offset: 0 });
    expect(parseCondition('all of them')).toEqual({ op: 'of', count: 'all', pattern: null, offset: 0 });
    expect(parseCondition('1 of them')).toEqual({ op: 'of', count: 1, pattern: null, offset: 0 });
    expect(parseCondition('2 of sel*')).toEqual({ op: 'of', count: 2, pattern: 'sel*', offset: 0 });
  });

  it('binds not to a quantified term', () => {
    expect(parseCondition('sel and not 1 of filter*')).toEqual({
      op: 'and',
      args: [{ op: 'ref', name: 'sel', offset: 0 }, { op: 'not', arg: { op: 'of', count: 1, pattern: 'filter*', offset: 12 } }],
    });
  });

  it('accepts operators in any case and identifiers with dots, dashes and wildcards', () => {
    expect(parseCondition('A AND NOT b-1.x')).toEqual({
      op: 'and',
      args: [{ op: 'ref', name: 'A', offset: 0 }, { op: 'not', arg: { op: 'ref', name: 'b-1.x', offset: 10 } }],
    });
  });

  it('lists the names it uses', () => {
    expect(conditionNames(parseCondition('a and (b or not 1 of c*) or all of them'))).toEqual(['a', 'b', 'c*']);
  });
});

describe('parseCondition errors', () => {
  it('rejects the legacy pipe aggregation with a hint to correlation rules', () => {
    const error = fails('selection | count() by SourceIp > 10');
    expect(error.code).toBe('LEGACY_AGGREGATION');
    expect(error.offset).toBe(10);
    expect(error.hint).toMatch(/correlation rule/);
  });

  it('rejects near', () => {
    const error = fails('selection1 and near selection2');
    expect(error.code).toBe('LEGACY_AGGREGATION');
    expect(error.offset).toBe(15);
  });

  it('reports unbalanced parentheses with the position', () => {
    expect(fails('(a or b').offset).toBe(7);
    expect(fails('(a or b').message).toMatch(/missing "\)"/);
    expect(fails('a or b)').offset).toBe(6);
  });

  it('reports a dangling operator and a missing operator', () => {
    expect(fails('a and').message).toMatch(/ends where a selection name was expected/);
    expect(fails('a b').message).toMatch(/expected "and" or "or" before "b"/);
    expect(fails('a and or b').offset).toBe(6);
  });

  it('rejects "of" without a target and a bare number', () => {
    expect(fails('1 of').code).toBe('CONDITION_SYNTAX');
    expect(fails('0 of them').message).toMatch(/at least 1/);
    expect(fails('1 selection').message).toMatch(/must be followed by "of"/);
  });

  it('rejects unexpected characters', () => {
    const error = fails('a && b');
    expect(error.code).toBe('CONDITION_SYNTAX');
    expect(error.offset).toBe(2);
  });

  it('bounds length and depth', () => {
    expect(fails('a or '.repeat(MAX_CONDITION_LENGTH / 5 + 1) + 'a').code).toBe('CONDITION_LIMIT');
    expect(fails('('.repeat(MAX_CONDITION_DEPTH + 1) + 'a' + ')'.repeat(MAX_CONDITION_DEPTH + 1)).code).toBe('CONDITION_LIMIT');
    expect(fails('not '.repeat(MAX_CONDITION_DEPTH + 1) + 'a').code).toBe('CONDITION_LIMIT');
  });
});
