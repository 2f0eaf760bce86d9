/**
 * The shared half of the status frame: the ingest rate (from the runtime's rate meter) and the
 * number of alerts seen in the last 24 hours. That count comes from the store and is cached: it
 * is refreshed at most every `ALERTS_COUNT_REFRESH_MS`, one query at a time, never per frame.
 */
import type { RateMeter } from '../../main/core/rate-meter.js';
import type { GlobalStatus } from './connections.js';

/** The slowest refresh of `alerts_24h` (ms); the status frame may lag the store by this much. */
export const ALERTS_COUNT_REFRESH_MS = 10_000;
const DAY_NS = 86_400n * 1_000_000_000n;

/** Alerts whose latest occurrence is at or after `sinceNs`. */
export type CountAlertsSince = (sinceNs: bigint) => Promise<number>;

export interface StatusSourceOptions {
  rate: Pick<RateMeter, 'perSecond'>;
  countAlertsSince: CountAlertsSince;
  /** Wall clock in ns (the runtime's). */
  clockNs: () => bigint;
  /** Monotonic ms, for the refresh interval. */
  nowMs: () => number;
  /** Called when a refresh fails; the previous count is kept. */
  onError?: (error: unknown) => void;
}

export class StatusSource {
  readonly #options: StatusSourceOptions;
  #alerts24h = 0;
  #refreshedMs: number | undefined;
  #inFlight: Promise<void> | undefined;

  constructor(options: StatusSourceOptions) {
    this.#options = options;
  }

  /** The values for the next status frames; starts a refresh of the alert count when it is due. */
  snapshot(): GlobalStatus {
    const now = this.#options.nowMs();
    if (this.#refreshedMs === undefined || now - this.#refreshedMs >= ALERTS_COUNT_REFRESH_MS) void this.refresh();
    return {
      events_ingested_per_sec: Math.round(this.#options.rate.perSecond() * 100) / 100,
      alerts_24h: this.#alerts24h,
    };
  }

  /** Re-count now (at most one query in flight; a call during one waits for it). */
  refresh(): Promise<void> {
    this.#inFlight ??= (async () => {
      this.#refreshedMs = this.#options.nowMs();
      try {
        this.#alerts24h = await this.#options.countAlertsSince(this.#options.clockNs() - DAY_NS);
      } catch (error) {
        this.#options.onError?.(error);
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }

  /** Resolves once no refresh is running (for a clean shutdown before the store closes). */
  async idle(): Promise<void> {
    await this.#inFlight;
  }
}
