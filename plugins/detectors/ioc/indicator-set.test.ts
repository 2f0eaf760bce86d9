import { describe, expect, it } from 'vitest';
import { ALL_TYPES, IndicatorSet, SnapshotError, type FeedPolicy } from './indicator-set.js';
import { KIND, encodeKey, type IndicatorType } from './indicator.js';
import { keyHash } from './indicator-table.js';
import type { StixIndicatorRecord } from './stix-object.js';

const NOW = 1_750_000_000;
const policy: FeedPolicy = { confidenceFloor: 0, maxIndicators: 1000, graceS: 86_400, enabledTypes: ALL_TYPES };
const bloom = { fpr: 0.001, minCapacity: 100, growth: 1.25 };

function record(fp: number, values: string[], extra: Partial<StixIndicatorRecord> = {}): StixIndicatorRecord {
  return {
    fp,
    modifiedS: NOW - 100,
    revoked: false,
    validUntilS: 0,
    confidence: 70,
    phases: ['command-and-control'],
    observables: values.map((value) => ({ type: value.includes(':') ? 'url' : /^\d/.test(value) ? 'ipv4' : 'domain', value })),
    ...extra,
  } as StixIndicatorRecord;
}

function holds(set: IndicatorSet, type: IndicatorType, value: string): Array<{ feed: number; confidence: number }> {
  const key = new Uint8Array(4096);
  const len = encodeKey(type, value, key);
  const out = new Int32Array(8);
  const n = set.table.lookup(KIND[type], key, 0, len, keyHash(KIND[type], key, 0, len), out);
  return Array.from(out.subarray(0, n), (id) => ({ feed: set.table.feedOf(id), confidence: set.table.confidenceOf(id) }));
}

describe('IndicatorSet, TAXII feeds', () => {
  it('accumulates incremental polls instead of replacing them', () => {
    const set = new IndicatorSet(bloom);
    expect(set.applyStix(0, [record(1, ['203.0.113.1']), record(2, ['evil.example'])], NOW, policy)).toMatchObject({ added: 2, removed: 0 });
    expect(set.applyStix(0, [record(3, ['203.0.113.3'])], NOW, policy)).toMatchObject({ added: 1, removed: 0 });
    expect(set.sizeOf(0)).toBe(3);
    expect(holds(set, 'ipv4', '203.0.113.1')).toEqual([{ feed: 0, confidence: 70 }]);
    expect(set.typesOf(0)).toEqual({ ipv4: 2, domain: 1 });
  });

  it('replaces an older version of an id, ignores an older one, and drops revoked ids', () => {
    const set = new IndicatorSet(bloom);
    set.applyStix(0, [record(1, ['203.0.113.1', 'evil.example'])], NOW, policy);
    const update = set.applyStix(0, [record(1, ['203.0.113.2'], { modifiedS: NOW - 50, confidence: 90 })], NOW, policy);
    expect(update).toMatchObject({ added: 1, removed: 2 });
    expect(holds(set, 'ipv4', '203.0.113.1')).toEqual([]);
    expect(holds(set, 'ipv4', '203.0.113.2')).toEqual([{ feed: 0, confidence: 90 }]);
    expect(set.applyStix(0, [record(1, ['198.51.100.1'], { modifiedS: NOW - 80 })], NOW, policy)).toMatchObject({ stale: 1, added: 0 });
    expect(set.applyStix(0, [record(1, [], { modifiedS: NOW - 10, revoked: true })], NOW, policy)).toMatchObject({ revoked: 1, removed: 1 });
    expect(set.sizeOf(0)).toBe(0);
  });

  it('keeps the latest version when one poll carries several', () => {
    const set = new IndicatorSet(bloom);
    set.applyStix(0, [record(7, ['203.0.113.9'], { modifiedS: NOW - 10 }), record(7, ['203.0.113.8'], { modifiedS: NOW - 20 })], NOW, policy);
    expect(holds(set, 'ipv4', '203.0.113.9')).toHaveLength(1);
    expect(holds(set, 'ipv4', '203.0.113.8')).toHaveLength(0);
  });

  it('lets expired, low-confidence, unwanted and excess indicators out', () => {
    const set = new IndicatorSet(bloom);
    const counts = set.applyStix(
      0,
      [
        record(1, ['203.0.113.1'], { validUntilS: NOW - 86_401 }),
        record(2, ['203.0.113.2'], { validUntilS: NOW - 86_399 }),
        record(3, ['203.0.113.3'], { confidence: 10 }),
        record(4, ['http://evil.example/x']),
        record(5, ['203.0.113.5', '203.0.113.6']),
      ],
      NOW,
      { ...policy, confidenceFloor: 20, maxIndicators: 2, enabledTypes: new Set<IndicatorType>(['ipv4']) },
    );
    expect(counts).toMatchObject({ added: 2, expired: 1, belowFloor: 1, skippedType: 1, capped: 1 });
    expect(set.sweep(NOW + 2, 86_400)).toEqual(new Map([[0, 1]]));
    expect(holds(set, 'ipv4', '203.0.113.2')).toEqual([]);
    expect(set.sizeOf(0)).toBe(1);
  });

  it('keeps feeds apart', () => {
    const set = new IndicatorSet(bloom);
    set.applyStix(0, [record(1, ['203.0.113.1'])], NOW, policy);
    set.applyStix(1, [record(1, ['203.0.113.1'], { confidence: 95 })], NOW, policy);
    expect(holds(set, 'ipv4', '203.0.113.1').sort((a, b) => a.feed - b.feed)).toEqual([
      { feed: 0, confidence: 70 },
      { feed: 1, confidence: 95 },
    ]);
    expect(set.clear(0)).toBe(1);
    expect(holds(set, 'ipv4', '203.0.113.1')).toEqual([{ feed: 1, confidence: 95 }]);
  });
});

