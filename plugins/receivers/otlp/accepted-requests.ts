/**
 * Idempotent OTLP retries: remembers the requests the receiver accepted, by a digest of their
 * exact bytes (after gunzip) and media type, so that a client resending one (after a 503 or
 * UNAVAILABLE on a slow commit, or after its own timeout) never has its records stored twice.
 *
 * - While the first copy waits for its commit, a resend waits on that same commit.
 * - Once committed, a resend within `windowNs` (by the runtime clock, from the commit) is
 *   answered at once.
 * - A refused request (queue full) is not remembered: its resend must be submitted.
 *
 * Bounded: at most `maxEntries` requests are remembered, committed ones evicted first, oldest
 * first; a bound can only let a duplicate through, never lose a record. Byte-identical bodies
 * within the window count as one request whoever sends them; OTLP bodies carry per-record times
 * and resource attributes, so only records sent twice on purpose are taken for a resend.
 */
import crypto from 'node:crypto';
import type { ClockNs } from '../../../main/core/clock.js';

export interface RetryMemoryLimits {
  /** Requests remembered at most, waiting or committed (default 10,000). */
  maxEntries: number;
  /** How long after its commit a request is remembered, in ns (default 10 minutes). */
  windowNs: bigint;
}

export const DEFAULT_RETRY_MEMORY: RetryMemoryLimits = { maxEntries: 10_000, windowNs: 600_000_000_000n };

/** The 503 / UNAVAILABLE text once the commit timeout passes, true because of this memory. */
export const STILL_COMMITTING =
  'the records were accepted and are still being committed; resending this same request will not store them twice';

/** Key of a request: sha256 of its media type and its exact (decompressed) bytes. */
export function requestDigest(mediaType: string, body: Uint8Array): string {
  return crypto.createHash('sha256').update(mediaType).update('\n').update(body).digest('base64');
}

export class AcceptedRequests {
  readonly #clock: ClockNs;
  readonly #limits: RetryMemoryLimits;
  readonly #waiting = new Map<string, Promise<void>>();
  /** Digest → commit time; insertion order is commit order, so expiry sweeps from the front. */
  readonly #committed = new Map<string, bigint>();
  #deduplicated = 0;

  constructor(clock: ClockNs, limits: RetryMemoryLimits = DEFAULT_RETRY_MEMORY) {
    if (limits.maxEntries < 1 || limits.windowNs < 0n) {
      throw new Error(`AcceptedRequests needs maxEntries >= 1 and windowNs >= 0 (got ${limits.maxEntries}, ${limits.windowNs})`);
    }
    this.#clock = clock;
    this.#limits = limits;
  }

  /** Resends answered without submitting, since start. */
  get deduplicated(): number {
    return this.#deduplicated;
  }

  /** Requests remembered now (waiting for their commit or committed within the window). */
  get size(): number {
    return this.#waiting.size + this.#committed.size;
  }

  /**
   * Call `submit` unless a request with this digest is remembered; then return the promise of
   * that request's commit instead (already resolved once committed). `undefined` when `submit`
   * refused, and the request is not remembered.
   */
  submitOnce(digest: string, submit: () => Promise<void> | undefined): Promise<void> | undefined {
    this.#expire();
    const waiting = this.#waiting.get(digest);
    if (waiting || this.#committed.has(digest)) {
      this.#deduplicated++;
      return waiting ?? Promise.resolve();
    }
    const durable = submit();
    if (!durable) return undefined;
    this.#waiting.set(digest, durable);
    this.#evictOverCap();
    // Registered before the caller awaits `durable`, so the request counts as committed before
    // its client hears so.
    void durable.then(() => this.#markCommitted(digest, durable));
    return durable;
  }

  #markCommitted(digest: string, durable: Promise<void>): void {
    if (this.#waiting.get(digest) !== durable) return; // Evicted while waiting
    this.#waiting.delete(digest);
    this.#committed.set(digest, this.#clock());
    this.#evictOverCap();
  }

  #expire(): void {
    const now = this.#clock();
    for (const [digest, committedNs] of this.#committed) {
      if (now - committedNs < this.#limits.windowNs) break;
      this.#committed.delete(digest);
    }
  }

  #evictOverCap(): void {
    while (this.size > this.#limits.maxEntries) {
      const oldest = this.#committed.size > 0 ? this.#committed : this.#waiting;
      oldest.delete(oldest.keys().next().value!);
    }
  }
}
