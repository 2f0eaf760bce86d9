/**
 * Retry with exponential backoff, and the auth circuit breaker (reference §9: 5 attempts from a
 * 1 s base; 3 consecutive 401/403 open the breaker for an hour, then one probe is let through).
 * Time and sleep are injected so tests run in milliseconds. Pure apart from the injected sleep.
 */
import { FeedError } from './feed-error.js';

export interface RetryPolicy {
  /** Total attempts, first included. */
  attempts: number;
  baseDelayMs: number;
  /** Longest single wait, also the cap on a server's Retry-After. */
  maxDelayMs: number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** 0..1, for jitter; Math.random by default. */
  random?: () => number;
}

/**
 * Runs `attempt` until it succeeds, throws a non-retryable error, or uses up the attempts. Waits
 * base·2^n (±25 % jitter) between attempts, or the server's Retry-After when it is longer.
 */
export async function withRetry<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const random = policy.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      const retryable = error instanceof FeedError && error.retryable;
      if (!retryable || n >= policy.attempts || signal?.aborted) throw error;
      const backoff = policy.baseDelayMs * 2 ** (n - 1) * (0.75 + random() * 0.5);
      const asked = (error.retryAfterS ?? 0) * 1000;
      await policy.sleep(Math.min(policy.maxDelayMs, Math.max(backoff, asked)), signal);
    }
  }
}

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new FeedError('aborted', 'cancelled'));
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(new FeedError('aborted', 'cancelled'));
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}

export type BreakerState = 'closed' | 'open' | 'half_open';

/**
 * Opens after `threshold` consecutive authentication failures and refuses attempts for `openMs`;
 * then lets one probe through (half-open): success closes it, failure opens it again.
 */
export class AuthBreaker {
  readonly #threshold: number;
  readonly #openMs: number;
  #failures = 0;
  #openedAtMs: number | null = null;

  constructor(threshold: number, openMs: number) {
    this.#threshold = threshold;
    this.#openMs = openMs;
  }

  state(nowMs: number): BreakerState {
    if (this.#openedAtMs === null) return 'closed';
    return nowMs - this.#openedAtMs >= this.#openMs ? 'half_open' : 'open';
  }

  /** Whether an attempt may go out now. */
  allows(nowMs: number): boolean {
    return this.state(nowMs) !== 'open';
  }

  /** When the breaker will let a probe through (ms), or null when closed. */
  reopensAtMs(): number | null {
    return this.#openedAtMs === null ? null : this.#openedAtMs + this.#openMs;
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  recordSuccess(): void {
    this.#failures = 0;
    this.#openedAtMs = null;
  }

  recordAuthFailure(nowMs: number): void {
    this.#failures++;
    if (this.#openedAtMs !== null || this.#failures >= this.#threshold) this.#openedAtMs = nowMs;
  }
}
