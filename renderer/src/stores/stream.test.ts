import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeNesClient, makeAlert, makeEvent } from '../testing/fake-api';
import { useAlertsStore } from './alerts';
import { useEventsStore } from './events';
import { useStreamStore } from './stream';

let client: FakeNesClient;

beforeEach(() => {
  setActivePinia(createPinia());
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  client = new FakeNesClient();
});
afterEach(() => vi.useRealTimers());

async function started() {
  const stream = useStreamStore();
  useEventsStore().useScheduler((flush) => flush());
  stream.start(() => client);
  await vi.runAllTimersAsync();
  return stream;
}

describe('stream store', () => {
  it('routes alert, event and status frames to their stores', async () => {
    const stream = await started();
    expect(stream.state).toBe('open');
    const alert = makeAlert();
    client.onUpdate({ type: 'alert', data: alert });
    client.onUpdate({ type: 'alert_batch', alerts: [makeAlert(), makeAlert()] });
    client.onUpdate({ type: 'batch', events: [makeEvent(), makeEvent()] });
    client.onUpdate({ type: 'event', data: makeEvent() });
    client.onUpdate({
      type: 'status',
      data: { events_ingested_per_sec: 12.5, alerts_24h: 3, connected_clients: 1, dropped_events: 4, dropped_alerts: 0, dropped_total: 4 },
    });
    expect(useAlertsStore().recent).toHaveLength(3);
    expect(useEventsStore().live).toHaveLength(3);
    expect(stream.status?.events_ingested_per_sec).toBe(12.5);
    expect(stream.dropped).toBe(4);
  });

  it('sends only the event-only keys, so the alert feed stays complete', async () => {
    const stream = await started();
    expect(client.sent).toEqual([{ type: 'filter' }]);
    stream.setEventFilter({ source: ['sshd'], template_ids: [] });
    await vi.advanceTimersByTimeAsync(200);
    expect(client.sent.at(-1)).toEqual({ type: 'filter', source: ['sshd'] });
    stream.setEventFilter({});
    await vi.advanceTimersByTimeAsync(200);
    expect(client.sent.at(-1)).toEqual({ type: 'filter' });
  });
});
