/** What the delivery queue drives: a named destination that renders alerts and sends them. */
import type { Alert } from '../../../main/core/alert.js';

export type SinkType = 'console' | 'file' | 'syslog' | 'webhook';

export interface Sink {
  readonly name: string;
  readonly type: SinkType;
  readonly formatter: string;
  /** Alerts below this severity are not sent here. */
  readonly minSeverity: number;
  /** The payload `send` takes for `alert`; never throws. */
  render(alert: Alert): string;
  /** Deliver one payload; rejects with a `DeliveryError`. Stops early when `signal` aborts. */
  send(payload: string, signal: AbortSignal): Promise<void>;
  /** Release sockets and files; pending sends fail. */
  close(): Promise<void>;
}

/**
 * A failed delivery; `retryable` says whether trying again may help (a 5xx, a refused
 * connection), `retryAfterMs` how long the destination asked to be left alone (HTTP Retry-After).
 */
export class DeliveryError extends Error {
  override name = 'DeliveryError';
  readonly retryable: boolean;
  readonly retryAfterMs: number;

  constructor(message: string, retryable: boolean, retryAfterMs = 0) {
    super(message);
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Any rejection as a `DeliveryError` (unknown failures may be transient: retryable). */
export function asDeliveryError(error: unknown): DeliveryError {
  if (error instanceof DeliveryError) return error;
  return new DeliveryError(error instanceof Error ? error.message : String(error), true);
}
