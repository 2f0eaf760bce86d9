import { describe, expect, it, vi } from 'vitest';
import { makeAlert } from '../../test/support/make-alert.js';
import { makeEvent } from '../../test/support/make-event.js';
import { ConnectionManager, type ConnectionManagerOptions, type StreamTransport } from './connections.js';
import type { OutgoingFrame, ServerFrame } from './frames.js';

class FakeTransport implements StreamTransport {
  readonly kind = 'raw';
  writable = true;
  readonly frames: ServerFrame[] = [];
  texts = 0;
  closedWith: [number, string] | undefined;
  heartbeats = 0;

  heartbeat(): void {
    this.heartbeats++;
  }

  send(frame: OutgoingFrame): void {
    this.texts++;
    this.frames.push(JSON.parse(frame.text()) as ServerFrame);
  }

  async close(code: number, reason: string): Promise<void> {
    this.closedWith = [code, reason];
  }

  types(): string[] {
    return this.frames.map((frame) => frame.type);
  }
}

function manager(overrides: Partial<ConnectionManagerOptions> = {}): { connections: ConnectionManager; clock: { ms: number } } {
  const clock = { ms: 1000 };
  const connections = new ConnectionManager({
    queueMax: 100,
    batchMax: 3,
    frameMinIntervalMs: 0,
    nowMs: () => clock.ms,
    globalStatus: () => ({ events_ingested_per_sec: 2.5, alerts_24h: 7 }),
    heartbeatMs: 1000,
    ...overrides,
  });
  return { connections, clock };
}

const eventIds = (frame: ServerFrame | undefined): string[] => {
  if (frame?.type === 'event') return [frame.data.event_id as string];
  if (frame?.type === 'batch') return frame.events.map((event) => event.event_id as string);
  return [];
};

