import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeApi } from '../testing/fake-api';
import { useStreamStore } from './stream';
import { useSystemStore } from './system';

let api: FakeApi;
const stats = (stored: number) => ({
  status: 200,
  body: {
    uptime_s: 12,
    events_processed: stored,
    events_stored: stored,
    events_failed: 0,
    events_per_second: 2.5,
    queue: { depth: 0, capacity: 10_000 },
    writer: { pending: 0, flushes: 1, failed_flushes: 0, last_flush_ms: 1, last_error: null },
    receivers: {},
    templates: 3,
  },
});

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  api = new FakeApi()
    .on('GET /stats', stats(0))
    .on('GET /health', { status: 503, body: { status: 'degraded', components: { llm: { status: 'degraded' } } } })
    .on('GET /config', { status: 200, body: { receivers: { bind_addr: '127.0.0.1', syslog_udp_port: 5514 } } });
  vi.stubGlobal('fetch', api.fetch);
});
afterEach(() => {
  useSystemStore().stop();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('system store', () => {
  it('loads stats, a degraded health report (503) and the config; knows an empty appliance', async () => {
    const system = useSystemStore();
    await system.start();
    expect(system.health?.status).toBe('degraded');
    expect(system.isEmpty).toBe(true);
    expect(system.receivers.find((r) => r.name === 'syslog_udp')).toMatchObject({ port: 5514, command: expect.stringContaining('-n 127.0.0.1 -P 5514') });
    expect(system.eventsPerSecond).toBe(2.5);
  });

  it('polls /stats (every 10 s) and prefers the stream status frame for the rate', async () => {
    const system = useSystemStore();
    await system.start();
    api.on('GET /stats', stats(40));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(api.calls('GET /stats')).toHaveLength(2);
    expect(system.isEmpty).toBe(false);
    useStreamStore().status = { events_ingested_per_sec: 99, alerts_24h: 4, connected_clients: 1, dropped_events: 0, dropped_alerts: 0, dropped_total: 0 };
    expect([system.eventsPerSecond, system.alerts24h]).toEqual([99, 4]);
  });
});
