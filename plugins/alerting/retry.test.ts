import { describe, expect, it } from 'vitest';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from './retry.js';

const POLICY = { attempts: 5, backoffBaseMs: 1000, backoffMaxMs: 5000 };

describe('retry policy', () => {
  it('doubles the wait from the base, up to the cap, or waits as long as the destination asked', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffDelayMs(POLICY, attempt))).toEqual([1000, 2000, 4000, 5000]);
    expect(backoffDelayMs(POLICY, 1, 3000)).toBe(3000);
    expect(backoffDelayMs(POLICY, 1, 60_000)).toBe(5000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-30T10:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Mon, 30 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Mon, 30 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBe(0);
    expect(retryAfterMs(null, now)).toBe(0);
  });

  it('retries timeouts, rate limits and server errors, not other client errors', () => {
    expect([400, 401, 404, 408, 413, 429, 500, 503].map(isRetryableStatus)).toEqual([false, false, false, true, false, true, true, true]);
  });
});
