import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../test/support/make-event.js';
import { contentFeatures, FEATURE_COUNT } from './features.js';

describe('contentFeatures', () => {
  it('scales every feature into [0, 1] and reads the hour from event time (UTC)', () => {
    const out = new Float64Array(FEATURE_COUNT);
    const at = BigInt(Date.UTC(2026, 0, 5, 18, 30)) * 1_000_000n;
    const ip = { type: 'ip' as const, value: '10.0.0.1', id: 'i' };
    contentFeatures(makeEvent({ timestampNs: at, templateId: 41, templateParams: ['a', 'b', 'c', 'd'], message: 'x'.repeat(5000), severity: 6, entities: [ip, ip, ip] }), out);
    expect(Array.from(out).every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(out.slice(2)).toEqual(Float64Array.from([0.5, 1, 1, 0.5, 18.5 / 24]));
  });

  it('gives different templates different coordinates, and the same template the same', () => {
    const a = new Float64Array(FEATURE_COUNT);
    const b = new Float64Array(FEATURE_COUNT);
    contentFeatures(makeEvent({ templateId: 7 }), a);
    contentFeatures(makeEvent({ templateId: 8 }), b);
    expect([a[0], a[1]]).not.toEqual([b[0], b[1]]);
    contentFeatures(makeEvent({ templateId: 7, message: 'other text' }), b);
    expect([a[0], a[1]]).toEqual([b[0], b[1]]);
  });
});
