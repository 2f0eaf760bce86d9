import { describe, expect, it } from 'vitest';
import { LiteralAutomaton } from './aho-corasick.js';

function found(automaton: LiteralAutomaton, text: string): number[] {
  const hits = new Set<number>();
  automaton.scan(text, (literal) => hits.add(literal));
  return [...hits].sort((a, b) => a - b);
}

describe('LiteralAutomaton', () => {
  it('finds every occurrence, overlapping ones included', () => {
    const automaton = new LiteralAutomaton(['he', 'she', 'his', 'hers']);
    expect(found(automaton, 'ushers')).toEqual([0, 1, 3]);
    expect(found(automaton, 'xyz')).toEqual([]);
    expect(automaton.test('ahis')).toBe(true);
    expect(automaton.test('hi')).toBe(false);
  });

  it('agrees with indexOf on random texts, exactly and with folded non-ASCII classes', () => {
    let seed = 11;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n);
    const alphabet = 'abc\u00e9\u4e2d';
    const word = (max: number) => Array.from({ length: 1 + rand(max) }, () => alphabet[rand(alphabet.length)]).join('');
    const literals = [...new Set(Array.from({ length: 60 }, () => word(5)))];
    const exact = new LiteralAutomaton(literals);
    const folded = new LiteralAutomaton(literals, { wideBuckets: 1 });
    for (let i = 0; i < 300; i++) {
      const text = word(40);
      const expected = literals.map((literal, index) => (text.includes(literal) ? index : -1)).filter((index) => index >= 0);
      expect(found(exact, text)).toEqual(expected);
      expect(exact.test(text)).toBe(expected.length > 0);
      // Folding may report more, never less.
      expect(found(folded, text)).toEqual(expect.arrayContaining(expected));
    }
  });
});
