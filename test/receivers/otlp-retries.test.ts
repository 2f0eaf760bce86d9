/**
 * Idempotent OTLP retries over real sockets and a real SQLite store: a client that resends a
 * request (after a 503 / UNAVAILABLE on a slow commit, or after its own timeout) never gets its
 * records stored twice; a request refused with 429 is stored when resent; the memory ends.
 */
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClockNs } from '../../main/core/clock.js';
import type { RawEvent } from '../../main/core/event.js';
import { STILL_COMMITTING } from '../../plugins/receivers/otlp/accepted-requests.js';
import { encodeOtlpProtobuf } from '../../plugins/receivers/otlp/decode.js';
import { applianceFixture, eventually, type EventsPage, type TestAppliance } from '../support/appliance.js';
import { otlpGrpcClient } from '../support/net.js';

const MINUTE_NS = 60_000_000_000n;
const start = applianceFixture();
const held: Array<() => Promise<void>> = [];
// Registered after the fixture's, so it runs before it: a test that failed holding the writer
// must not keep its appliance from stopping.
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(held.splice(0).map((release) => release()));
});

function body(...messages: string[]): string {
  const logRecords = messages.map((message) => ({ timeUnixNano: '1796032800123456789', body: { stringValue: message } }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] }, scopeLogs: [{ logRecords }] }] });
}

function postLogs(app: TestAppliance, payload: string | Buffer<ArrayBuffer>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${app.port('otlp_http')}/v1/logs`, {
    method: 'POST',
    body: payload,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

async function stored(app: TestAppliance, source: string): Promise<string[]> {
  const page = (await app.get<EventsPage>(`/api/v1/events?source=${source}&limit=100`)).body;
  return page.items.map((event) => event.message as string).sort();
}

function deduplicated(app: TestAppliance): number {
  return app.server.plugins['receiver-otlp'].stats().retries_deduplicated;
}

/** Take the store's only write connection, so the writer cannot commit until `release()`. */
async function holdWriter(app: TestAppliance): Promise<{ release: () => Promise<void> }> {
  const trx = await app.server.seerflow.db.transaction();
  const release = async () => {
    if (!trx.isCompleted()) await trx.commit();
  };
  held.push(release);
  return { release };
}

describe('OTLP/HTTP retries', () => {
  it('stores a resent body once and answers both 200, gzip or not', async () => {
    const appliance = await start();
    const payload = body('payment failed for order 991', 'payment retried for order 991');
    const first = await postLogs(appliance, payload);
    const resent = await postLogs(appliance, Buffer.from(gzipSync(payload)), { 'Content-Encoding': 'gzip' });
    expect([first.status, resent.status]).toEqual([200, 200]);
    expect(await resent.json()).toEqual({});
    expect(await stored(appliance, 'otlp-http')).toEqual(['payment failed for order 991', 'payment retried for order 991']);
    expect(deduplicated(appliance)).toBe(1);
  });

  it('makes a resend that arrives before the commit wait for it, and stores the records once', async () => {
    const appliance = await start();
    const payload = body('slow commit for order 17');
    const writer = await holdWriter(appliance);
    const answered: number[] = [];
    const first = postLogs(appliance, payload).then((response) => answered.push(response.status));
    await eventually(async () => appliance.server.seerflow.pipeline.counters('otlp_http').received === 1);
    const resent = postLogs(appliance, payload).then((response) => answered.push(response.status));
    await eventually(async () => deduplicated(appliance) === 1);
    // Neither is answered while the store cannot commit.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(answered).toEqual([]);

    await writer.release();
    await Promise.all([first, resent]);
    expect(answered).toEqual([200, 200]);
    expect(await stored(appliance, 'otlp-http')).toEqual(['slow commit for order 17']);
  });

  it('answers 503 after the commit timeout saying the records are accepted, and a resend then stores nothing more', async () => {
    const appliance = await start();
    const payload = body('timed out commit for order 23');
    const writer = await holdWriter(appliance);
    // Only the receiver's 30 s commit timeout is driven by hand; everything else runs in real time.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'], shouldAdvanceTime: true });
    const first = postLogs(appliance, payload);
    await eventually(async () => appliance.server.seerflow.pipeline.counters('otlp_http').received === 1);
    vi.advanceTimersByTime(30_000);
    const refused = await first;
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { message: string }).message).toBe(STILL_COMMITTING);

    const resent = postLogs(appliance, payload);
    await eventually(async () => deduplicated(appliance) === 1);
    await writer.release();
    expect((await resent).status).toBe(200);
    expect(await stored(appliance, 'otlp-http')).toEqual(['timed out commit for order 23']);
  });

  it('stores the same body again once the memory window (10 minutes after the commit) has passed', async () => {
    let offsetNs = 0n;
    const appliance = await start({}, { clock: () => systemClockNs() + offsetNs });
    const payload = body('nightly export done');
    expect((await postLogs(appliance, payload)).status).toBe(200);
    offsetNs += 9n * MINUTE_NS;
    expect((await postLogs(appliance, payload)).status).toBe(200);
    expect(await stored(appliance, 'otlp-http')).toEqual(['nightly export done']);

    offsetNs += 2n * MINUTE_NS;
    expect((await postLogs(appliance, payload)).status).toBe(200);
    expect(await stored(appliance, 'otlp-http')).toEqual(['nightly export done', 'nightly export done']);
    expect(appliance.server.plugins['receiver-otlp'].stats()).toEqual({ retries_deduplicated: 1, requests_remembered: 1 });
    expect((await appliance.get<{ otlp: unknown }>('/api/v1/stats')).body.otlp).toEqual({ retries_deduplicated: 1, requests_remembered: 1 });
  });

  it('submits the resend of a request refused with 429, and stores it once', async () => {
    const appliance = await start({ receivers: { queue_maxsize: 1000, syslog_enabled: false } });
    const { pipeline } = appliance.server.seerflow;
    const writer = await holdWriter(appliance);
    // Fill the store's backlog until it pushes back and the ingest queue stays full.
    const flood = (from: number): RawEvent[] =>
      Array.from({ length: 1000 }, (_, k) => ({
        sourceType: 'webhook',
        sourceId: 'flood',
        receivedNs: systemClockNs(),
        record: { message: `flood line ${from + k}` },
      }));
    let sent = 0;
    while (pipeline.submit(flood(sent))) {
      sent += 1000;
      await new Promise((resolve) => setImmediate(resolve));
    }

    const payload = body('order 4410 shipped');
    expect((await postLogs(appliance, payload)).status).toBe(429);
    await writer.release();
    await eventually(async () => pipeline.hasRoom(1));
    expect((await postLogs(appliance, payload)).status).toBe(200);
    expect(await stored(appliance, 'otlp-http')).toEqual(['order 4410 shipped']);
    expect(deduplicated(appliance)).toBe(0);
  }, 30_000);
});

describe('OTLP/gRPC retries', () => {
  it('stores a resent export once and answers both OK', async () => {
    const appliance = await start();
    const client = otlpGrpcClient(appliance.port('otlp_grpc'));
    const exportLogs = (payload: Buffer) => client.send(payload);
    const payload = Buffer.from(
      encodeOtlpProtobuf({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1796032800123456789', body: { stringValue: 'grpc export sent twice' } }] }] }] }),
    );
    expect(await exportLogs(payload)).toBeNull();
    expect(await exportLogs(payload)).toBeNull();
    client.close();
    expect(await stored(appliance, 'otlp-grpc')).toEqual(['grpc export sent twice']);
    expect(deduplicated(appliance)).toBe(1);
  });
});
