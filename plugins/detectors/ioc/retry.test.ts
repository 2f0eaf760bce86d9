import { describe, expect, it } from 'vitest';
import { FeedError } from './feed-error.js';
import { AuthBreaker, withRetry, type RetryPolicy } from './retry.js';

function policy(waits: number[]): RetryPolicy {
  return { attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, random: () => 0.5, sleep: async (ms) => void waits.push(ms) };
}

describe('withRetry', () => {
  it('retries retryable failures with exponential backoff, honouring Retry-After', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(policy(waits), async () => {
      calls++;
      if (calls === 1) throw new FeedError('network', 'reset', true);
      if (calls === 2) throw new FeedError('http_status', '503', true, 503);
      if (calls === 3) throw new FeedError('http_status', '429', true, 429, 30);
      return 'ok';
    });
    expect(result).toBe('ok');
    expect(waits).toEqual([1000, 2000, 30_000]);
  });

  it('gives up after the attempts, and at once on what retrying cannot fix', async () => {
    const waits: number[] = [];
    let calls = 0;
    await expect(withRetry(policy(waits), async () => { calls++; throw new FeedError('timeout', 'slow', true); })).rejects.toThrow('slow');
    expect(calls).toBe(5);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    calls = 0;
    await expect(withRetry(policy([]), async () => { calls++; throw new FeedError('auth', 'no', false, 401); })).rejects.toThrow('no');
    expect(calls).toBe(1);
  });
});

describe('AuthBreaker', () => {
  it('opens after consecutive auth failures, lets one probe through after the pause, and closes on success', () => {
    const breaker = new AuthBreaker(3, 3_600_000);
    breaker.recordAuthFailure(0);
    breaker.recordAuthFailure(1);
    expect(breaker.state(2)).toBe('closed');
    breaker.recordAuthFailure(2);
    expect(breaker.state(3)).toBe('open');
    expect(breaker.allows(3_600_001)).toBe(false);
    expect(breaker.state(3_600_002)).toBe('half_open');
    breaker.recordAuthFailure(3_600_002);
    expect(breaker.state(3_600_003)).toBe('open');
    expect(breaker.reopensAtMs()).toBe(7_200_002);
    breaker.recordSuccess();
    expect(breaker.state(3_600_003)).toBe('closed');
    expect(breaker.consecutiveFailures).toBe(0);
  });
});
