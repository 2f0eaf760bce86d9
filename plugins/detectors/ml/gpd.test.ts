import { describe, expect, it } from 'vitest';
import { fitGpd, potQuantile } from './gpd.js';

/** n evenly spaced quantiles of a GPD(ξ, σ): a deterministic stand-in for a sample. */
function gpdQuantiles(xi: number, sigma: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => {
    const u = (i + 0.5) / n;
    return xi === 0 ? -sigma * Math.log(1 - u) : (sigma / xi) * ((1 - u) ** -xi - 1);
  });
}

describe('fitGpd', () => {
  it('recovers an exponential tail (ξ ≈ 0, σ ≈ its mean)', () => {
    const fit = fitGpd(gpdQuantiles(0, 2, 2000))!;
    expect(Math.abs(fit.xi)).toBeLessThan(0.02);
    expect(fit.sigma).toBeCloseTo(2, 1);
  });

  it('recovers a heavy tail (ξ = 0.3) and a bounded one (ξ = −0.3)', () => {
    const heavy = fitGpd(gpdQuantiles(0.3, 1, 4000))!;
    expect(heavy.xi).toBeCloseTo(0.3, 1);
    expect(heavy.sigma).toBeCloseTo(1, 1);
    const bounded = fitGpd(gpdQuantiles(-0.3, 1, 4000))!;
    expect(bounded.xi).toBeCloseTo(-0.3, 1);
    expect(bounded.sigma).toBeCloseTo(1, 1);
  });

  it('gives no fit without spread to fit', () => {
    expect(fitGpd([])).toBeUndefined();
    expect(fitGpd([0, 0, 0])).toBeUndefined();
  });
});

describe('potQuantile', () => {
  it('is SPOT\'s formula, with the exponential limit at ξ = 0', () => {
    // t + σ/ξ·((nT/(n·q))^ξ − 1) with nT/(n·q) = 20/(1000·1e-3) = 20.
    expect(potQuantile(1, { xi: 0.5, sigma: 2 }, 20, 1000, 1e-3)).toBeCloseTo(1 + 4 * (Math.sqrt(20) - 1), 12);
    expect(potQuantile(1, { xi: 0, sigma: 2 }, 20, 1000, 1e-3)).toBeCloseTo(1 + 2 * Math.log(20), 12);
  });
});
