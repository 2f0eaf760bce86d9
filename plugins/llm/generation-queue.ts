/**
 * Generations run one at a time by default (a local model has one context; a small server
 * rarely does better), the rest wait in a bounded queue. Each request has a deadline covering
 * its wait and its run: past it the caller gets a timeout at once and the work's AbortSignal
 * fires; the slot frees only when the work has actually stopped, so an aborted generation
 * never overlaps the next one.
 */
import { LlmError } from './errors.js';

export interface QueueOptions {
  /** Generations at once (`llm.concurrency`, default 1). */
  concurrency: number;
  /** Requests waiting at most (`llm.queue_max`); beyond, `busy`. */
  maxQueued: number;
}

interface Waiting {
  start: () => void;
  cancel: () => void;
}

export class GenerationQueue {
  readonly #options: QueueOptions;
  readonly #waiting: Waiting[] = [];
  #running = 0;

  constructor(options: QueueOptions) {
    this.#options = options;
  }

  get running(): number {
    return this.#running;
  }

  get queued(): number {
    return this.#waiting.length;
  }

  /** Run `work` when a slot frees, within `timeoutMs` of now; rejects with an `LlmError` on busy or timeout. */
  run<T>(work: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
    if (this.#running >= this.#options.concurrency && this.#waiting.length >= this.#options.maxQueued) {
      return Promise.reject(new LlmError('busy', `the model is busy: ${this.#waiting.length} requests are waiting; try again shortly`));
    }
    return new Promise<T>((resolve, reject) => {
      const controller = new AbortController();
      const within = timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`;
      const timeout = () => new LlmError('timeout', `the model did not answer within ${within}`);
      const entry: Waiting = {
        start: () => {
          this.#running++;
          work(controller.signal)
            .then(resolve, (error: unknown) => reject(controller.signal.aborted ? timeout() : error))
            .finally(() => {
              clearTimeout(timer);
              this.#running--;
              this.#next();
            });
        },
        cancel: () => {
          const at = this.#waiting.indexOf(entry);
          if (at !== -1) this.#waiting.splice(at, 1);
        },
      };
      const timer = setTimeout(() => {
        entry.cancel();
        controller.abort();
        reject(timeout());
      }, timeoutMs);
      this.#waiting.push(entry);
      this.#next();
    });
  }

  #next(): void {
    while (this.#running < this.#options.concurrency && this.#waiting.length > 0) this.#waiting.shift()!.start();
  }
}
