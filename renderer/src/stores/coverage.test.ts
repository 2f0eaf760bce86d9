import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CoverageCell } from '../api/types';
import { FakeApi, makeAlert } from '../testing/fake-api';
import { useCoverageStore } from './coverage';

let api: FakeApi;
const cell = (technique: string): CoverageCell => ({ tactic: 'execution', technique, rule_count: 1, alert_count: 1, covered: true, detected: true, rule_names: [] });

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi();
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('coverage store', () => {
  it('never paints a stale drill-down answer, and caches per technique', async () => {
    let releaseSlow: () => void = () => undefined;
    api.on('GET /alerts', (request) => {
      const technique = request.query.get('technique');
      const body = { items: [makeAlert({ rule_name: `alert of ${technique}` })], meta: { total: 1, page: 1, limit: 20 } };
      return technique === 'T1053' ? new Promise((resolve) => (releaseSlow = () => resolve({ status: 200, body }))) : { status: 200, body };
    });
    const store = useCoverageStore();
    const slow = store.drill(cell('T1053'));
    await store.drill(cell('T1059'));
    releaseSlow();
    await slow;
    expect(store.cell?.technique).toBe('T1059');
    expect(store.cellAlerts.map((a) => a.rule_name)).toEqual(['alert of T1059']);
    expect(Object.fromEntries(api.calls('GET /alerts')[1]!.query)).toMatchObject({ tactic: 'execution', technique: 'T1059', limit: '20' });

    await store.drill(cell('T1059'));
    expect(api.calls('GET /alerts')).toHaveLength(2);
  });
});
