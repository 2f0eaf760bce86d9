import { describe, expect, it } from 'vitest';
import { HoltWinters } from './holt-winters.js';

const options = { period: 4, alpha: 0.3, beta: 0.1, gamma: 0.1, nStd: 3 };

/** `counts[i]` events in minute `start + i`. */
function feed(hw: HoltWinters, counts: number[], start = 0): void {
  counts.forEach((count, i) => {
    for (let k = 0; k < count; k++) hw.observe(start + i);
  });
}

describe('HoltWinters', () => {
  it('does not score until one full period of buckets is closed', () => {
    const hw = new HoltWinters(options);
    feed(hw, [10, 10, 10, 10]);
    expect(hw.score(3)).toBeNaN();
    hw.observe(4); // closes the fourth bucket
    expect(hw.warm).toBe(true);
    expect(hw.score(4)).toBe(0);
  });

  it('scores a burst while its bucket fills: ln(1 + excess / (n_std·σ))', () => {
    const hw = new HoltWinters(options);
    feed(hw, Array(20).fill(10));
    hw.observe(20);
    // Steady history: residuals are 0, so the Poisson floor √10 sets the scale (3·√10 ≈ 9.5).
    expect(hw.score(20)).toBe(0);
    for (let k = 1; k < 15; k++) hw.observe(20);
    expect(hw.score(20)).toBeCloseTo(Math.log1p((16 - 10) / (3 * Math.sqrt(10))), 6);
    for (let k = 15; k < 200; k++) hw.observe(20);
    // Not capped: a flood 20× the forecast scores well above a burst of 1.6×.
    expect(hw.score(20)).toBeCloseTo(Math.log1p((201 - 10) / (3 * Math.sqrt(10))), 6);
  });

  it('scores a drop once, on the event that closes the quiet bucket', () => {
    const hw = new HoltWinters(options);
    feed(hw, [...Array(20).fill(10), 0, 0]);
    hw.observe(20);
    // Minute 20 held 1 event against a forecast of 10.
    expect(hw.score(21)).toBeCloseTo(Math.log1p(9 / (3 * Math.sqrt(10))), 6);
  });

  it('ignores late events', () => {
    const hw = new HoltWinters(options);
    feed(hw, Array(10).fill(5));
    const before = JSON.stringify(hw.toState());
    hw.observe(3);
    expect(hw.score(3)).toBe(0);
    expect(JSON.stringify(hw.toState())).toBe(before);
  });

  it('continues identically after a save and restore', () => {
    const series = [3, 7, 2, 9, 4, 4, 8, 1, 6, 5, 3, 9, 0, 2, 7, 7];
    const a = new HoltWinters(options);
    feed(a, series.slice(0, 9));
    const b = HoltWinters.fromState(JSON.parse(JSON.stringify(a.toState())), options);
    const scores = (hw: HoltWinters) =>
      series.slice(9).flatMap((count, i) => Array.from({ length: count }, () => [hw.score(9 + i), hw.observe(9 + i)][0]));
    expect(scores(b)).toEqual(scores(a));
  });
});
