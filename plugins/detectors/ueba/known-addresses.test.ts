import { describe, expect, it } from 'vitest';
import { KnownAddresses, sourceNoveltyScore } from './known-addresses.js';

describe('KnownAddresses', () => {
  it('forgets the least recently seen address beyond its cap', () => {
    const known = new KnownAddresses(2);
    known.observe('10.0.0.1', 1n);
    known.observe('10.0.0.2', 2n);
    known.observe('10.0.0.1', 3n); // seen again: now the most recent
    known.observe('10.0.0.3', 4n);
    expect(known.entries()).toEqual([
      ['10.0.0.1', 3n],
      ['10.0.0.3', 4n],
    ]);
  });

  it('does not move an address back in time on a late event', () => {
    const known = new KnownAddresses(4);
    known.observe('10.0.0.1', 10n);
    known.observe('10.0.0.2', 20n);
    known.observe('10.0.0.1', 5n);
    expect(known.entries()).toEqual([
      ['10.0.0.1', 10n],
      ['10.0.0.2', 20n],
    ]);
  });

  it('scores the share of an event’s addresses that are new', () => {
    const known = new KnownAddresses(8);
    known.observe('10.0.0.1', 1n);
    expect(sourceNoveltyScore(known, ['10.0.0.1'])).toBe(0);
    expect(sourceNoveltyScore(known, ['10.0.0.1', '198.51.100.7'])).toBe(0.5);
    expect(sourceNoveltyScore(known, ['198.51.100.7'])).toBe(1);
    expect(sourceNoveltyScore(known, [])).toBe(0);
  });

});
