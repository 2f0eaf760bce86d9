/**
 * A small in-process publish/subscribe channel: new alerts (for the stream, the sinks, the CLI's
 * `analyze` printer) and analysts' verdicts (for the feedback loop). A listener that throws is
 * isolated from the others.
 */
import type { Alert, Verdict } from './alert.js';

export type Listener<T> = (item: T) => void;

export class Bus<T> {
  readonly #listeners = new Set<Listener<T>>();
  #published = 0;

  /** Items published since start. */
  get published(): number {
    return this.#published;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: Listener<T>): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(item: T): void {
    this.#published++;
    for (const listener of this.#listeners) {
      try {
        listener(item);
      } catch {
        // One faulty listener must not keep the item from the others.
      }
    }
  }
}

/** New alerts, published after they are recorded (only those new in their dedup window). */
export type AlertBus = Bus<Alert>;

/** An analyst's verdict on a stored alert, published after it is recorded. */
export interface VerdictNotice {
  alert: Alert;
  verdict: Verdict;
  note: string;
  origin: string;
}