describe('IndicatorSet, plain feeds', () => {
  it('makes the feed hold exactly the latest list', () => {
    const set = new IndicatorSet(bloom);
    const defaults = { confidence: 60, phases: ['initial-access'] };
    const list = (...values: string[]) => values.map((value) => ({ type: (/^\d/.test(value) ? 'ipv4' : 'domain') as IndicatorType, value }));
    expect(set.replacePlain(2, list('203.0.113.1', 'evil.example', 'evil.example'), defaults, policy)).toMatchObject({ added: 2, removed: 0 });
    expect(set.replacePlain(2, list('evil.example', '198.51.100.1'), defaults, policy)).toMatchObject({ added: 1, removed: 1 });
    expect(holds(set, 'ipv4', '203.0.113.1')).toEqual([]);
    expect(set.sizeOf(2)).toBe(2);
    expect(set.replacePlain(2, list('evil.example'), { ...defaults, confidence: 80 }, policy)).toMatchObject({ added: 1, removed: 2 });
    expect(holds(set, 'domain', 'evil.example')).toEqual([{ feed: 2, confidence: 80 }]);
    expect(set.phases(set.table.phasesOf(0))).toEqual(['initial-access']);
  });
});

describe('IndicatorSet snapshots', () => {
  it('round-trips a feed with its state, applying the policy in force', () => {
    const set = new IndicatorSet(bloom);
    set.applyStix(
      0,
      [
        record(9_007_199_254_740_991, ['203.0.113.1', 'http://evil.example/a?b=1'], { validUntilS: NOW + 1000 }),
        record(2, ['10.0.0.0/8'], { confidence: 30, phases: ['exfiltration', 'impact'] }),
      ],
      NOW,
      policy,
    );
    set.applyStix(1, [record(3, ['other.example'])], NOW, policy);
    const json = set.snapshot(0, 'feed-a', { cursor: { addedAfter: '2025-01-01T00:00:00Z' } }, NOW);

    const restored = new IndicatorSet(bloom);
    const result = restored.restore<{ cursor: { addedAfter: string } }>(0, 'feed-a', json, NOW, policy);
    expect(result.state).toEqual({ cursor: { addedAfter: '2025-01-01T00:00:00Z' } });
    expect(result.counts.added).toBe(3);
    expect(holds(restored, 'url', 'http://evil.example/a?b=1')).toEqual([{ feed: 0, confidence: 70 }]);
    expect(holds(restored, 'ipv4', '10.0.0.0/8')).toEqual([{ feed: 0, confidence: 30 }]);
    expect(holds(restored, 'domain', 'other.example')).toEqual([]);
    // The version and fingerprint survive: an update replaces the restored entries.
    expect(restored.applyStix(0, [record(9_007_199_254_740_991, ['203.0.113.2'], { modifiedS: NOW })], NOW, policy)).toMatchObject({ removed: 2, added: 1 });

    const stricter = new IndicatorSet(bloom);
    expect(stricter.restore(0, 'feed-a', json, NOW + 2000, { ...policy, confidenceFloor: 50, graceS: 0 }).counts).toMatchObject({
      added: 0,
      expired: 2,
      belowFloor: 1,
    });
  });

  it('refuses what is not a snapshot of this version and feed', () => {
    const set = new IndicatorSet(bloom);
    const json = set.snapshot(0, 'feed-a', {}, NOW);
    expect(() => set.restore(0, 'feed-b', json, NOW, policy)).toThrow(SnapshotError);
    expect(() => set.restore(0, 'feed-a', json.replace('"version":1', '"version":2'), NOW, policy)).toThrow(/version 2, not 1/);
    expect(() => set.restore(0, 'feed-a', '{', NOW, policy)).toThrow(/not JSON/);
    expect(() => set.restore(0, 'feed-a', json.replace('"values":[]', '"values":["x"]'), NOW, policy)).toThrow(/different lengths/);
  });
});
