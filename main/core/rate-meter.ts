/**
 * Events per second over a sliding window, from a monotonically growing counter sampled by the
 * caller (`sample(count, nowNs)` about once a second). Bounded: keeps `windowSamples` samples.
 */
export class RateMeter {
  readonly #samples: Array<{ count: number; ns: bigint }> = [];
  readonly #windowSamples: number;

  constructor(windowSamples = 10) {
    this.#windowSamples = windowSamples;
  }

  sample(count: number, nowNs: bigint): void {
    this.#samples.push({ count, ns: nowNs });
    if (this.#samples.length > this.#windowSamples + 1) this.#samples.shift();
  }

  /** Rate over the window, or 0 before two samples exist. */
  perSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (!first || !last || last.ns <= first.ns) return 0;
    return ((last.count - first.count) * 1e9) / Number(last.ns - first.ns);
  }
}
