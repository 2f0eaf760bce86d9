/**
 * Generalised Pareto fit of tail excesses by maximum likelihood (as scipy's `genpareto.fit` with
 * the location fixed at 0, which the original called), and the POT quantile of SPOT (Siffer et
 * al., KDD 2017). Deterministic: Grimshaw's reduction to one parameter θ = ξ/σ, whose profile
 * log-likelihood L(θ) = −n·(ln(ξ(θ)/θ) + ξ(θ) + 1), ξ(θ) = mean ln(1 + θy), is maximised over
 * a geometric grid then refined by golden section; the exponential (ξ = 0) is a candidate too.
 */
export interface GpdFit {
  xi: number;
  sigma: number;
}

const GRID = 40;
const REFINE_STEPS = 60;
/**
 * Below ξ = −0.5 maximum likelihood is irregular, and below −1 the likelihood is unbounded as the
 * endpoint approaches the largest excess (Smith 1985): a fit there would put the threshold exactly
 * on the largest value seen so far. Fits are kept at or above this shape.
 */
const MIN_XI = -0.5;
const GOLDEN = (Math.sqrt(5) - 1) / 2;

/** The fit, or undefined when the excesses cannot support one (fewer than 2, or all zero). */
export function fitGpd(excesses: ArrayLike<number>, count = excesses.length): GpdFit | undefined {
  if (count < 2) return undefined;
  let sum = 0;
  let max = 0;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const y = excesses[i]!;
    sum += y;
    if (y > max) max = y;
    if (y < min) min = y;
  }
  const mean = sum / count;
  if (!(mean > 0)) return undefined;

  const xiOf = (theta: number) => {
    let s = 0;
    for (let i = 0; i < count; i++) s += Math.log1p(theta * excesses[i]!);
    return s / count;
  };
  const profile = (theta: number) => {
    const xi = xiOf(theta);
    const ratio = xi / theta;
    return xi >= MIN_XI && ratio > 0 && Number.isFinite(ratio) ? -(Math.log(ratio) + xi + 1) : Number.NEGATIVE_INFINITY;
  };

  // Exponential: σ = mean, ξ = 0.
  let bestXi = 0;
  let bestTheta = 0;
  let bestL = -(Math.log(mean) + 1);
  // θ ranges over (−1/max, 0) and (0, upper): Grimshaw's upper bound when min > 0, else a wide one.
  // Candidates are spaced geometrically on both sides, since the optimum can sit near 0 or near a bound.
  const lower = -1 / max;
  const upper = min > 0 ? (2 * (mean - min)) / (min * min) : 1e6 / max;
  const candidates: number[] = [];
  const smallest = 1e-6 / mean;
  for (let k = 0; k <= GRID; k++) {
    const f = k / GRID;
    candidates.push(smallest * (upper / smallest) ** f); // geometric over (0, upper]
    candidates.push(lower * 10 ** (-6 * (1 - f)) * (1 - 1e-9)); // geometric towards −1/max
    candidates.push(lower * (1 - 10 ** (-1 - 8 * f))); // and close to it
  }
  candidates.sort((x, y) => x - y);
  let bestIndex = -1;
  candidates.forEach((theta, i) => {
    const l = profile(theta);
    if (l > bestL) {
      bestL = l;
      bestIndex = i;
    }
  });
  if (bestIndex >= 0) {
    // Golden-section search between the best candidate's neighbours, not crossing 0.
    const centre = candidates[bestIndex]!;
    let a = candidates[Math.max(0, bestIndex - 1)]!;
    let b = candidates[Math.min(candidates.length - 1, bestIndex + 1)]!;
    if (centre < 0) b = Math.min(b, -Number.MIN_VALUE);
    else a = Math.max(a, Number.MIN_VALUE);
    for (let step = 0; step < REFINE_STEPS; step++) {
      const c = b - GOLDEN * (b - a);
      const d = a + GOLDEN * (b - a);
      if (profile(c) > profile(d)) b = d;
      else a = c;
    }
    const refined = (a + b) / 2;
    bestTheta = profile(refined) > bestL ? refined : centre;
    bestXi = xiOf(bestTheta);
  }
  return bestTheta === 0 ? { xi: 0, sigma: mean } : { xi: bestXi, sigma: bestXi / bestTheta };
}

/** SPOT's threshold for risk `q`: t + σ/ξ·((nT/(n·q))^ξ − 1), or t + σ·ln(nT/(n·q)) when ξ ≈ 0. */
export function potQuantile(t: number, fit: GpdFit, excessCount: number, total: number, q: number): number {
  const ratio = excessCount / (total * q);
  if (Math.abs(fit.xi) < 1e-10) return t + fit.sigma * Math.log(ratio);
  return t + (fit.sigma / fit.xi) * (ratio ** fit.xi - 1);
}
