import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applianceFixture, type TestAppliance } from '../support/appliance.js';
import { canRunRedis, startRedis, type TestRedis } from '../support/redis.js';

const start = applianceFixture();

async function statuses(appliance: TestAppliance, count: number, url: string, remoteAddress = '127.0.0.1'): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await appliance.server.inject({ url, remoteAddress })).statusCode);
  return out;
}

/** A real HTTP GET to the appliance's API port with a chosen Host header. */
function getWithHost(appliance: TestAppliance, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: appliance.port('api'), path, headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', reject);
  });
}

describe('rate limits', () => {
  it('answers 429 with Retry-After once the list family is spent', async () => {
    const appliance = await start({ api_list_rate_limit: '2/minute' });
    expect(await statuses(appliance, 2, '/api/v1/events')).toEqual([200, 200]);
    const refused = await appliance.server.inject('/api/v1/events');
    expect(refused.statusCode).toBe(429);
    expect((refused.result as { message: string }).message).toBe('Rate limit exceeded: 2 per 1 minute');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    // /health has no family: never limited.
    expect(await statuses(appliance, 3, '/api/v1/health')).toEqual([200, 200, 200]);
  });

  it('keys on X-Forwarded-For only when proxy headers are trusted', async () => {
    const forwarded = (client: string) => ({ url: '/api/v1/events', headers: { 'x-forwarded-for': client } });
    const direct = await start({ api_list_rate_limit: '1/minute' });
    expect((await direct.server.inject(forwarded('203.0.113.1'))).statusCode).toBe(200);
    expect((await direct.server.inject(forwarded('203.0.113.2'))).statusCode).toBe(429);

    const proxied = await start({ api_list_rate_limit: '1/minute', api_trust_proxy_headers: true });
    expect((await proxied.server.inject(forwarded('203.0.113.1'))).statusCode).toBe(200);
    expect((await proxied.server.inject(forwarded('203.0.113.2'))).statusCode).toBe(200);
    expect((await proxied.server.inject(forwarded('203.0.113.1'))).statusCode).toBe(429);
  });

  it('keeps limiting per instance when Redis is unreachable, and reports it in /health', async () => {
    const probe = net.createServer().listen(0, '127.0.0.1');
    await new Promise((resolve) => probe.once('listening', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));

    const appliance = await start({ api_rate_limit_redis_url: `redis://127.0.0.1:${port}`, api_list_rate_limit: '1/minute' });
    const health = await appliance.get<{ status: string; components: Record<string, { status: string; detail: string }> }>(
      '/api/v1/health',
    );
    expect(health.status).toBe(503);
    expect(health.body.components.rate_limit!.status).toBe('degraded');
    expect(health.body.components.rate_limit!.detail).toContain('redis unreachable');
    expect(await statuses(appliance, 2, '/api/v1/events')).toEqual([200, 429]);
  });
});

describe.skipIf(!canRunRedis)('rate limits shared through Redis', () => {
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it("counts one instance's requests against the other's limit", async () => {
    redis = await startRedis();
    const shared = { api_rate_limit_redis_url: redis.url, api_list_rate_limit: '3/minute' };
    const first = await start(shared);
    const second = await start(shared);
    expect(await statuses(first, 2, '/api/v1/events')).toEqual([200, 200]);
    expect(await statuses(second, 2, '/api/v1/events')).toEqual([200, 429]);
    expect(await statuses(first, 1, '/api/v1/events')).toEqual([429]);
    // Another client still has its own allowance.
    expect(await statuses(first, 1, '/api/v1/events', '10.9.8.7')).toEqual([200]);
    const { body } = await second.get<{ components: Record<string, unknown> }>('/api/v1/health');
    expect(body.components.rate_limit).toEqual({ status: 'ok', detail: 'counters shared through redis' });
  });
});

describe('CORS', () => {
  const preflight = (method: string, url: string, origin: string) => ({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });
  const sigmaWrites = [
    ['PATCH', '/api/v1/sigma/rules/some-rule'],
    ['DELETE', '/api/v1/sigma/rule-suggestions/some_pattern'],
  ] as const;

  it('allows PATCH and DELETE preflights from an allowed origin', async () => {
    const appliance = await start({ api_allowed_origins: ['https://soc.example'] });
    for (const [method, url] of sigmaWrites) {
      const response = await appliance.server.inject(preflight(method, url, 'https://soc.example'));
      expect(response.statusCode, `${method} ${url}`).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('https://soc.example');
      expect(response.headers['access-control-allow-methods']).toBe(method);
    }
  });

  it('refuses them from another origin, and from every origin when none is configured', async () => {
    const configured = await start({ api_allowed_origins: ['https://soc.example'] });
    const unconfigured = await start();
    for (const [method, url] of sigmaWrites) {
      const other = await configured.server.inject(preflight(method, url, 'https://attacker.example'));
      expect(other.headers['access-control-allow-origin'], `${method} ${url}`).toBeUndefined();
      const none = await unconfigured.server.inject(preflight(method, url, 'https://soc.example'));
      expect(none.headers['access-control-allow-origin'], `${method} ${url}`).toBeUndefined();
    }
  });
});

describe('Host check', () => {
  it('refuses a DNS-rebinding Host and answers localhost, over real HTTP', async () => {
    const appliance = await start({ api_allowed_hosts: ['seerflow.lan'] });
    const port = appliance.port('api');
    expect(await getWithHost(appliance, '/api/v1/health', `rebind.attacker.example:${port}`)).toBe(421);
    expect(await getWithHost(appliance, '/', `rebind.attacker.example:${port}`)).toBe(421);
    expect(await getWithHost(appliance, '/api/v1/health', `localhost:${port}`)).toBe(200);
    expect(await getWithHost(appliance, '/api/v1/health', `127.0.0.1:${port}`)).toBe(200);
    expect(await getWithHost(appliance, '/api/v1/health', `seerflow.lan:${port}`)).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents the events route with its query parameters, and leaves out non-API routes', async () => {
    const appliance = await start();
    const { status, body } = await appliance.get<{
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; 'x-rate-limit'?: object }>>;
    }>('/api/v1/openapi.json');
    expect(status).toBe(200);
    const events = body.paths['/api/v1/events']!.get!;
    expect(events.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
      ['since', 'until', 'source', 'severity', 'template_id', 'entity', 'q', 'page', 'limit'].map((name) => `query:${name}`),
    );
    expect(events['x-rate-limit']).toEqual({ family: 'list', limit: '60/minute' });
    expect(body.paths['/api/v1/config']!.get!['x-rate-limit']).toEqual({ family: 'list', limit: '60/minute' });
    for (const path of Object.keys(body.paths)) {
      expect(path.startsWith('/api/v1/'), path).toBe(true);
      expect(path, path).not.toMatch(/\*|\/ws$/);
    }
  });
});
