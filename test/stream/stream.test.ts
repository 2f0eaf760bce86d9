import { describe, expect, it } from 'vitest';
import { makeAlert } from '../support/make-alert.js';
import { streamFixture, type FrameOf } from './harness.js';
import type { ServerFrame } from '../../plugins/stream/frames.js';

const { startStream, connectNes, connectRaw } = streamFixture();

const isType =
  (...types: string[]) =>
  (frame: ServerFrame) =>
    types.includes(frame.type);

describe('stream: frames over nes (/api/v1/ws) and raw WebSocket (/api/v1/ws/raw)', () => {
  it('delivers events as event/batch frames to both kinds of client', async () => {
    const stream = await startStream({ ws_batch_max_events: 5, ws_tick_interval_s: 0.02 });
    const nes = await connectNes(stream, { origin: stream.origin });
    const raw = await connectRaw(stream);

    await stream.submit([{ message: 'single event' }]);
    const [nesSingle, rawSingle] = await Promise.all([
      nes.log.next(isType('event'), { past: true }),
      raw.log.next(isType('event'), { past: true }),
    ]);
    expect(nesSingle).toMatchObject({ type: 'event', data: { message: 'single event', source_type: 'webhook' } });
    expect(rawSingle).toStrictEqual(nesSingle);
    expect(typeof (rawSingle as FrameOf<'event'>).data.timestamp_ns).toBe('string');

    const messages = Array.from({ length: 12 }, (_, i) => `burst ${i}`);
    await stream.submit(messages.map((message) => ({ message })));
    for (const client of [nes, raw]) {
      await client.log.next(() => client.log.eventMessages().length === 13, { past: true });
      expect(client.log.eventMessages()).toStrictEqual(['single event', ...messages]);
      const batches = client.log.frames.filter((frame) => frame.type === 'batch');
      expect(batches.length).toBeGreaterThan(0);
      for (const batch of batches) expect((batch as { events: unknown[] }).events.length).toBeLessThanOrEqual(5);
    }
  });

  it('delivers alerts as alert/alert_batch frames', async () => {
    const stream = await startStream();
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    const bus = stream.server.seerflow.alerts;

    bus.publish(makeAlert({ ruleName: 'SSH Brute Force Attempt', lastSeenNs: 1_796_032_800_123_456_789n }));
    for (const client of [nes, raw]) {
      expect(await client.log.next(isType('alert'), { past: true })).toMatchObject({
        type: 'alert',
        data: { rule_name: 'SSH Brute Force Attempt', last_seen_ns: '1796032800123456789' },
      });
    }
    bus.publish(makeAlert({ ruleName: 'a' }));
    bus.publish(makeAlert({ ruleName: 'b' }));
    for (const client of [nes, raw]) {
      const names = async () => {
        await client.log.next(() => alertNames(client.log.frames).length === 3, { past: true });
        return alertNames(client.log.frames);
      };
      expect(await names()).toStrictEqual(['SSH Brute Force Attempt', 'a', 'b']);
    }
    // Both were published within one tick, so they arrive together.
    expect(raw.log.types()).toContain('alert_batch');
  });

  it('sends status frames with the connected client count and drop counters', async () => {
    const stream = await startStream({ ws_status_interval_s: 0.05 });
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    for (const client of [nes, raw]) {
      const status = await client.log.next((frame) => frame.type === 'status' && frame.data.connected_clients === 2);
      expect(status).toStrictEqual({
        type: 'status',
        data: {
          events_ingested_per_sec: expect.any(Number),
          alerts_24h: 0,
          connected_clients: 2,
          dropped_events: 0,
          dropped_alerts: 0,
          dropped_total: 0,
        },
      });
    }
  });
});