describe('ConnectionManager', () => {
  it('sends queued events in frames of at most batchMax, then alerts', () => {
    const { connections } = manager();
    const transport = new FakeTransport();
    connections.add(transport);
    const events = Array.from({ length: 4 }, (_, i) => makeEvent({ message: `m${i}` }));
    for (const event of events) connections.publishEvent(event);
    connections.publishAlert(makeAlert({ ruleName: 'r1' }));
    connections.flush();
    expect(transport.types()).toStrictEqual(['batch', 'alert', 'event']);
    expect([...eventIds(transport.frames[0]), ...eventIds(transport.frames[2])]).toStrictEqual(events.map((e) => e.eventId));
    connections.flush();
    expect(transport.frames).toHaveLength(3);
  });

  it('applies each client\'s own filter', () => {
    const { connections } = manager();
    const all = new FakeTransport();
    const errorsOnly = new FakeTransport();
    connections.add(all);
    const picky = connections.add(errorsOnly)!;
    expect(connections.receive(picky, { type: 'filter', min_severity: 4 })).toStrictEqual({ ok: true });
    const info = makeEvent({ severity: 1 });
    const error = makeEvent({ severity: 4 });
    connections.publishEvent(info);
    connections.publishEvent(error);
    connections.flush();
    expect(all.frames.flatMap(eventIds)).toStrictEqual([info.eventId, error.eventId]);
    expect(errorsOnly.frames.flatMap(eventIds)).toStrictEqual([error.eventId]);
  });

  it('holds frames while a transport is not writable, dropping the oldest beyond queueMax', () => {
    const { connections } = manager({ queueMax: 2, batchMax: 10 });
    const slow = new FakeTransport();
    const client = connections.add(slow)!;
    slow.writable = false;
    const events = Array.from({ length: 5 }, (_, i) => makeEvent({ message: `m${i}` }));
    for (const event of events) connections.publishEvent(event);
    for (let i = 0; i < 3; i++) connections.publishAlert(makeAlert());
    connections.flush();
    expect(slow.frames).toStrictEqual([]);
    expect(client.events.length).toBe(2);
    expect(client.alerts.length).toBe(2);
    slow.writable = true;
    connections.flush();
    expect(slow.frames.flatMap(eventIds)).toStrictEqual([events[3]!.eventId, events[4]!.eventId]);
    connections.sendStatus();
    expect(slow.frames.at(-1)).toStrictEqual({
      type: 'status',
      data: {
        events_ingested_per_sec: 2.5,
        alerts_24h: 7,
        connected_clients: 1,
        dropped_events: 3,
        dropped_alerts: 1,
        dropped_total: 4,
      },
    });
  });

  it('sends no status, and asks nothing of the store, without clients', () => {
    let asked = 0;
    const { connections } = manager({
      globalStatus: () => {
        asked++;
        return { events_ingested_per_sec: 0, alerts_24h: 0 };
      },
    });
    connections.sendStatus();
    expect(asked).toBe(0);
  });

  it('skips status for a client that is not writable', () => {
    const { connections } = manager();
    const slow = new FakeTransport();
    connections.add(slow);
    slow.writable = false;
    connections.sendStatus();
    expect(slow.frames).toStrictEqual([]);
  });

  it('answers a bad frame with an error frame and keeps the old filter', () => {
    const { connections } = manager();
    const transport = new FakeTransport();
    const client = connections.add(transport)!;
    connections.receive(client, { type: 'filter', source: ['nginx'] });
    const before = client.filter;
    expect(connections.receive(client, { type: 'filter', source: ['sshd'], min_severity: 9 })).toStrictEqual({
      ok: false,
      message: '"min_severity" must be less than or equal to 6',
    });
    expect(connections.receiveText(client, '{"type":"filter",')).toStrictEqual({ ok: false, message: 'invalid JSON' });
    expect(connections.refuse(client, 'binary frames are not supported')).toMatchObject({ ok: false });
    expect(client.filter).toBe(before);
    expect(transport.frames).toStrictEqual([
      { type: 'error', message: '"min_severity" must be less than or equal to 6' },
      { type: 'error', message: 'invalid JSON' },
      { type: 'error', message: 'binary frames are not supported' },
    ]);
  });

  it('throttles client frames to one per frameMinIntervalMs', () => {
    const { connections, clock } = manager({ frameMinIntervalMs: 100 });
    const transport = new FakeTransport();
    const client = connections.add(transport)!;
    expect(connections.receiveText(client, '{"type":"filter","min_severity":2}')).toStrictEqual({ ok: true });
    clock.ms += 99;
    expect(connections.receiveText(client, '{"type":"filter","min_severity":5}')).toStrictEqual({
      ok: false,
      message: 'too many filter updates: at most one every 100 ms; this one was ignored',
    });
    expect(client.filter.minSeverity).toBe(2);
    clock.ms += 1;
    expect(connections.receiveText(client, '{"type":"filter","min_severity":5}')).toStrictEqual({ ok: true });
    expect(client.filter.minSeverity).toBe(5);
  });

  it('does not queue error frames for a client that is not reading', () => {
    const { connections } = manager();
    const slow = new FakeTransport();
    const client = connections.add(slow)!;
    slow.writable = false;
    for (let i = 0; i < 100; i++) connections.receiveText(client, 'not json');
    slow.writable = true;
    connections.flush();
    expect(slow.frames).toStrictEqual([]);
  });

  it('forgets a removed client and closes every client on close, refusing new ones', async () => {
    const { connections } = manager();
    const gone = new FakeTransport();
    const staying = new FakeTransport();
    connections.remove(connections.add(gone)!);
    connections.add(staying);
    connections.publishEvent(makeEvent());
    expect(connections.size).toBe(1);
    await connections.close(1001, 'server stopping');
    expect(staying.closedWith).toStrictEqual([1001, 'server stopping']);
    expect(gone.closedWith).toBeUndefined();
    expect(connections.size).toBe(0);
    const late = new FakeTransport();
    expect(connections.add(late)).toBeUndefined();
    expect(late.closedWith).toStrictEqual([1001, 'server stopping']);
  });

  it('runs flush, status and heartbeat on their timers until closed', async () => {
    vi.useFakeTimers();
    try {
      const { connections } = manager();
      const transport = new FakeTransport();
      connections.add(transport);
      connections.start(0.005, 0.02);
      connections.publishEvent(makeEvent());
      vi.advanceTimersByTime(5);
      expect(transport.types()).toStrictEqual(['event']);
      vi.advanceTimersByTime(15);
      expect(transport.types()).toStrictEqual(['event', 'status']);
      vi.advanceTimersByTime(980);
      expect(transport.heartbeats).toBe(1);
      await connections.close();
      const count = transport.frames.length;
      vi.advanceTimersByTime(5000);
      expect(transport.frames).toHaveLength(count);
      expect(transport.heartbeats).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
