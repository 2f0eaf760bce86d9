import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeAlert, makeEvent } from '../testing/fake-api';
import { useHuntStore } from './hunt';

let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  api = new FakeApi();
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => vi.unstubAllGlobals());

describe('hunt store', () => {
  it("shows the answer's filter, events and alerts", async () => {
    api.on('POST /hunt', {
      status: 200,
      body: {
        query: 'failed logins',
        mode: 'model',
        filters: { text: 'Failed password', severity_min: 3, since: '2026-11-30T00:00:00.000Z' },
        rejected: [],
        entity: null,
        events: [makeEvent()],
        total: 1,
        alerts: [makeAlert()],
        total_alerts: 1,
        model: 'tiny',
        latency_ms: 12,
        cached: false,
        truncated: false,
      },
    });
    const store = useHuntStore();
    await store.ask('failed logins');
    expect([store.state, store.filters.text, store.total, store.totalAlerts, store.answer?.model]).toEqual(['ready', 'Failed password', 1, 1, 'tiny']);
  });

  it('says the model is off (503)', async () => {
    api.on('POST /hunt', { status: 503, body: { message: 'llm is not ready (disabled)', detail: 'llm_not_ready' } });
    const store = useHuntStore();
    await store.ask('what happened overnight');
    expect([store.state, store.message]).toEqual(['off', 'llm is not ready (disabled)']);
  });

  it('re-runs an edited filter as event and alert searches', async () => {
    api.on('GET /events', { status: 200, body: { items: [makeEvent()], meta: { total: 7, page: 1, limit: 200 } } });
    api.on('GET /alerts', { status: 200, body: { items: [], meta: { total: 0, page: 1, limit: 50 } } });
    const store = useHuntStore();
    await store.rerun({ text: 'Accepted', source: 'syslog', severity_min: 2, entity: '203.0.113.7', since: '2026-11-30T00:00:00Z', until: '', tactic: 'initial_access', alert_types: ['sigma'] });
    expect(Object.fromEntries(api.calls('GET /events')[0]!.query)).toEqual({
      since: '2026-11-30T00:00:00Z',
      q: 'Accepted',
      source: 'syslog',
      severity: '2',
      entity: '203.0.113.7',
      limit: '200',
    });
    expect(Object.fromEntries(api.calls('GET /alerts')[0]!.query)).toEqual({
      since: '2026-11-30T00:00:00Z',
      entity: '203.0.113.7',
      severity: '2',
      tactic: 'initial_access',
      type: 'sigma',
      limit: '50',
    });
    expect([store.state, store.total]).toEqual(['ready', 7]);
  });
});
