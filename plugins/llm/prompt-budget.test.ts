import { describe, expect, it } from 'vitest';
import { clip, fitLines } from './prompt-budget.js';

describe('prompt budget', () => {
  it('clips a field to one line of at most max characters', () => {
    expect(clip('a\n  b\tc')).toBe('a b c');
    expect(clip('abcdef', 4)).toBe('abc…');
  });

  it('keeps head and tail and drops the oldest lines first', () => {
    const fitted = fitLines('H\n', ['old', 'mid', 'new'], 'T\n', 2 + 2 + 8);
    expect(fitted).toEqual({ text: 'H\nmid\nnew\nT\n', dropped: 1 });
    expect(fitLines('H\n', ['a'], 'T\n', 100)).toEqual({ text: 'H\na\nT\n', dropped: 0 });
  });
});
