/**
 * Additive Holt-Winters on events per minute (reference §5.2): level, trend and one seasonal
 * term per minute of the period (`period` 1440 = minute of the day). Not scoring (NaN) until one
 * full period of buckets has been seen; the first period initialises level and seasons.
 *
 * Score = ln(1 + |count − forecast| / (n_std · σ)), σ being the deviation of the last 100
 * residuals. Deliberate changes from the original, which scored min(x, 1) of the completed bucket
 * on every event of the next minute:
 * - the open bucket is scored as it fills (an upward excess flags the events of a burst
 *   themselves, not the unrelated ones after it), and the completed bucket's deviation (drops
 *   included) is scored once, on the event that closes it;
 * - the score is compressed, not capped: capped at 1 it saturated on every busy minute of a bursty
 *   source, so a flood a hundred times the forecast looked like any busy minute;
 * - σ is floored at the forecast's Poisson noise √max(forecast, 1), so a perfectly regular history
 *   cannot turn one extra event into an extreme score.
 */
import { decodeFloats, encodeFloats } from './array-codec.js';
import { MinuteVolume } from './minute-volume.js';

export interface HoltWintersOptions {
  period: number;
  alpha: number;
  beta: number;
  gamma: number;
  nStd: number;
}

const RESIDUALS = 100;

export interface HoltWintersState {
  minute: number;
  count: number;
  level: number;
  trend: number;
  /** Base64 of the seasonal terms (`array-codec.ts`). */
  season: string;
  seen: number;
  /** Oldest first. */
  residuals: number[];
  /** Running sum and sum of squares of the residuals. */
  residualSums: [number, number];
}

export class HoltWinters extends MinuteVolume {
  readonly #o: HoltWintersOptions;
  #level = 0;
  #trend = 0;
  readonly #season: Float64Array;
  /** Buckets closed so far. */
  #seen = 0;
  readonly #residuals = new Float64Array(RESIDUALS);
  #residualCount = 0;
  #residualNext = 0;
  #residualSum = 0;
  #residualSumSq = 0;
  /** Forecast and score scale of the open bucket (NaN while warming up). */
  #forecast = Number.NaN;
  #scale = 1;

  constructor(options: HoltWintersOptions) {
    super();
    this.#o = options;
    this.#season = new Float64Array(options.period);
  }

  /** Back to a new model's state (for reuse by a pool); returns this. */
  reset(): this {
    this.minute = -1;
    this.count = 0;
    this.#level = 0;
    this.#trend = 0;
    this.#season.fill(0);
    this.#seen = 0;
    this.#residualCount = 0;
    this.#residualNext = 0;
    this.#residualSum = 0;
    this.#residualSumSq = 0;
    this.#forecast = Number.NaN;
    this.#scale = 1;
    return this;
  }

  get warm(): boolean {
    return this.#seen >= this.#o.period;
  }

  score(minute: number): number {
    if (!this.warm) return Number.NaN;
    if (minute < this.minute) return 0;
    if (minute === this.minute) return Math.log1p(Math.max(0, this.count + 1 - this.#forecast) / this.#scale);
    return Math.log1p(Math.abs(this.count - this.#forecast) / this.#scale);
  }

  protected closeBucket(minute: number, count: number): void {
    this.#update(minute, count);
  }

  protected fillGap(nextMinute: number, buckets: number): void {
    // Beyond one period, older empty buckets would only be overwritten by the newer ones.
    for (let m = nextMinute - Math.min(buckets, this.#o.period); m < nextMinute; m++) this.#update(m, 0);
  }

  protected openBucket(minute: number): void {
    if (!this.warm) return;
    this.#forecast = this.#level + this.#trend + this.#season[minute % this.#o.period]!;
    const n = this.#residualCount;
    const variance = n >= 2 ? Math.max(0, (this.#residualSumSq - (this.#residualSum * this.#residualSum) / n) / (n - 1)) : 0;
    this.#scale = this.#o.nStd * Math.max(Math.sqrt(variance), Math.sqrt(Math.max(this.#forecast, 1)));
  }

  #update(minute: number, y: number): void {
    const { period, alpha, beta, gamma } = this.#o;
    const s = minute % period;
    if (this.#seen < period) {
      this.#season[s] = y;
      if (++this.#seen === period) {
        let sum = 0;
        for (let i = 0; i < period; i++) sum += this.#season[i]!;
        this.#level = sum / period;
        for (let i = 0; i < period; i++) this.#season[i]! -= this.#level;
      }
      return;
    }
    const season = this.#season[s]!;
    this.#pushResidual(y - (this.#level + this.#trend + season));
    const level = alpha * (y - season) + (1 - alpha) * (this.#level + this.#trend);
    this.#trend = beta * (level - this.#level) + (1 - beta) * this.#trend;
    this.#season[s] = gamma * (y - level) + (1 - gamma) * season;
    this.#level = level;
    this.#seen++;
  }

  #pushResidual(residual: number): void {
    const slot = this.#residualNext;
    if (this.#residualCount === RESIDUALS) {
      const old = this.#residuals[slot]!;
      this.#residualSum -= old;
      this.#residualSumSq -= old * old;
    } else {
      this.#residualCount++;
    }
    this.#residuals[slot] = residual;
    this.#residualSum += residual;
    this.#residualSumSq += residual * residual;
    this.#residualNext = (slot + 1) % RESIDUALS;
  }

  toState(): HoltWintersState {
    const n = this.#residualCount;
    const start = n < RESIDUALS ? 0 : this.#residualNext;
    const residuals: number[] = [];
    for (let i = 0; i < n; i++) residuals.push(this.#residuals[(start + i) % RESIDUALS]!);
    return {
      minute: this.minute,
      count: this.count,
      level: this.#level,
      trend: this.#trend,
      season: encodeFloats(this.#season),
      seen: this.#seen,
      residuals,
      residualSums: [this.#residualSum, this.#residualSumSq],
    };
  }

  static fromState(state: HoltWintersState, options: HoltWintersOptions): HoltWinters {
    const season = decodeFloats(state.season);
    if (season.length !== options.period) throw new Error(`saved season length ${season.length} ≠ hw.seasonal_period ${options.period}`);
    if (state.residuals.length > RESIDUALS) throw new Error(`saved residuals exceed ${RESIDUALS}`);
    const hw = new HoltWinters(options);
    hw.minute = state.minute;
    hw.count = state.count;
    hw.#level = state.level;
    hw.#trend = state.trend;
    hw.#season.set(season);
    hw.#seen = state.seen;
    hw.#residuals.set(state.residuals);
    hw.#residualCount = state.residuals.length;
    hw.#residualNext = state.residuals.length % RESIDUALS;
    // The running sums, not recomputed ones: they carry the same rounding as before the save.
    [hw.#residualSum, hw.#residualSumSq] = state.residualSums;
    if (hw.minute >= 0) hw.openBucket(hw.minute);
    return hw;
  }
}
