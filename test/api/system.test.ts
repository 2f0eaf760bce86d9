import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applianceFixture, tempDir } from '../support/appliance.js';

const start = applianceFixture();

describe('system API', () => {
  it('reports component readiness; disabled receivers are not a degradation', async () => {
    const appliance = await start({ receivers: { otlp_grpc_enabled: false } });
    const { status, body } = await appliance.get<{ status: string; components: Record<string, { status: string }> }>(
      '/api/v1/health',
    );
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.components).toMatchObject({
      store: { status: 'ok' },
      pipeline: { status: 'ok' },
      'receiver.syslog': { status: 'ok' },
      'receiver.otlp_http': { status: 'ok' },
      'receiver.otlp_grpc': { status: 'disabled' },
      'receiver.webhook': { status: 'disabled' },
    });
  });

  it('answers 503 with detail when the store cannot commit', async () => {
    const appliance = await start();
    await appliance.server.seerflow.db.raw(
      `CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`,
    );
    void appliance.server.seerflow.pipeline.submit([
      { sourceType: 'stdin', sourceId: 'stdin', receivedNs: 1n, line: 'hello' },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { status, body } = await appliance.get<{ status: string; components: Record<string, { detail?: string }> }>(
      '/api/v1/health',
    );
    expect(status).toBe(503);
    expect(body.components.store!.detail).toContain('disk I/O error');
    await appliance.server.seerflow.db.raw('DROP TRIGGER refuse');
  });

  it('exposes counters, queue depth and templates in /stats', async () => {
    const appliance = await start();
    await appliance.server.seerflow.pipeline.submit([
      { sourceType: 'stdin', sourceId: 'stdin', receivedNs: 1n, line: 'user alice logged in' },
      { sourceType: 'stdin', sourceId: 'stdin', receivedNs: 2n, line: 'user bob logged in' },
    ]);
    const { body } = await appliance.get<Record<string, unknown>>('/api/v1/stats');
    expect(body).toMatchObject({
      events_processed: 2,
      events_stored: 2,
      queue: { depth: 0, capacity: 10_000 },
      receivers: { stdin: { received: 2, stored: 2, dropped: 0, truncated: 0 } },
      templates: 1,
    });
    expect(typeof body.uptime_s).toBe('number');
    expect(typeof body.events_per_second).toBe('number');
    // The receivers were configured with port 0: /stats names the ports they really bound.
    const listeners = body.listeners as Record<string, number>;
    expect(listeners.syslog_udp).toBe(appliance.port('syslog_udp'));
    expect(listeners.otlp_http).toBeGreaterThan(0);
  });
});

describe('events API', () => {
  it('validates the query with 422 naming the field', async () => {
    const appliance = await start();
    for (const query of ['limit=1001', 'since=yesterday', 'severity=9', 'page=0']) {
      const response = await appliance.server.inject(`/api/v1/events?${query}`);
      expect(response.statusCode).toBe(422);
      const field = query.split('=')[0];
      expect((response.result as { details: Array<{ field: string }> }).details[0]!.field).toBe(field);
    }
  });

  it('pages newest first with the contract envelope and ns as strings', async () => {
    const appliance = await start();
    const lines = ['<14>1 2026-11-30T10:00:00Z h a - - - one', '<14>1 2026-11-30T10:00:01Z h a - - - two', '<14>1 2026-11-30T10:00:02Z h a - - - three'];
    await appliance.server.seerflow.pipeline.submit(
      lines.map((line, i) => ({ sourceType: 'stdin', sourceId: 'stdin', receivedNs: BigInt(i), line })),
    );
    const { body } = await appliance.get<{ items: Array<{ message: string; timestamp_ns: string }>; meta: object }>(
      '/api/v1/events?limit=2&page=1&since=2026-11-30T10:00:00.5Z',
    );
    expect(body.meta).toEqual({ total: 2, page: 1, limit: 2 });
    expect(body.items.map((e) => e.message)).toEqual(['three', 'two']);
    expect(body.items[0]!.timestamp_ns).toBe('1796032802000000000');
  });
});

describe('dashboard', () => {
  it('serves the built renderer at / with security headers, and client routes fall back to it', async () => {
    const rendererDir = tempDir();
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><div id="app"></div>');
    const appliance = await start({}, { rendererDir });
    for (const url of ['/', '/alerts/123']) {
      const response = await appliance.server.inject(url);
      expect(response.statusCode).toBe(200);
      expect(response.payload).toContain('<div id="app">');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    }
    expect((await appliance.server.inject('/api/v1/nope')).statusCode).toBe(404);
    // Paths are confined to the renderer folder: a traversal gets the app shell, never the file.
    const traversal = await appliance.server.inject('/../../etc/passwd');
    expect(traversal.payload).not.toContain('root:');
    expect((await appliance.server.inject('/%2e%2e/%2e%2e/etc/hostname.txt')).statusCode).toBeGreaterThanOrEqual(400);
  });
});
