import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { useAnomalyStore } from './anomaly';

let api: FakeApi;

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  api = new FakeApi().on('GET /anomaly/timeline', (request) => ({
    status: 200,
    body: { meta: {}, items: [{ bucket_start_ns: '1', max_score: null, avg_score: null, event_count: 3, upper_threshold: null, alert_count: Number(request.query.get('range') === '7d') }] },
  }));
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('anomaly store', () => {
  it('keeps the resolution a range allows, or takes the range default', async () => {
    const store = useAnomalyStore();
    await store.setRange('24h');
    expect(store.resolution).toBe('5m');
    await store.setResolution('15m');
    await store.setRange('7d');
    expect(store.resolution).toBe('15m');
    await store.setRange('1h');
    expect(store.resolution).toBe('1m');
    expect(api.calls('GET /anomaly/timeline').map((r) => `${r.query.get('range')}/${r.query.get('resolution')}`)).toEqual(['24h/5m', '24h/15m', '7d/15m', '1h/1m']);
  });

  it('refreshes on the resolution period', async () => {
    const store = useAnomalyStore();
    await store.load();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(api.calls('GET /anomaly/timeline')).toHaveLength(2);
    expect(store.items[0]!.event_count).toBe(3);
  });
});
