import { describe, expect, it } from 'vitest';
import { MIN_SAMPLES, MIN_STD, ScoreBlender } from './blend.js';

const N = Number.NaN;
const W = [1, 1, 1, 1, 1, 1];

/** A blender whose channels have each learned `MIN_SAMPLES` values alternating 0 and 1 (mean 0.5, std ≈ 0.5). */
function trained(weights = W): ScoreBlender {
  const blender = new ScoreBlender(weights);
  for (let i = 0; i < MIN_SAMPLES; i++) blender.blend(Array(6).fill(i % 2));
  return blender;
}

const STD = Math.sqrt((MIN_SAMPLES * 0.25) / (MIN_SAMPLES - 1));

describe('ScoreBlender', () => {
  it('leaves a channel out until its accumulator holds MIN_SAMPLES values', () => {
    const blender = new ScoreBlender([1, 0, 0, 0, 0, 0]);
    for (let i = 0; i < MIN_SAMPLES; i++) expect(blender.blend([i % 2, N, N, N, N, N])).toBeNaN();
    expect(blender.blend([1, N, N, N, N, N])).toBeCloseTo(0.5 / STD, 9);
  });

  it('standardises against what came before, then learns the value', () => {
    const blender = trained([1, 0, 0, 0, 0, 0]);
    const first = blender.blend([3, N, N, N, N, N]);
    expect(first).toBeCloseTo(2.5 / STD, 9);
    expect(blender.blend([3, N, N, N, N, N])).toBeLessThan(first);
  });

  it('averages over the active channels only, with their weights', () => {
    const blender = trained([0.3, 0.25, 0.2, 0.25, 0.15, 0.15]);
    const z = 0.5 / STD;
    expect(blender.blend([1, N, N, 0, N, N])).toBeCloseTo((0.3 * z - 0.25 * z) / 0.55, 9);
    expect(Array.from(blender.z).map((v) => (Number.isNaN(v) ? null : Math.sign(v)))).toEqual([1, null, null, -1, null, null]);
    expect(blender.blend([N, N, N, N, N, N])).toBeNaN();
  });

  it('amplifies agreement: ×2 when at least max(⌊2n/3⌋, 2) channels exceed z = 1, ×1.5 at max(⌊n/2⌋, 2)', () => {
    const hi = 0.5 + 2 * STD; // z = 2
    const mean = (zs: number[]) => zs.reduce((a, b) => a + b, 0) / zs.length;
    expect(trained().blend([hi, hi, hi, hi, 0.5, 0.5])).toBeCloseTo(mean([2, 2, 2, 2, 0, 0]) * 2, 9); // 4 of 6
    expect(trained().blend([hi, hi, hi, 0.5, 0.5, 0.5])).toBeCloseTo(mean([2, 2, 2, 0, 0, 0]) * 1.5, 9); // 3 of 6
    expect(trained().blend([hi, hi, 0.5, 0.5, 0.5, 0.5])).toBeCloseTo(mean([2, 2, 0, 0, 0, 0]), 9); // 2 of 6
    expect(trained().blend([hi, hi, N, N, N, N])).toBeCloseTo(2 * 2, 9); // 2 of 2
  });

  it('floors the deviation of a channel that was constant so far (the original divided by 1e-10)', () => {
    const blender = new ScoreBlender([1, 0, 0, 0, 0, 0]);
    for (let i = 0; i < MIN_SAMPLES; i++) blender.blend([0, N, N, N, N, N]);
    expect(blender.blend([0.5, N, N, N, N, N])).toBeCloseTo(0.5 / MIN_STD, 9);
  });

  it('learns the volume channels once per minute: a flood does not standardise itself away', () => {
    const blender = trained();
    const flood = [N, 3, N, N, N, N];
    blender.blend(flood, true);
    const second = blender.blend(flood, false);
    for (let i = 0; i < 100; i++) blender.blend(flood, false);
    expect(blender.blend(flood, false)).toBe(second);
  });

  it('restores its accumulators', () => {
    const a = trained();
    for (let i = 0; i < 5; i++) a.blend([i / 5, 0.1, N, 0.3, 0.2, N]);
    const b = new ScoreBlender(W);
    b.restore(JSON.parse(JSON.stringify(a.toState())));
    expect(b.blend([0.9, 0.4, N, 0.1, 0.8, N])).toBe(a.blend([0.9, 0.4, N, 0.1, 0.8, N]));
  });
});
