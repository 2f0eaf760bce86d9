import { describe, expect, it } from 'vitest';
import { isWarm, warmupPolicy, warmupProgress } from './warmup.js';

const DAY = 86_400_000_000_000n;

describe('warm-up', () => {
  it('needs both the days and the events', () => {
    const policy = warmupPolicy(7, 50);
    expect(isWarm(policy, 0n, 7n * DAY, 50)).toBe(true);
    expect(isWarm(policy, 0n, 7n * DAY - 1n, 50)).toBe(false);
    expect(isWarm(policy, 0n, 30n * DAY, 49)).toBe(false);
  });

  it('warms up on events alone with warmup_days 0 (replays)', () => {
    const policy = warmupPolicy(0, 3);
    expect(isWarm(policy, 5n, 5n, 3)).toBe(true);
    expect(isWarm(policy, 5n, 5n, 2)).toBe(false);
  });

  it('reports progress, days rounded down to 0.01', () => {
    expect(warmupProgress(warmupPolicy(7, 50), 0n, (DAY * 1999n) / 1000n, 12)).toEqual({
      events_observed: 12,
      events_required: 50,
      days_observed: 1.99,
      days_required: 7,
    });
  });
});
