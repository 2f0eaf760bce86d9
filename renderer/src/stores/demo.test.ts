import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { useDemoStore } from './demo';

let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  api = new FakeApi();
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('demo store', () => {
  it('starts the replay and follows its progress until it is done', async () => {
    let sent = 0;
    api.on('POST /demo', { status: 202, body: { status: 'started', total: 100 } });
    api.on('GET /demo', () => ({ status: 200, body: { status: sent >= 100 ? 'done' : 'running', sent: (sent = Math.min(100, sent + 50)), total: 100 } }));
    const store = useDemoStore();
    await store.start();
    expect(store.progress).toEqual({ status: 'running', sent: 50, total: 100 });
    await vi.advanceTimersByTimeAsync(2000);
    expect(store.progress?.status).toBe('done');
    await vi.advanceTimersByTimeAsync(5000);
    expect(api.calls('GET /demo')).toHaveLength(3);
  });

  it('shows the running replay when one is already going (409)', async () => {
    api.on('POST /demo', { status: 409, body: { message: 'a demo replay is already running' } });
    api.on('GET /demo', { status: 200, body: { status: 'done', sent: 10, total: 10 } });
    const store = useDemoStore();
    await store.start();
    expect([store.error, store.progress?.status]).toEqual(['', 'done']);
  });

  it('says so when this appliance has no demo data (503)', async () => {
    api.on('POST /demo', { status: 503, body: { message: 'the demo logs are missing', detail: 'demo_not_ready' } });
    const store = useDemoStore();
    await store.start();
    expect([store.available, store.error]).toEqual([false, 'Demo data is not available on this appliance']);
  });
});
