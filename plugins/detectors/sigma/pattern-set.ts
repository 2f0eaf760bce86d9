/**
 * OR-linked string patterns of one detection item → as few tests as possible: exact values in a
 * Set, prefixes and suffixes in Sets per length, substrings in one Aho–Corasick automaton, once
 * there are GROUP_THRESHOLD or more of a kind; globs stay individual. Long value lists (SigmaHQ
 * has items with hundreds of values) then cost a few lookups instead of one check per value.
 */
import { LiteralAutomaton } from './aho-corasick.js';
import type { ValueTest } from './modifiers.js';
import type { CompiledPattern } from './pattern.js';

/** One test passing when any of the patterns matches. */
export function anyPattern(patterns: readonly CompiledPattern[]): ValueTest {
  const grouped = groupPatterns(patterns);
  if (grouped.length === 1) return grouped[0] as ValueTest;
  return (raw, text, lower, view) => {
    for (let i = 0; i < grouped.length; i++) if ((grouped[i] as ValueTest)(raw, text, lower, view)) return true;
    return false;
  };
}

/** Patterns above this count per kind are matched as a set rather than one by one. */
export const GROUP_THRESHOLD = 4;

/**
 * OR-linked patterns → few tests: exact values in a Set, prefixes and suffixes in Sets per
 * length, substrings in one Aho–Corasick automaton; globs stay individual.
 */
export function groupPatterns(patterns: readonly CompiledPattern[]): ValueTest[] {
  const out: ValueTest[] = [];
  for (const cased of [false, true]) {
    const mine = patterns.filter((pattern) => pattern.cased === cased);
    const pick = (text: string, lower: string) => (cased ? text : lower);
    const byKind = (kind: CompiledPattern['kind']) => mine.filter((pattern) => pattern.kind === kind);
    if (mine.some((pattern) => pattern.kind === 'any')) {
      out.push(() => true);
      continue;
    }
    const eq = byKind('eq');
    if (eq.length >= GROUP_THRESHOLD) {
      const set = new Set(eq.map((pattern) => pattern.text));
      out.push((_raw, text, lower) => set.has(pick(text, lower)));
    } else out.push(...eq.map((pattern) => individual(pattern)));
    for (const kind of ['prefix', 'suffix'] as const) {
      const list = byKind(kind);
      if (list.length < GROUP_THRESHOLD) {
        out.push(...list.map((pattern) => individual(pattern)));
        continue;
      }
      const byLength = new Map<number, Set<string>>();
      for (const pattern of list) {
        const set = byLength.get(pattern.text.length) ?? new Set<string>();
        set.add(pattern.text);
        byLength.set(pattern.text.length, set);
      }
      const lengths = [...byLength.keys()].sort((a, b) => a - b);
      const sets = lengths.map((length) => byLength.get(length) as Set<string>);
      out.push((_raw, text, lower) => {
        const value = pick(text, lower);
        for (let i = 0; i < lengths.length; i++) {
          const length = lengths[i] as number;
          if (length > value.length) return false;
          const part = kind === 'prefix' ? value.slice(0, length) : value.slice(value.length - length);
          if ((sets[i] as Set<string>).has(part)) return true;
        }
        return false;
      });
    }
    const contains = byKind('contains');
    if (contains.length >= GROUP_THRESHOLD) {
      const automaton = new LiteralAutomaton(contains.map((pattern) => pattern.text));
      out.push((_raw, text, lower) => automaton.test(pick(text, lower)));
    } else out.push(...contains.map((pattern) => individual(pattern)));
    out.push(...byKind('glob').map((pattern) => individual(pattern)));
  }
  return out;
}

function individual(pattern: CompiledPattern): ValueTest {
  return pattern.cased ? (_raw, text) => pattern.test(text) : (_raw, _text, lower) => pattern.test(lower);
}

/** Higher is more selective: the shortest literal's length. */
