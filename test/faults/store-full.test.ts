/**
 * The store runs out of space (SQLite's own SQLITE_FULL, provoked with `max_page_count`, which is
 * how a full disk reaches the writer): ingestion pushes back instead of losing or corrupting
 * anything, `/health` says why, and once space returns every acknowledged event is stored.
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture, eventually } from '../support/appliance.js';

const start = applianceFixture();

function post(port: number, from: number, count: number): Promise<number> {
  const logRecords = Array.from({ length: count }, (_, k) => ({ body: { stringValue: `full test ${from + k} ${'x'.repeat(200)}` } }));
  return fetch(`http://127.0.0.1:${port}/v1/logs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }),
  }).then((response) => response.status);
}

describe('store full', () => {
  it('pushes back while full, reports it, loses nothing and recovers', async () => {
    const appliance = await start({
      api_rate_limit_enabled: false,
      receivers: { syslog_enabled: false, otlp_grpc_enabled: false, queue_maxsize: 2000 },
    });
    const { db } = appliance.server.seerflow;
    const [count] = (await db.raw('PRAGMA page_count')) as Array<{ page_count: number }>;
    // Room for a few hundred more events, then SQLITE_FULL on every commit.
    await db.raw(`PRAGMA max_page_count = ${count!.page_count + 40}`);

    const port = appliance.port('otlp_http');
    const acknowledged: number[] = [];
    let refused = 0;
    // Acknowledgement waits for the commit, so posts are sent without awaiting each one.
    const posts = Array.from({ length: 60 }, (_, i) =>
      post(port, i * 50, 50).then((status) => {
        if (status === 200) acknowledged.push(i);
        else refused++;
        return status;
      }),
    );

    const health = await eventually(async () => {
      const response = await appliance.get<{ status: string; components: Record<string, { status: string; detail?: string }> }>('/api/v1/health');
      return response.status === 503 && response.body.components.store?.status === 'degraded' ? response.body : undefined;
    }, 20_000);
    expect(health.components.store!.detail).toMatch(/full/i);
    // Pushback: with the writer unable to commit, the queue fills and further input is refused.
    await eventually(async () => refused > 0 || (await post(port, 100_000, 50)) !== 200, 20_000);

    // Space returns.
    await db.raw('PRAGMA max_page_count = 1073741823');
    const statuses = await Promise.all(posts);
    expect(statuses.every((status) => status === 200 || status === 429 || status === 503)).toBe(true);
    await eventually(async () => (await appliance.get<{ status: string }>('/api/v1/health')).status === 200, 20_000);

    const [check] = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
    expect(check?.integrity_check).toBe('ok');
    const stored = new Set(((await db('events').select('message')) as Array<{ message: string }>).map((row) => row.message.split(' ')[2]));
    const lost = acknowledged.flatMap((i) => Array.from({ length: 50 }, (_, k) => i * 50 + k)).filter((n) => !stored.has(String(n)));
    expect(acknowledged.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
  }, 60_000);
});
