/**
 * The ensemble's score blending (reference §5.1): six channels, each standardised against its
 * own running mean and deviation (Welford; z before the accumulator learns the value), averaged
 * with the configured weights over the channels that are active (NaN = not yet scoring), then
 * amplified when channels agree: with n active and c of them above z = 1, ×2 when
 * c ≥ max(⌊2n/3⌋, 2), else ×1.5 when c ≥ max(⌊n/2⌋, 2).
 *
 * Changes from the original, which used a channel's raw value while it had fewer than 2 and then
 * divided by max(std, 1e-10): a channel joins the blend once its accumulator holds `MIN_SAMPLES`
 * values (a deviation from 2 or 3 values is noise, and the z-scores it produced reached 10^10),
 * and the deviation is floored at `MIN_STD`.
 */

/** Channel order, as the `weights_*` keys. */
export const CHANNELS = ['content', 'volume', 'pattern', 'sequence', 'template_volume', 'entity_volume'] as const;

export const MIN_STD = 0.01;
/**
 * The volume channels (volume, pattern, template and entity volume) describe minutes, not events:
 * their accumulators learn one value per minute of the source (the first event's, which for the
 * source volume is the deviation of the minute just closed). Learning every event would weigh a
 * minute by its event count, so a flood would standardise itself away within seconds.
 */
const PER_MINUTE = [false, true, true, false, true, true];
/** Values a channel's accumulator needs before its z counts. */
export const MIN_SAMPLES = 30;

export interface BlenderState {
  /** Per channel [n, mean, m2]. */
  welford: Array<[number, number, number]>;
}

export class ScoreBlender {
  readonly #weights: Float64Array;
  readonly #n = new Float64Array(CHANNELS.length);
  readonly #mean = new Float64Array(CHANNELS.length);
  readonly #m2 = new Float64Array(CHANNELS.length);
  /** z of each channel in the last blend (NaN when inactive). */
  readonly z = new Float64Array(CHANNELS.length);

  constructor(weights: ArrayLike<number>) {
    if (weights.length !== CHANNELS.length) throw new RangeError(`${CHANNELS.length} channel weights expected, got ${weights.length}`);
    this.#weights = Float64Array.from(weights);
  }

  /**
   * The blended score of `raw` (one value per channel, NaN = inactive), NaN when no channel is
   * active; then the accumulators learn it, the per-minute channels only when `newMinute`.
   */
  blend(raw: ArrayLike<number>, newMinute = true): number {
    let weighted = 0;
    let weights = 0;
    let active = 0;
    let converging = 0;
    for (let i = 0; i < CHANNELS.length; i++) {
      const value = raw[i]!;
      if (Number.isNaN(value)) {
        this.z[i] = Number.NaN;
        continue;
      }
      const n = this.#n[i]!;
      if (n >= MIN_SAMPLES) {
        const z = (value - this.#mean[i]!) / Math.max(Math.sqrt(this.#m2[i]! / (n - 1)), MIN_STD);
        this.z[i] = z;
        weighted += z * this.#weights[i]!;
        weights += this.#weights[i]!;
        active++;
        if (z > 1) converging++;
      } else {
        this.z[i] = Number.NaN;
      }
      if (PER_MINUTE[i] && !newMinute) continue;
      // Welford's update, after z.
      const count = n + 1;
      const delta = value - this.#mean[i]!;
      this.#n[i] = count;
      this.#mean[i]! += delta / count;
      this.#m2[i]! += delta * (value - this.#mean[i]!);
    }
    if (weights === 0) return Number.NaN;
    const combined = weighted / weights;
    if (converging >= Math.max(Math.floor((2 * active) / 3), 2)) return combined * 2;
    if (converging >= Math.max(Math.floor(active / 2), 2)) return combined * 1.5;
    return combined;
  }

  toState(): BlenderState {
    return { welford: CHANNELS.map((_, i) => [this.#n[i]!, this.#mean[i]!, this.#m2[i]!]) };
  }

  restore(state: BlenderState): void {
    if (state.welford.length !== CHANNELS.length) throw new Error(`saved blender has ${state.welford.length} channels`);
    state.welford.forEach(([n, mean, m2], i) => {
      this.#n[i] = n;
      this.#mean[i] = mean;
      this.#m2[i] = m2;
    });
  }
}
