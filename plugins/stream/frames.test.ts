import { describe, expect, it } from 'vitest';
import { eventToJson } from '../../main/core/event-json.js';
import { makeEvent } from '../../test/support/make-event.js';
import { alertItem, alertsFrame, errorFrame, eventItem, eventsFrame, statusFrame, StreamItem } from './frames.js';
import { makeAlert } from '../../test/support/make-alert.js';

describe('stream frames', () => {
  const first = makeEvent({ message: 'first "quoted"' });
  const second = makeEvent({ message: 'second' });

  it('sends one event as `event`, in the same shape as text and as value', () => {
    const frame = eventsFrame([eventItem(first)]);
    const expected = { type: 'event', data: eventToJson(first) };
    expect(frame.type).toBe('event');
    expect(frame.value()).toStrictEqual(expected);
    expect(JSON.parse(frame.text())).toStrictEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('sends several events as one `batch`, in order', () => {
    const frame = eventsFrame([eventItem(first), eventItem(second)]);
    const expected = { type: 'batch', events: [eventToJson(first), eventToJson(second)] };
    expect(frame.type).toBe('batch');
    expect(frame.value()).toStrictEqual(expected);
    expect(JSON.parse(frame.text())).toStrictEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('sends alerts as `alert` or `alert_batch`, timestamps as decimal strings', () => {
    const one = alertsFrame([alertItem(makeAlert({ lastSeenNs: 1_796_032_800_123_456_789n }))]);
    expect(one.type).toBe('alert');
    expect(JSON.parse(one.text())).toMatchObject({ type: 'alert', data: { last_seen_ns: '1796032800123456789', alert_type: 'sigma' } });
    const two = alertsFrame([alertItem(makeAlert()), alertItem(makeAlert({ alertType: 'ml' }))]);
    expect(two.type).toBe('alert_batch');
    expect((JSON.parse(two.text()) as { alerts: Array<{ alert_type: string }> }).alerts.map((a) => a.alert_type)).toStrictEqual(['sigma', 'ml']);
  });

  it('converts and serialises an item once, however many frames carry it', () => {
    let conversions = 0;
    const item = new StreamItem(first, (event) => {
      conversions++;
      return eventToJson(event);
    });
    for (let i = 0; i < 3; i++) {
      eventsFrame([item]).text();
      eventsFrame([item, eventItem(second)]).value();
    }
    expect(conversions).toBe(1);
    expect(item.text).toBe(item.text);
  });

  it('builds status and error frames', () => {
    const data = {
      events_ingested_per_sec: 12.5,
      alerts_24h: 3,
      connected_clients: 2,
      dropped_events: 4,
      dropped_alerts: 1,
      dropped_total: 5,
    };
    expect(JSON.parse(statusFrame(data).text())).toStrictEqual({ type: 'status', data });
    expect(errorFrame('invalid JSON').value()).toStrictEqual({ type: 'error', message: 'invalid JSON' });
  });
});
