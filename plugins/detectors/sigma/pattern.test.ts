import { describe, expect, it } from 'vitest';
import { ANY, ONE, anchorPattern, compilePattern, longestLiteral, parseSigmaString } from './pattern.js';

describe('parseSigmaString', () => {
  it('reads wildcards and the escape rules of the specification', () => {
    expect(parseSigmaString('C:\\Windows\\*.exe')).toEqual(['C:\\Windows*.exe']); // \* is an escaped star
    expect(parseSigmaString('C:\\Windows\\\\*.exe')).toEqual(['C:\\Windows\\', ANY, '.exe']);
    expect(parseSigmaString('C:\\\\Windows')).toEqual(['C:\\Windows']);
    expect(parseSigmaString('a\\*b\\?c')).toEqual(['a*b?c']);
    expect(parseSigmaString('a\\\\*')).toEqual(['a\\', ANY]);
    expect(parseSigmaString('a\\\\\\*')).toEqual(['a\\*']);
    expect(parseSigmaString('a\\\\\\\\b')).toEqual(['a\\\\b']);
    expect(parseSigmaString('**x??')).toEqual([ANY, 'x', ONE, ONE]);
    expect(parseSigmaString('')).toEqual([]);
  });
});

describe('compilePattern', () => {
  const test = (raw: string, text: string, position: 'eq' | 'contains' | 'startswith' | 'endswith' = 'eq', cased = false) => {
    const pattern = compilePattern(anchorPattern(parseSigmaString(raw), position), cased);
    return pattern.test(cased ? text : text.toLowerCase());
  };

  it('picks the fast form and matches', () => {
    expect(compilePattern(parseSigmaString('abc'), false).kind).toBe('eq');
    expect(compilePattern(parseSigmaString('abc*'), false).kind).toBe('prefix');
    expect(compilePattern(parseSigmaString('*abc'), false).kind).toBe('suffix');
    expect(compilePattern(parseSigmaString('*abc*'), false).kind).toBe('contains');
    expect(compilePattern(parseSigmaString('*'), false).kind).toBe('any');
    expect(compilePattern(parseSigmaString('a*b'), false).kind).toBe('glob');
    expect(test('ABC', 'abc')).toBe(true);
    expect(test('ABC', 'abc', 'eq', true)).toBe(false);
    expect(test('b', 'abc', 'contains')).toBe(true);
    expect(test('', '', 'eq')).toBe(true);
    expect(test('', 'x', 'eq')).toBe(false);
  });

  it('matches globs without backtracking blow-up', () => {
    expect(test('a*b*c', 'axxbyyc')).toBe(true);
    expect(test('a*b*c', 'axxbyy')).toBe(false);
    expect(test('a?c', 'abc')).toBe(true);
    expect(test('a?c', 'ac')).toBe(false);
    expect(test('*a?c*', 'zzabczz')).toBe(true);
    expect(test('a*?', 'a')).toBe(false);
    expect(test('a*?', 'ab')).toBe(true);
    expect(test('ab*ba', 'aba')).toBe(false);
    expect(test('ab*ba', 'abba')).toBe(true);
    expect(test('*x*x*x*x*x*y', 'x'.repeat(200_000))).toBe(false);
  });

  it('agrees with a regular expression on random inputs', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const alphabet = 'ab*?';
    for (let i = 0; i < 2000; i++) {
      const raw = Array.from({ length: 1 + rand(6) }, () => alphabet[rand(4)]).join('');
      const text = Array.from({ length: rand(8) }, () => 'ab'[rand(2)]).join('');
      const regex = new RegExp(`^${raw.replace(/\*+/g, '.*').replace(/\?/g, '.')}$`, 's');
      expect(test(raw, text), `${raw} ~ ${text}`).toBe(regex.test(text));
    }
  });

  it('exposes the longest literal for the prefilter', () => {
    expect(longestLiteral(parseSigmaString('*\\system32\\\\*.exe'))).toBe('\\system32\\');
    expect(compilePattern(parseSigmaString('*Mimikatz*'), false).literal).toBe('mimikatz');
  });
});
