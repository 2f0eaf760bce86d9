import { describe, expect, it } from 'vitest';
import { routine } from '../../../test/ueba/events.js';
import type { BaselineSettings } from './baseline.js';
import { BaselineStore } from './baseline-store.js';
import { TypeCutoffs } from './cutoff.js';
import { utcHour } from './hours.js';
import { decodeState, encodeState, UebaStateError } from './state.js';
import { warmupPolicy } from './warmup.js';

const SETTINGS: BaselineSettings = { warmup: warmupPolicy(7, 50), alpha: 0.05, sourceIpCap: 64, templateTopK: 32 };

function learned(): BaselineStore {
  const store = new BaselineStore(100, SETTINGS);
  for (const event of [...routine('alice', '10.0.0.5', 8, 7), ...routine('bob', '10.0.0.6', 2, 3, '2025-07-05')]) {
    const ms = Number(event.timestampNs / 1_000_000n);
    const observation = { tsNs: event.timestampNs, ms, hour: utcHour(ms), addresses: [event.entities[0]!.value], templateId: event.templateId };
    for (const entity of event.entities) store.learn(entity, observation);
  }
  return store;
}

describe('UEBA state', () => {
  it('round-trips every baseline exactly, in recency order, with the cut-off state', () => {
    const store = learned();
    [...store.values()][0]!.lastAlertNs = 1_751_360_400_123_456_789n;
    const types = new TypeCutoffs(0.75);
    types.observe('user', 0.3);
    const cutoffs = JSON.parse(JSON.stringify(types.toState()));
    const text = encodeState(store.values(), cutoffs);
    const decoded = decodeState(text, SETTINGS);
    expect(decoded.cutoffs).toEqual(cutoffs);
    expect(encodeState(decoded.baselines, decoded.cutoffs)).toBe(text);
    expect(decoded.baselines.map((b) => [b.entityType, b.eventCount, b.warm])).toEqual([
      ['ip', 56, true],
      ['user', 56, true],
      ['ip', 6, false],
      ['user', 6, false],
    ]);
    expect(decoded.baselines[0]!.lastAlertNs).toBe(1_751_360_400_123_456_789n);
  });

  it('applies the current caps to saved baselines', () => {
    const text = encodeState(learned().values(), {});
    const decoded = decodeState(text, { ...SETTINGS, sourceIpCap: 1, templateTopK: 1 });
    expect(decoded.baselines[0]!.addresses.size).toBe(1);
  });

  it('rejects corrupt or foreign state with a typed error', () => {
    const good = JSON.parse(encodeState(learned().values(), {}));
    const bad = [
      'not json {',
      JSON.stringify({ ...good, version: 99 }),
      JSON.stringify({ ...good, baselines: [{ ...good.baselines[0], hours: [1, 2, 3] }] }),
      JSON.stringify({ ...good, baselines: [{ ...good.baselines[0], first_ns: 12.5 }] }),
      JSON.stringify({ ...good, cutoffs: { planet: {} } }),
      JSON.stringify({ ...good, cutoffs: { user: 'calibrating' } }),
    ];
    for (const text of bad) expect(() => decodeState(text, SETTINGS)).toThrow(UebaStateError);
  });
});
