import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi, makeAlert } from '../testing/fake-api';
import { useAlertDetailStore } from './alert-detail';
import { useToastsStore } from './toasts';

let api: FakeApi;
const alert = makeAlert({ alert_id: 'a1' });
const emptyHistory = { status: 200, body: { items: [], meta: { total: 0, page: 1, limit: 20 } } };

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setTimeout'] });
  api = new FakeApi()
    .on('GET /alerts/a1', { status: 200, body: { ...alert, contributing_events: [] } })
    .on('GET /alerts/a1/feedback', emptyHistory)
    .on('GET /alerts/a1/explanation', { status: 404, body: { message: 'no cached explanation' } });
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('alert detail store', () => {
  it('says "not found" for an unknown alert', async () => {
    const store = useAlertDetailStore();
    await store.load('nope');
    expect([store.notFound, store.alert]).toEqual([true, null]);
  });

  it('records a verdict optimistically and refreshes the history', async () => {
    api.on('POST /alerts/a1/feedback', { status: 204 });
    const store = useAlertDetailStore();
    await store.load('a1');
    api.on('GET /alerts/a1/feedback', {
      status: 200,
      body: { items: [{ id: 1, feedback: 'tp', note: 'seen it', origin: 'dashboard', submitted_at_ns: '1' }], meta: { total: 1, page: 1, limit: 20 } },
    });
    const done = store.setVerdict('tp', 'seen it');
    expect(store.alert!.feedback).toBe('tp'); // before the server answered
    expect(await done).toBe(true);
    expect(api.calls('POST /alerts/a1/feedback')[0]!.body).toEqual({ feedback: 'tp', note: 'seen it', origin: 'dashboard' });
    expect(store.history.map((h) => h.note)).toEqual(['seen it']);
    expect(useToastsStore().items.map((t) => t.text)).toEqual(['Marked as true positive']);
  });

  it('rolls the verdict back when the server refuses it', async () => {
    api.on('POST /alerts/a1/feedback', { status: 500, body: { message: 'An internal server error occurred' } });
    const store = useAlertDetailStore();
    await store.load('a1');
    expect(await store.setVerdict('fp', '')).toBe(false);
    expect(store.alert!.feedback).toBeNull();
    expect(useToastsStore().items[0]).toMatchObject({ kind: 'error', text: 'Feedback failed: An internal server error occurred' });
  });

  it('explains on request, and says when the model is off (503) or failed (502)', async () => {
    const store = useAlertDetailStore();
    await store.load('a1');
    expect(store.explanationState).toBe('idle');

    api.on('POST /alerts/a1/explain', { status: 503, body: { message: 'llm is not ready (disabled)', detail: 'llm_not_ready' } });
    await store.explain();
    expect([store.explanationState, store.explanationMessage]).toEqual(['off', 'llm is not ready (disabled)']);

    api.on('POST /alerts/a1/explain', { status: 502, body: { message: 'model failed' } });
    await store.explain();
    expect(store.explanationState).toBe('failed');

    api.on('POST /alerts/a1/explain', { status: 200, body: { alert_id: 'a1', summary: 'su to root by alice', cached: false } });
    await store.explain();
    expect([store.explanationState, store.explanation?.summary]).toEqual(['ready', 'su to root by alice']);
  });

  it('shows a cached explanation without running the model', async () => {
    api.on('GET /alerts/a1/explanation', { status: 200, body: { alert_id: 'a1', summary: 'cached one', cached: true } });
    const store = useAlertDetailStore();
    await store.load('a1');
    expect([store.explanationState, store.explanation?.summary]).toEqual(['ready', 'cached one']);
    expect(api.calls('POST /alerts/a1/explain')).toEqual([]);
  });
});
