/**
 * New alerts, announced to whoever listens (the stream, the CLI's `analyze` printer). Detectors
 * publish after the alert is recorded; a listener that throws is isolated from the others.
 */
import type { Alert } from './alert.js';

export type AlertListener = (alert: Alert) => void;

export class AlertBus {
  readonly #listeners = new Set<AlertListener>();
  #published = 0;

  /** Alerts published since start. */
  get published(): number {
    return this.#published;
  }

  /** Returns the function that unsubscribes. */
  subscribe(listener: AlertListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish(alert: Alert): void {
    this.#published++;
    for (const listener of this.#listeners) {
      try {
        listener(alert);
      } catch {
        // One faulty listener must not keep the alert from the others.
      }
    }
  }
}
