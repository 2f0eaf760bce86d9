import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeAlert } from '../testing/fake-api';
import { useAlertsStore } from './alerts';
import { useSearchStore } from './search';

let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi()
    .on('GET /entities/search', { status: 200, body: [{ entity_uuid: 'u1', entity_type: 'user', entity_value: 'root' }] })
    .on('GET /sigma/rules', { status: 200, body: { items: [{ rule_id: 'r1', title: 'User Switched to Root With su', level: 'medium' }], meta: { total: 1, page: 1, limit: 8 } } })
    .on('GET /alerts', { status: 200, body: { items: [makeAlert({ alert_id: 'by-entity', entity_value: 'root' })], meta: { total: 1, page: 1, limit: 8 } } });
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('global search', () => {
  it('finds entities, rules and alerts (by entity on the server, by name in the feed)', async () => {
    useAlertsStore().ingest([makeAlert({ alert_id: 'by-name', rule_name: 'Root Logged In Over SSH' }), makeAlert({ alert_id: 'other', rule_name: 'Cron', message: 'x' })]);
    const search = useSearchStore();
    await search.run('root');
    expect(search.entities.map((e) => e.entity_value)).toEqual(['root']);
    expect(search.rules.map((r) => r.rule_id)).toEqual(['r1']);
    expect(new Set(search.alerts.map((a) => a.alert_id))).toEqual(new Set(['by-name', 'by-entity']));
    expect(api.calls('GET /sigma/rules')[0]!.query.get('search')).toBe('root');
    expect(api.calls('GET /alerts')[0]!.query.get('entity')).toBe('root');
  });

  it('clears on an empty query without asking the server', async () => {
    const search = useSearchStore();
    await search.run('   ');
    expect([search.entities, search.rules, search.alerts, api.requests]).toEqual([[], [], [], []]);
  });
});
