import { describe, expect, it } from 'vitest';
import { BiDspot } from './bidspot.js';

const options = { calibrationWindow: 200, riskLevel: 1e-4, initialPercentile: 98, capMultiplier: 5 };

/** A deterministic, roughly normal stream (sum of three sawtooth waves). */
function stream(n: number, offset = 0): number[] {
  return Array.from({ length: n }, (_, k) => {
    const i = k + offset;
    return ((i * 0.618) % 1) + ((i * 0.414) % 1) + ((i * 0.732) % 1) - 1.5;
  });
}

function calibrated(): BiDspot {
  const dspot = new BiDspot(options);
  for (const x of stream(200)) dspot.update(x);
  return dspot;
}

describe('BiDspot', () => {
  it('refuses a calibration window below 200 (reference §18 vector 6)', () => {
    expect(() => new BiDspot({ ...options, calibrationWindow: 199 })).toThrow(/at least 200/);
    expect(() => new BiDspot({ ...options, riskLevel: 0 })).toThrow(/risk_level/);
  });

  it('flags nothing while calibrating, however extreme (vector 6)', () => {
    const dspot = new BiDspot(options);
    const flags = [...stream(150), 1e6, -1e6, ...stream(48)].map((x) => dspot.update(x));
    expect(flags.every((f) => f === null)).toBe(true);
    expect(dspot.calibrated).toBe(true);
  });

  it('then flags spikes upward and drops downward, beyond thresholds that bracket the data', () => {
    const dspot = calibrated();
    expect(dspot.upperThreshold).toBeGreaterThan(1);
    expect(dspot.lowerThreshold).toBeLessThan(-1);
    expect(stream(500, 200).map((x) => dspot.update(x)).filter(Boolean)).toEqual([]);
    expect(dspot.update(10)).toBe('upper');
    expect(dspot.update(-10)).toBe('lower');
  });

  it('declusters runs: a surge building step by step is flagged when it crosses, not absorbed into the tail', () => {
    const dspot = calibrated();
    const upper = dspot.upperThreshold;
    const ramp = Array.from({ length: 300 }, (_, k) => 1.05 + k * 0.01);
    const flags = ramp.map((x) => dspot.update(x));
    expect(dspot.upperThreshold).toBe(upper);
    expect(flags).toContain('upper');
    expect(flags.indexOf('upper')).toBe(ramp.findIndex((x) => x > upper));
  });

  it('raises the upper threshold by the feedback factor, capped at 5× the calibrated value', () => {
    expect(new BiDspot(options).adjustUpperThreshold(1.05)).toEqual({ status: 'not_calibrated', currentRatio: 1 });
    const dspot = calibrated();
    const before = dspot.upperThreshold;
    const first = dspot.adjustUpperThreshold(1.05);
    expect(first.status).toBe('applied');
    expect(dspot.upperThreshold).toBeCloseTo(before * 1.05, 12);
    let last = first;
    for (let i = 0; i < 60; i++) last = dspot.adjustUpperThreshold(1.05);
    expect(last).toEqual({ status: 'clamped', currentRatio: 5 });
    expect(dspot.upperThreshold).toBeCloseTo(dspot.calibratedUpperThreshold * 5, 12);
  });

  it('continues identically after a save and restore, feedback included', () => {
    const a = calibrated();
    a.adjustUpperThreshold(1.05);
    for (const x of stream(300, 200)) a.update(x);
    const b = BiDspot.fromState(JSON.parse(JSON.stringify(a.toState())), options);
    const rest = [...stream(400, 500), 3, -3, 7];
    expect(rest.map((x) => b.update(x))).toEqual(rest.map((x) => a.update(x)));
    expect(b.upperThreshold).toBe(a.upperThreshold);
  });
});