describe('stream: client filters', () => {
  it('applies min_severity and source per client, over both transports', async () => {
    const stream = await startStream({ ws_filter_min_interval_ms: 0 });
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    expect(await nes.client.message({ type: 'filter', min_severity: 4 })).toMatchObject({ payload: { ok: true } });
    raw.send({ type: 'filter', source: ['nginx'] });
    // The raw filter has no reply: it is in effect once a later frame is answered in order.
    raw.send('probe');
    await raw.log.next((frame) => frame.type === 'error' && frame.message === 'invalid JSON', { past: true });

    await stream.submit([
      { message: 'nginx info', app: 'nginx', severity: 1 },
      { message: 'sshd error', app: 'sshd', severity: 4 },
      { message: 'nginx fatal', app: 'nginx', severity: 6 },
      { message: 'end', app: 'nginx', severity: 6 },
    ]);
    await nes.log.next(() => nes.log.eventMessages().includes('end'), { past: true });
    await raw.log.next(() => raw.log.eventMessages().includes('end'), { past: true });
    expect(nes.log.eventMessages()).toStrictEqual(['sshd error', 'nginx fatal', 'end']);
    expect(raw.log.eventMessages()).toStrictEqual(['nginx info', 'nginx fatal', 'end']);
  });

  it('filters events and alerts by entity', async () => {
    const stream = await startStream();
    const raw = await connectRaw(stream);
    await stream.submit([{ message: 'probe from 198.51.100.23' }]);
    const first = await raw.log.next<FrameOf<'event'>>(isType('event'), { past: true });
    expect(first.data.related_ips).toStrictEqual(['198.51.100.23']);
    const entity = (first.data.entity_refs as string[])[0]!;

    const nes = await connectNes(stream);
    await nes.client.message({ type: 'filter', entity });
    await stream.submit([{ message: 'unrelated line' }, { message: 'again from 198.51.100.23' }]);
    stream.server.seerflow.alerts.publish(makeAlert({ ruleName: 'other entity' }));
    stream.server.seerflow.alerts.publish(makeAlert({ ruleName: 'this entity', entityId: entity }));
    await nes.log.next(() => alertNames(nes.log.frames).includes('this entity'), { past: true });
    await nes.log.next(() => nes.log.eventMessages().length > 0, { past: true });
    expect(nes.log.eventMessages()).toStrictEqual(['again from 198.51.100.23']);
    expect(alertNames(nes.log.frames)).toStrictEqual(['this entity']);
  });

  it('answers a bad filter or bad JSON with an error frame and keeps the old filter', async () => {
    const stream = await startStream({ ws_filter_min_interval_ms: 0 });
    const raw = await connectRaw(stream);
    const nes = await connectNes(stream);
    raw.send({ type: 'filter', min_severity: 4 });
    raw.send({ type: 'filter', min_severity: 0, source: 'nginx' });
    expect(await raw.log.next(isType('error'), { past: true })).toStrictEqual({ type: 'error', message: '"source" must be an array' });
    raw.send('{not json');
    expect(await raw.log.next((f) => f.type === 'error' && f.message === 'invalid JSON', { past: true })).toBeDefined();
    raw.ws.send(Buffer.from('{}'), { binary: true });
    await raw.log.next((f) => f.type === 'error' && f.message.startsWith('binary frames'), { past: true });

    await nes.client.message({ type: 'filter', min_severity: 4 });
    expect(await nes.client.message({ type: 'filter', alert_types: ['nope'] })).toMatchObject({
      payload: { ok: false, message: '"alert_types[0]" must be one of [ml, sigma, correlation, ueba, ioc]' },
    });
    expect(await nes.log.next(isType('error'), { past: true })).toStrictEqual({
      type: 'error',
      message: '"alert_types[0]" must be one of [ml, sigma, correlation, ueba, ioc]',
    });

    await stream.submit([{ message: 'low', severity: 1 }, { message: 'high', severity: 5 }]);
    for (const client of [raw, nes]) {
      await client.log.next(() => client.log.eventMessages().includes('high'), { past: true });
      expect(client.log.eventMessages()).toStrictEqual(['high']);
    }
  });

  it('throttles filter updates to one per ws_filter_min_interval_ms', async () => {
    const stream = await startStream({ ws_filter_min_interval_ms: 60_000 });
    const raw = await connectRaw(stream);
    const nes = await connectNes(stream);
    raw.send({ type: 'filter', min_severity: 4 });
    raw.send({ type: 'filter', min_severity: 0 });
    expect(await raw.log.next(isType('error'), { past: true })).toStrictEqual({
      type: 'error',
      message: 'too many filter updates: at most one every 60000 ms; this one was ignored',
    });
    expect(await nes.client.message({ type: 'filter', min_severity: 4 })).toMatchObject({ payload: { ok: true } });
    expect(await nes.client.message({ type: 'filter', min_severity: 0 })).toMatchObject({ payload: { ok: false } });

    await stream.submit([{ message: 'low', severity: 1 }, { message: 'high', severity: 5 }]);
    for (const client of [raw, nes]) {
      await client.log.next(() => client.log.eventMessages().includes('high'), { past: true });
      expect(client.log.eventMessages()).toStrictEqual(['high']);
    }
  });
});

function alertNames(frames: ServerFrame[]): string[] {
  return frames.flatMap((frame) =>
    frame.type === 'alert'
      ? [frame.data.rule_name as string]
      : frame.type === 'alert_batch'
        ? frame.alerts.map((alert) => alert.rule_name as string)
        : [],
  );
}
