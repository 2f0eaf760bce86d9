/**
 * The event-time watermark (reference §7.2): the newest event time seen. An event older than it
 * by more than the tolerance is late: it is still stored and scored, but kept out of the windows,
 * so a straggler cannot complete a pattern the stream has already moved past. Nothing is late
 * before the first event.
 */
export class Watermark {
  readonly #toleranceMs: number;
  #currentMs = Number.NEGATIVE_INFINITY;
  #late = 0;

  constructor(toleranceMs: number) {
    this.#toleranceMs = toleranceMs;
  }

  /** The newest event time seen (ms), or -Infinity before the first event. */
  get currentMs(): number {
    return this.#currentMs;
  }

  /** Late events seen since start. */
  get lateCount(): number {
    return this.#late;
  }

  /** Records an event time; true when that event is late. */
  observe(tMs: number): boolean {
    if (tMs < this.#currentMs - this.#toleranceMs) {
      this.#late++;
      return true;
    }
    if (tMs > this.#currentMs) this.#currentMs = tMs;
    return false;
  }
}
