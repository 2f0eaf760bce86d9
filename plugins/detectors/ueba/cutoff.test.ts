import { describe, expect, it } from 'vitest';
import { BiDspot } from '../ml/bidspot.js';
import { TypeCutoffs, UEBA_DSPOT, type TypeThreshold } from './cutoff.js';

/** A threshold fixed at `upper` (null: still calibrating). */
function fixed(upper: number | null): TypeThreshold {
  return { upper, observe: () => {}, toState: () => new BiDspot(UEBA_DSPOT).toState() };
}

describe('TypeCutoffs', () => {
  it('uses score_threshold until the type’s DSPOT has calibrated (1000 composites)', () => {
    const cutoffs = new TypeCutoffs(0.75);
    for (let i = 0; i < 999; i++) cutoffs.observe('user', 0.9);
    expect(cutoffs.cutoff('user')).toBe(0.75);
  });

  it('then the higher of the threshold and the type’s DSPOT cut-off, per type', () => {
    const cutoffs = new TypeCutoffs(0.75);
    // Hosts are noisy: composites spread over [0.5, 0.9]; users are quiet: [0.05, 0.25].
    for (let i = 0; i < 2000; i++) {
      cutoffs.observe('host', 0.5 + ((i * 37) % 401) / 1000);
      cutoffs.observe('user', 0.05 + ((i * 37) % 201) / 1000);
    }
    expect(cutoffs.cutoff('host')).toBeGreaterThan(0.89);
    expect(cutoffs.cutoff('host')).toBeLessThanOrEqual(1);
    expect(cutoffs.cutoff('user')).toBe(0.75);
    expect(cutoffs.cutoff('ip')).toBe(0.75);
  });

  it('caps the cut-off at 1 so a deviation on every axis still alerts', () => {
    const cutoffs = new TypeCutoffs(0.75, () => fixed(1.7));
    cutoffs.observe('host', 0.5);
    expect(cutoffs.cutoff('host')).toBe(1);
  });

  it('restores each type’s tail to the same cut-off', () => {
    const cutoffs = new TypeCutoffs(0.75);
    for (let i = 0; i < 3000; i++) cutoffs.observe('host', 0.5 + ((i * 37) % 401) / 1000);
    const copy = new TypeCutoffs(0.75);
    copy.restore(JSON.parse(JSON.stringify(cutoffs.toState())));
    expect(copy.cutoff('host')).toBe(cutoffs.cutoff('host'));
  });

  it('refuses a saved tail it cannot rebuild', () => {
    const cutoffs = new TypeCutoffs(0.75);
    for (let i = 0; i < 1000; i++) cutoffs.observe('user', ((i * 37) % 401) / 1000);
    const saved = JSON.parse(JSON.stringify(cutoffs.toState()));
    saved.user.upper.excesses = 'AAAA'; // 3 bytes: a partial double
    expect(() => new TypeCutoffs(0.75).restore(saved)).toThrow();
  });
});
