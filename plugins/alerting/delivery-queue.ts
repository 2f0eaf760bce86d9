/**
 * One sink's delivery: a bounded FIFO of rendered payloads drained by a single sender, each
 * payload retried with exponential backoff (`retry.ts`). Offering never blocks and never throws:
 * a full queue drops the payload and counts it, as does a payload that fails every attempt or
 * a non-retryable one, and what is still waiting when the drain time at stop runs out.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ComponentHealth } from '../../main/core/health.js';
import { backoffDelayMs, type RetryPolicy } from './retry.js';
import { asDeliveryError, type Sink } from './sinks/sink.js';

/** After aborting, how long a send may take to notice before close stops waiting for it. */
const ABORT_GRACE_MS = 1000;

export interface SinkStats {
  name: string;
  type: string;
  formatter: string;
  min_severity: number;
  pending: number;
  capacity: number;
  delivered: number;
  retries: number;
  /** Every payload that was not delivered, whatever the reason (the three below). */
  dropped: number;
  dropped_queue_full: number;
  dropped_undeliverable: number;
  dropped_at_stop: number;
  last_error: string | null;
}

export class DeliveryQueue {
  readonly sink: Sink;
  readonly #policy: RetryPolicy;
  readonly #capacity: number;
  readonly #abort = new AbortController();
  #items: string[] = [];
  #head = 0;
  #sending: Promise<void> | null = null;
  #closed = false;
  #failing = false;
  #lastError: string | null = null;
  #delivered = 0;
  #retries = 0;
  #droppedQueueFull = 0;
  #droppedUndeliverable = 0;
  #droppedAtStop = 0;

  constructor(sink: Sink, policy: RetryPolicy, capacity: number) {
    this.sink = sink;
    this.#policy = policy;
    this.#capacity = capacity;
  }

  get pending(): number {
    return this.#items.length - this.#head;
  }

  /** Queue a payload; false when it was dropped (queue full, or stopping). */
  offer(payload: string): boolean {
    if (this.#closed) {
      this.#droppedAtStop++;
      return false;
    }
    if (this.pending >= this.#capacity) {
      this.#droppedQueueFull++;
      return false;
    }
    this.#items.push(payload);
    this.#sending ??= this.#run();
    return true;
  }

  /** A payload that could not even be rendered counts as undeliverable. */
  recordRenderFailure(error: unknown): void {
    this.#droppedUndeliverable++;
    this.#lastError = `cannot render the alert: ${asDeliveryError(error).message}`;
  }

  /**
   * Take no more payloads, give those waiting up to `timeoutMs` to go out, then abort what is
   * left (counted as dropped at stop) and release the sink.
   */
  async close(timeoutMs: number): Promise<void> {
    this.#closed = true;
    if (this.#sending) {
      const timer = sleep(timeoutMs, undefined, { ref: false });
      await Promise.race([this.#sending, timer]);
    }
    this.#abort.abort();
    this.#droppedAtStop += this.pending;
    this.#items = [];
    this.#head = 0;
    // Closing the sink fails a send still in flight; its count lands before close resolves.
    await this.sink.close().catch(() => undefined);
    if (this.#sending) await Promise.race([this.#sending, sleep(ABORT_GRACE_MS, undefined, { ref: false })]);
  }

  stats(): SinkStats {
    return {
      name: this.sink.name,
      type: this.sink.type,
      formatter: this.sink.formatter,
      min_severity: this.sink.minSeverity,
      pending: this.pending,
      capacity: this.#capacity,
      delivered: this.#delivered,
      retries: this.#retries,
      dropped: this.#droppedQueueFull + this.#droppedUndeliverable + this.#droppedAtStop,
      dropped_queue_full: this.#droppedQueueFull,
      dropped_undeliverable: this.#droppedUndeliverable,
      dropped_at_stop: this.#droppedAtStop,
      last_error: this.#lastError,
    };
  }

  /** Degraded while the destination is failing or the queue is full. */
  health(): ComponentHealth {
    const s = this.stats();
    const detail = `${s.delivered} delivered, ${s.dropped} dropped, ${s.pending} pending`;
    if (this.#failing) return { status: 'degraded', detail: `${this.#lastError ?? 'delivery failing'}; ${detail}` };
    if (s.pending >= this.#capacity) return { status: 'degraded', detail: `queue full; ${detail}` };
    return { status: 'ok', detail };
  }

  async #run(): Promise<void> {
    while (this.pending > 0 && !this.#abort.signal.aborted) {
      const payload = this.#items[this.#head] as string;
      this.#head++;
      // Compact now and then, so the array does not grow with every payload ever sent.
      if (this.#head >= 1024 && this.#head * 2 >= this.#items.length) {
        this.#items = this.#items.slice(this.#head);
        this.#head = 0;
      }
      await this.#deliver(payload);
    }
    this.#sending = null;
  }

  async #deliver(payload: string): Promise<void> {
    const signal = this.#abort.signal;
    for (let attempt = 1; ; attempt++) {
      let askedMs = 0;
      try {
        await this.sink.send(payload, signal);
        this.#delivered++;
        this.#failing = false;
        return;
      } catch (error) {
        const failure = asDeliveryError(error);
        this.#lastError = failure.message;
        this.#failing = true;
        if (signal.aborted) {
          this.#droppedAtStop++;
          return;
        }
        if (!failure.retryable || attempt >= this.#policy.attempts) {
          this.#droppedUndeliverable++;
          return;
        }
        askedMs = failure.retryAfterMs;
      }
      this.#retries++;
      try {
        await sleep(backoffDelayMs(this.#policy, attempt, askedMs), undefined, { signal });
      } catch {
        this.#droppedAtStop++;
        return;
      }
    }
  }
}
