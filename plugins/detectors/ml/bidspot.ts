/**
 * biDSPOT: extreme-value thresholds on both tails of the blended score (reference §5.3, after
 * Siffer et al., KDD 2017). The first `calibrationWindow` scores only calibrate (nothing is
 * flagged): each tail starts at the `initialPercentile` (upper) or its mirror (lower), a GPD is
 * fitted to the excesses beyond it, and the threshold is the POT quantile for `riskLevel`. Then a
 * score beyond a threshold is an anomaly in that direction and is kept out of the model; the
 * others extend the tails (last `MAX_EXCESSES` kept), refitted every `REFIT_EVERY` new excesses.
 *
 * Exceedances are declustered by runs (Coles 2001, §5.3.2), as POT's independence assumption
 * asks: a run of consecutive scores beyond the tail's start adds only its peak, once it ends. The
 * original added every score, so a surge still building (each score a little above the last)
 * refitted the tail under itself every 50 events and was never flagged.
 *
 * Changes from the original: when the percentile leaves fewer than `MIN_EXCESSES` calibration
 * scores beyond it (a 200-score window at P98 leaves 4) the tail starts lower so that it holds
 * them; and when no fit is possible the threshold is the largest calibration score, not the
 * percentile (which flagged 2 % of all events and, never learning them, never recovered).
 * Analyst feedback raises the upper threshold by a factor that survives refits, capped at
 * `capMultiplier` × the calibrated value.
 */
import { decodeFloats, encodeFloats } from './array-codec.js';
import { fitGpd, potQuantile } from './gpd.js';

export interface DspotOptions {
  calibrationWindow: number;
  riskLevel: number;
  /** 50..99. */
  initialPercentile: number;
  capMultiplier: number;
}

export type Direction = 'upper' | 'lower';

export interface AdjustResult {
  status: 'applied' | 'clamped' | 'not_calibrated';
  /** Upper threshold now / as calibrated. */
  currentRatio: number;
}

const MIN_CALIBRATION = 200;
const MIN_EXCESSES = 10;
const MAX_EXCESSES = 10_000;
const REFIT_EVERY = 50;

/** One tail, in excess space: how far beyond its start `t` a score went (always ≥ 0). */
class Tail {
  t = 0;
  /** Threshold, as an excess over `t`. */
  zExcess = 0;
  /** Grows to `MAX_EXCESSES`, then is a ring (`next` = the oldest). */
  readonly excesses: number[] = [];
  next = 0;
  /** Excesses ever seen (the POT ratio needs the true count, not the kept one). */
  total = 0;
  sinceFit = 0;
  /** Peak excess of the run of scores beyond `t` in progress (NaN when none). */
  runPeak = Number.NaN;

  /** A normal score's excess over `t` (≤ 0 when not beyond it): runs are declustered into their peak. */
  observe(excess: number, observations: number, q: number): void {
    if (excess > 0) {
      if (!(excess <= this.runPeak)) this.runPeak = excess;
      return;
    }
    if (Number.isNaN(this.runPeak)) return;
    this.add(this.runPeak);
    this.runPeak = Number.NaN;
    if (this.sinceFit >= REFIT_EVERY) this.fit(observations, q);
  }

  get stored(): number {
    return this.excesses.length;
  }

  add(excess: number): void {
    if (this.excesses.length < MAX_EXCESSES) {
      this.excesses.push(excess);
    } else {
      this.excesses[this.next] = excess;
      this.next = (this.next + 1) % MAX_EXCESSES;
    }
    this.total++;
    this.sinceFit++;
  }

  fit(observations: number, q: number): void {
    this.sinceFit = 0;
    const fit = this.stored >= MIN_EXCESSES ? fitGpd(this.excesses, this.stored) : undefined;
    let zExcess = fit ? potQuantile(0, fit, this.total, observations, q) : Number.NaN;
    if (!Number.isFinite(zExcess)) {
      zExcess = 0;
      for (let i = 0; i < this.stored; i++) zExcess = Math.max(zExcess, this.excesses[i]!);
    }
    this.zExcess = Math.max(0, zExcess);
  }

  toState(): TailState {
    // As stored, ring position included: a refit sums them in this order, and must after a restore too.
    return {
      t: this.t,
      zExcess: this.zExcess,
      excesses: encodeFloats(this.excesses),
      next: this.next,
      total: this.total,
      sinceFit: this.sinceFit,
      runPeak: Number.isNaN(this.runPeak) ? null : this.runPeak,
    };
  }

  restore(state: TailState): void {
    const excesses = decodeFloats(state.excesses);
    if (excesses.length > MAX_EXCESSES) throw new Error('saved tail exceeds its bound');
    this.t = state.t;
    this.zExcess = state.zExcess;
    this.excesses.length = 0;
    this.excesses.push(...excesses);
    this.next = excesses.length === MAX_EXCESSES ? state.next % MAX_EXCESSES : 0;
    this.total = state.total;
    this.sinceFit = state.sinceFit;
    this.runPeak = state.runPeak ?? Number.NaN;
  }
}

interface TailState {
  t: number;
  zExcess: number;
  excesses: string;
  next: number;
  total: number;
  sinceFit: number;
  runPeak: number | null;
}

