/**
 * Bidirectional CUSUM on events per minute (reference §5.2): an EMA of the mean and variance
 * predicts each bucket before learning it; g⁺ and g⁻ accumulate standardised deviations beyond
 * `drift`; a bucket where max(g⁺, g⁻) reaches `threshold` is a change point, after which the sums
 * restart. The first `warmupBuckets` only train the EMA (not scoring: NaN); skipped minutes count
 * as empty buckets (at most 100 per gap).
 *
 * Changes from the original, which scored min(max(g⁺, g⁻) / threshold, 1) and reset before
 * reporting (so the change point itself scored 0): the change point is reported, the score is
 * ln(1 + max(g⁺, g⁻) / threshold), compressed rather than capped (see `holt-winters.ts`), and σ is
 * floored at the Poisson noise √max(mean, 1). The score of a bucket holds for the events of the
 * next minute (and is what the event that closes it sees); an open bucket already above the mean
 * is also scored as it fills, so that the events of a surge see it (as in `holt-winters.ts`).
 */
import { MinuteVolume } from './minute-volume.js';

export interface CusumOptions {
  drift: number;
  threshold: number;
  emaAlpha: number;
  warmupBuckets: number;
}

export interface CusumState {
  minute: number;
  count: number;
  mean: number;
  variance: number;
  seen: number;
  gPlus: number;
  gMinus: number;
  lastScore: number;
}

const MAX_GAP_FILL = 100;

export class Cusum extends MinuteVolume {
  readonly #o: CusumOptions;
  #mean = 0;
  #variance = 0;
  #seen = 0;
  #gPlus = 0;
  #gMinus = 0;
  #lastScore = 0;

  constructor(options: CusumOptions) {
    super();
    this.#o = options;
  }

  score(minute: number): number {
    if (this.#seen < this.#o.warmupBuckets) return Number.NaN;
    if (minute > this.minute) return this.#evaluate(this.count).score;
    // The open bucket already above the mean is scored as it fills, as if it closed now.
    if (minute === this.minute && this.count + 1 > this.#mean) return Math.max(this.#lastScore, this.#evaluate(this.count + 1).score);
    return this.#lastScore;
  }

  protected closeBucket(_minute: number, count: number): void {
    const { score, gPlus, gMinus } = this.#evaluate(count);
    this.#lastScore = score;
    const crossed = Math.max(gPlus, gMinus) >= this.#o.threshold;
    this.#gPlus = crossed ? 0 : gPlus;
    this.#gMinus = crossed ? 0 : gMinus;
    if (this.#seen === 0) {
      this.#mean = count;
    } else {
      const diff = count - this.#mean;
      this.#mean += this.#o.emaAlpha * diff;
      this.#variance = (1 - this.#o.emaAlpha) * (this.#variance + this.#o.emaAlpha * diff * diff);
    }
    this.#seen++;
  }

  protected fillGap(_nextMinute: number, buckets: number): void {
    for (let i = Math.min(buckets, MAX_GAP_FILL); i > 0; i--) this.closeBucket(-1, 0);
  }

  protected openBucket(): void {}

  /** What closing a bucket of `count` events would give, against the model as it stands. */
  #evaluate(count: number): { score: number; gPlus: number; gMinus: number } {
    if (this.#seen < this.#o.warmupBuckets) return { score: 0, gPlus: 0, gMinus: 0 };
    const std = Math.max(Math.sqrt(this.#variance), Math.sqrt(Math.max(this.#mean, 1)));
    const z = (count - this.#mean) / std;
    const gPlus = Math.max(0, this.#gPlus + z - this.#o.drift);
    const gMinus = Math.max(0, this.#gMinus - z - this.#o.drift);
    return { score: Math.log1p(Math.max(gPlus, gMinus) / this.#o.threshold), gPlus, gMinus };
  }

  toState(): CusumState {
    return {
      minute: this.minute,
      count: this.count,
      mean: this.#mean,
      variance: this.#variance,
      seen: this.#seen,
      gPlus: this.#gPlus,
      gMinus: this.#gMinus,
      lastScore: this.#lastScore,
    };
  }

  static fromState(state: CusumState, options: CusumOptions): Cusum {
    const cusum = new Cusum(options);
    cusum.minute = state.minute;
    cusum.count = state.count;
    cusum.#mean = state.mean;
    cusum.#variance = state.variance;
    cusum.#seen = state.seen;
    cusum.#gPlus = state.gPlus;
    cusum.#gMinus = state.gMinus;
    cusum.#lastScore = state.lastScore;
    return cusum;
  }
}
