import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeAlert } from '../testing/fake-api';
import { MAX_RECENT, useAlertsStore } from './alerts';

let api: FakeApi;
const page = (items: unknown[], total = items.length) => ({ status: 200, body: { items, meta: { total, page: 1, limit: 50 } } });

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi();
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('alerts store', () => {
  it('warms up from REST, then takes streamed alerts without doubling a row', async () => {
    const older = makeAlert();
    const newer = makeAlert({ rule_name: 'Root Logged In Over SSH With a Password' });
    api.on('GET /alerts', page([newer, older]));
    const store = useAlertsStore();
    await store.warm();
    expect(store.recent.map((a) => a.alert_id)).toEqual([newer.alert_id, older.alert_id]);
    expect(api.calls('GET /alerts')[0]!.query.get('limit')).toBe('200');

    const live = makeAlert({ rule_name: 'sudo Refused' });
    store.ingest([live, { ...newer, dedup_count: 3, last_seen_ns: `${BigInt(newer.last_seen_ns) + 5n}` }]);
    expect(store.recent.map((a) => a.alert_id)).toEqual([live.alert_id, newer.alert_id, older.alert_id]);
    expect(store.recent[1]!.dedup_count).toBe(3);
    // An older copy of a known alert does not overwrite the newer one.
    store.ingest([newer]);
    expect(store.recent[1]!.dedup_count).toBe(3);
    expect(store.unreviewed).toBe(3);
  });

  it('keeps the feed to the newest 500', async () => {
    const store = useAlertsStore();
    store.ingest(Array.from({ length: MAX_RECENT + 20 }, () => makeAlert()));
    expect(store.recent).toHaveLength(MAX_RECENT);
  });

  it('sends the filter to the server and joins matching live alerts to page 1 only', async () => {
    api.on('GET /alerts', page([], 0));
    const store = useAlertsStore();
    await store.setFilter({ type: 'sigma', severity: 4, tactic: 'TA0004', technique: 't1548', entity: '203.0.113.7', hours: 24 });
    const query = api.calls('GET /alerts')[0]!.query;
    expect(Object.fromEntries(query)).toMatchObject({ type: 'sigma', severity: '4', tactic: 'TA0004', technique: 't1548', entity: '203.0.113.7', page: '1', limit: '50' });
    expect(query.get('since')).toMatch(/^\d{4}-\d\d-\d\dT/);

    const now = `${BigInt(Date.now()) * 1_000_000n}`;
    const matching = makeAlert({ severity: 5, timestamp_ns: now, last_seen_ns: now });
    const tooLow = makeAlert({ severity: 3, timestamp_ns: now, last_seen_ns: now });
    const otherTactic = makeAlert({ severity: 5, mitre_tactics: ['execution'], timestamp_ns: now, last_seen_ns: now });
    store.ingest([matching, tooLow, otherTactic]);
    expect(store.rows.map((a) => a.alert_id)).toEqual([matching.alert_id]);
    expect(store.total).toBe(1);
    expect(store.recent).toHaveLength(3);

    await store.setPage(2);
    store.ingest([makeAlert({ severity: 6, timestamp_ns: now, last_seen_ns: now })]);
    expect(store.rows).toEqual([]);
  });

  it('loses no alert streamed while a page request is in flight', async () => {
    let answer: (value: { status: number; body: unknown }) => void = () => undefined;
    const stored = makeAlert();
    api.on('GET /alerts', () => new Promise((resolve) => (answer = resolve)));
    const store = useAlertsStore();
    const loading = store.loadPage();
    const streamed = makeAlert();
    store.ingest([streamed]);
    answer(page([stored], 1));
    await loading;
    expect(new Set(store.rows.map((a) => a.alert_id))).toEqual(new Set([stored.alert_id, streamed.alert_id]));
    expect(store.total).toBe(2);
  });

  it('shows a verdict everywhere the alert is listed', async () => {
    const alert = makeAlert();
    api.on('GET /alerts', page([alert]));
    const store = useAlertsStore();
    await store.warm();
    await store.loadPage();
    store.applyVerdict(alert.alert_id, 'tp');
    expect(store.recent[0]!.feedback).toBe('tp');
    expect(store.rows[0]!.feedback).toBe('tp');
    expect(store.unreviewed).toBe(0);
  });
});
