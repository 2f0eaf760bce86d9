import { describe, expect, it } from 'vitest';
import { BloomFilter, bloomSizing, fmix32 } from './bloom.js';

describe('BloomFilter', () => {
  it('is sized as the original (reference §18 vector 10)', () => {
    const sizing = bloomSizing(10_000, 0.001, 100_000, 1.25);
    expect(sizing).toEqual({ capacity: 100_000, bits: Math.ceil((-100_000 * Math.log(0.001)) / Math.LN2 ** 2), hashes: 10 });
    expect(bloomSizing(1_000_000, 0.001, 100_000, 1.25).capacity).toBe(1_250_000);
  });

  it('never forgets a key and keeps false positives near the configured rate', () => {
    const filter = new BloomFilter(bloomSizing(100_000, 0.001, 100_000, 1));
    for (let i = 0; i < 100_000; i++) filter.add(fmix32(i));
    for (let i = 0; i < 100_000; i++) expect(filter.mightContain(fmix32(i))).toBe(true);
    let falsePositives = 0;
    for (let i = 100_000; i < 1_100_000; i++) if (filter.mightContain(fmix32(i))) falsePositives++;
    expect(falsePositives / 1_000_000).toBeLessThan(0.0011);
    expect(falsePositives).toBeGreaterThan(0);
  });
});
