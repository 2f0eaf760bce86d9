/**
 * The retry policy of every sink (reference §13: 3 attempts, waits of 1 s, 2 s, 4 s…; a 4xx is
 * not retried). Pure: the delivery queue does the waiting.
 */

export interface RetryPolicy {
  /** Tries per payload, first included. */
  attempts: number;
  /** Wait after the first failure; doubles after each further one. */
  backoffBaseMs: number;
  /** Longest single wait. */
  backoffMaxMs: number;
}

/**
 * The wait after failed attempt `attempt` (1-based): base·2^(attempt−1), or longer when the
 * destination asked for it (`askedMs`), never beyond the cap.
 */
export function backoffDelayMs(policy: RetryPolicy, attempt: number, askedMs = 0): number {
  return Math.min(policy.backoffMaxMs, Math.max(askedMs, policy.backoffBaseMs * 2 ** (attempt - 1)));
}

/** An HTTP Retry-After value (delay seconds or an HTTP date) in ms from `nowMs`; 0 when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number {
  if (header === null) return 0;
  const seconds = /^\s*(\d+)\s*$/.exec(header);
  if (seconds) return Number(seconds[1]) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? 0 : Math.max(0, at - nowMs);
}

/** HTTP statuses worth another try: timeouts, rate limits and server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