export interface DspotState {
  /** Base64 calibration scores, while calibrating. */
  calibration: string | null;
  observations: number;
  upper: TailState;
  lower: TailState;
  calibratedUpper: number;
  feedback: number;
}

export class BiDspot {
  readonly #o: DspotOptions;
  #calibration: number[] | null = [];
  /** Normal scores seen since calibration began. */
  #observations = 0;
  readonly #upper = new Tail();
  readonly #lower = new Tail();
  #calibratedUpper = Number.NaN;
  #feedback = 1;

  constructor(options: DspotOptions) {
    if (options.calibrationWindow < MIN_CALIBRATION) {
      throw new RangeError(`dspot.calibration_window must be at least ${MIN_CALIBRATION}, got ${options.calibrationWindow}`);
    }
    if (!(options.riskLevel > 0 && options.riskLevel < 1)) throw new RangeError(`dspot.risk_level must be in (0, 1), got ${options.riskLevel}`);
    if (options.initialPercentile < 50 || options.initialPercentile > 99) {
      throw new RangeError(`dspot.initial_percentile must be in [50, 99], got ${options.initialPercentile}`);
    }
    if (!(options.capMultiplier > 1)) throw new RangeError(`dspot.threshold_cap_multiplier must exceed 1, got ${options.capMultiplier}`);
    this.#o = options;
  }

  get calibrated(): boolean {
    return this.#calibration === null;
  }

  /** The upper threshold in force (NaN while calibrating). */
  get upperThreshold(): number {
    if (!this.calibrated) return Number.NaN;
    const z = this.#upper.t + this.#upper.zExcess;
    if (this.#feedback === 1) return z;
    const cap = this.#calibratedUpper + Math.abs(this.#calibratedUpper) * (this.#o.capMultiplier - 1);
    return Math.min(z + Math.abs(z) * (this.#feedback - 1), cap);
  }

  get lowerThreshold(): number {
    return this.calibrated ? this.#lower.t - this.#lower.zExcess : Number.NaN;
  }

  /** Scores and excesses held (calibration window, both tails). */
  get storedValues(): number {
    return (this.#calibration?.length ?? 0) + this.#upper.stored + this.#lower.stored;
  }

  get calibratedUpperThreshold(): number {
    return this.#calibratedUpper;
  }

  /** The direction in which `score` is anomalous, if it is; then the model learns it unless anomalous. */
  update(score: number): Direction | null {
    if (this.#calibration !== null) {
      this.#calibration.push(score);
      if (this.#calibration.length >= this.#o.calibrationWindow) this.#calibrate(this.#calibration);
      return null;
    }
    if (score > this.upperThreshold) return 'upper';
    if (score < this.lowerThreshold) return 'lower';
    this.#observations++;
    this.#upper.observe(score - this.#upper.t, this.#observations, this.#o.riskLevel);
    this.#lower.observe(this.#lower.t - score, this.#observations, this.#o.riskLevel);
    return null;
  }

  /** Multiply the upper threshold by `factor` (analyst false-positive feedback). */
  adjustUpperThreshold(factor: number): AdjustResult {
    if (!this.calibrated) return { status: 'not_calibrated', currentRatio: 1 };
    this.#feedback *= factor;
    const wanted = this.#upper.t + this.#upper.zExcess;
    const raised = wanted + Math.abs(wanted) * (this.#feedback - 1);
    const now = this.upperThreshold;
    return { status: now < raised ? 'clamped' : 'applied', currentRatio: now / this.#calibratedUpper };
  }

  #calibrate(scores: number[]): void {
    const sorted = Float64Array.from(scores).sort();
    const n = sorted.length;
    const upperStart = Math.min(percentile(sorted, this.#o.initialPercentile), sorted[n - 1 - MIN_EXCESSES]!);
    const lowerStart = Math.max(percentile(sorted, 100 - this.#o.initialPercentile), sorted[MIN_EXCESSES]!);
    this.#upper.t = upperStart;
    this.#lower.t = lowerStart;
    for (const score of scores) {
      if (score > upperStart) this.#upper.add(score - upperStart);
      else if (score < lowerStart) this.#lower.add(lowerStart - score);
    }
    this.#observations = n;
    this.#upper.fit(n, this.#o.riskLevel);
    this.#lower.fit(n, this.#o.riskLevel);
    this.#calibratedUpper = this.#upper.t + this.#upper.zExcess;
    this.#calibration = null;
  }

  toState(): DspotState {
    return {
      calibration: this.#calibration ? encodeFloats(this.#calibration) : null,
      observations: this.#observations,
      upper: this.#upper.toState(),
      lower: this.#lower.toState(),
      calibratedUpper: this.#calibratedUpper,
      feedback: this.#feedback,
    };
  }

  static fromState(state: DspotState, options: DspotOptions): BiDspot {
    const dspot = new BiDspot(options);
    dspot.#calibration = state.calibration === null ? null : Array.from(decodeFloats(state.calibration));
    dspot.#observations = state.observations;
    dspot.#upper.restore(state.upper);
    dspot.#lower.restore(state.lower);
    dspot.#calibratedUpper = state.calibratedUpper ?? Number.NaN;
    dspot.#feedback = state.feedback;
    return dspot;
  }
}

/** Linear-interpolated percentile of sorted values (numpy's default). */
function percentile(sorted: Float64Array, p: number): number {
  const position = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}
