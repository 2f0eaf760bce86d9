import { describe, expect, it } from 'vitest';
import { Cusum } from './cusum.js';

const options = { drift: 0.5, threshold: 5, emaAlpha: 0.1, warmupBuckets: 5 };

function close(cusum: Cusum, minute: number, count: number): void {
  for (let k = 0; k < count; k++) cusum.observe(minute);
}

describe('Cusum', () => {
  it('does not score while warming up, then scores a steady series 0', () => {
    const cusum = new Cusum(options);
    for (let m = 0; m < 5; m++) close(cusum, m, 10);
    expect(cusum.score(5)).toBeNaN();
    close(cusum, 5, 10);
    for (let m = 6; m < 20; m++) close(cusum, m, 10);
    expect(cusum.score(19)).toBe(0);
  });

  it('scores a sustained shift rising to the change point (ln 2 and beyond), then starts over', () => {
    const cusum = new Cusum(options);
    for (let m = 0; m < 20; m++) close(cusum, m, 10);
    const scores: number[] = [];
    for (let m = 20; m < 26; m++) {
      scores.push(cusum.score(m)); // what closing bucket m − 1 gives, seen by the first event of m
      close(cusum, m, 20);
    }
    const crossing = scores.findIndex((s) => s >= Math.LN2);
    expect(crossing).toBeGreaterThan(1);
    expect(scores.slice(1, crossing).every((s, i, a) => s > 0 && s < Math.LN2 && (i === 0 || s > a[i - 1]!))).toBe(true);
    // The sums restarted at the change point: the next bucket scores lower.
    expect(scores[crossing + 1]).toBeLessThan(scores[crossing]!);
  });

  it('round-trips its state', () => {
    const cusum = new Cusum(options);
    for (let m = 0; m < 12; m++) close(cusum, m, 3 + (m % 4));
    const copy = Cusum.fromState(JSON.parse(JSON.stringify(cusum.toState())), options);
    close(cusum, 12, 9);
    close(copy, 12, 9);
    expect(copy.score(13)).toBe(cusum.score(13));
    expect(copy.toState()).toEqual(cusum.toState());
  });
});
