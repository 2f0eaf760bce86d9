import Hapi from '@hapi/hapi';
import Joi from 'joi';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../main/config/load.js';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { systemClockNs } from '../../../main/core/clock.js';
import { openRuntime, type Runtime } from '../../../main/runtime.js';
import { corsOptions } from './cors.js';
import type { RateFamily } from './families.js';
import { apiSecurityPlugin } from './index.js';

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
});

/** A fresh server with the runtime, the plugin, and one route per family under /api/v1. */
async function securedServer(overrides: Partial<SeerflowConfig> = {}): Promise<Hapi.Server> {
  const config = validateConfig({ storage: { sqlite_path: ':memory:' }, ...overrides }, {});
  const logger = pino({ level: 'silent' });
  const server = Hapi.server({ host: config.health_bind_address, routes: { cors: corsOptions(config) } });
  server.validator(Joi);
  const runtime = await openRuntime(config, systemClockNs, logger);
  runtimes.push(runtime);
  server.decorate('server', 'seerflow', runtime);
  server.decorate('server', 'logger', logger);
  await server.register({ plugin: apiSecurityPlugin, options: { config } });
  const limited = (method: 'GET' | 'PATCH' | 'DELETE', path: string, rateLimit?: RateFamily) =>
    server.route({ method, path: `/api/v1${path}`, options: { plugins: { rateLimit } }, handler: () => ({ ok: true }) });
  limited('GET', '/events', 'list');
  limited('GET', '/alerts/{id}', 'detail');
  limited('GET', '/health');
  limited('PATCH', '/sigma/rules/{id}', 'list');
  limited('DELETE', '/sigma/rule-suggestions/{key}', 'detail');
  return server;
}

async function statuses(server: Hapi.Server, count: number, options: Hapi.ServerInjectOptions): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push((await server.inject(options)).statusCode);
  return out;
}

describe('rate limits', () => {
  it('answers 429 with Retry-After once a family is spent; other families and unlimited routes go on', async () => {
    const server = await securedServer({ api_list_rate_limit: '2/minute' });
    expect(await statuses(server, 2, { url: '/api/v1/events' })).toEqual([200, 200]);
    const refused = await server.inject('/api/v1/events');
    expect(refused.statusCode).toBe(429);
    expect(refused.result).toMatchObject({ error: 'Too Many Requests', message: 'Rate limit exceeded: 2 per 1 minute' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await server.inject('/api/v1/alerts/1')).statusCode).toBe(200);
    expect(await statuses(server, 5, { url: '/api/v1/health' })).toEqual([200, 200, 200, 200, 200]);
    expect(server.seerflow.health.report().components.rate_limit).toEqual({
      status: 'ok',
      detail: 'in-memory counters (per instance)',
    });
  });

  it('counts clients apart by address', async () => {
    const server = await securedServer({ api_list_rate_limit: '1/minute' });
    expect(await statuses(server, 2, { url: '/api/v1/events', remoteAddress: '10.0.0.1' })).toEqual([200, 429]);
    expect(await statuses(server, 2, { url: '/api/v1/events', remoteAddress: '10.0.0.2' })).toEqual([200, 429]);
  });

  it('honours X-Forwarded-For only when proxy headers are trusted', async () => {
    const spoofed = (client: string) => ({ url: '/api/v1/events', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    const untrusting = await securedServer({ api_list_rate_limit: '1/minute' });
    expect((await untrusting.inject(spoofed('203.0.113.1'))).statusCode).toBe(200);
    expect((await untrusting.inject(spoofed('203.0.113.2'))).statusCode).toBe(429); // same peer, same bucket

    const trusting = await securedServer({ api_list_rate_limit: '1/minute', api_trust_proxy_headers: true });
    expect((await trusting.inject(spoofed('203.0.113.1, 10.0.0.1'))).statusCode).toBe(200);
    expect((await trusting.inject(spoofed('203.0.113.2, 10.0.0.1'))).statusCode).toBe(200);
    expect((await trusting.inject(spoofed('203.0.113.1'))).statusCode).toBe(429);
  });

  it('limits nothing when disabled, and says so in /health', async () => {
    const server = await securedServer({ api_rate_limit_enabled: false, api_list_rate_limit: '1/minute' });
    expect(await statuses(server, 3, { url: '/api/v1/events' })).toEqual([200, 200, 200]);
    expect(server.seerflow.health.report().components.rate_limit).toEqual({ status: 'disabled' });
    expect(server.plugins['api-security'].limits).toBeNull();
  });

  it('exposes the limits in force', async () => {
    const server = await securedServer({ api_coverage_rate_limit: '3/hour' });
    expect(server.plugins['api-security'].limits?.coverage).toEqual({ points: 3, durationS: 3600, text: '3/hour', label: '3 per 1 hour' });
  });

  it('refuses to start with a route naming an unknown family', async () => {
    const server = await securedServer();
    server.route({
      method: 'GET',
      path: '/api/v1/typo',
      options: { plugins: { rateLimit: 'lists' as RateFamily } },
      handler: () => null,
    });
    await expect(server.initialize()).rejects.toThrow(
      "Invalid rateLimit 'lists' on route GET /api/v1/typo: use one of list, detail, coverage, upload",
    );
  });

  it('validates its options with a named message', async () => {
    const server = Hapi.server();
    await expect(server.register({ plugin: apiSecurityPlugin, options: {} as never })).rejects.toThrow(
      'Invalid "api-security" options',
    );
  });
});

describe('host check', () => {
  it('refuses a DNS-rebinding Host with 421, on API and non-API paths alike', async () => {
    const server = await securedServer();
    for (const url of ['/api/v1/health', '/nowhere']) {
      const response = await server.inject({ url, headers: { host: 'attacker.example:8080' } });
      expect(response.statusCode).toBe(421);
      expect((response.result as { message: string }).message).toBe(
        "Host 'attacker.example:8080' is not served here (DNS-rebinding guard); add the name to api_allowed_hosts to allow it",
      );
    }
  });

  it('answers to localhost, loopback addresses and the allowed hosts', async () => {
    const server = await securedServer({ api_allowed_hosts: ['seerflow.lan'] });
    for (const host of ['localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'seerflow.lan']) {
      expect((await server.inject({ url: '/api/v1/health', headers: { host } })).statusCode, host).toBe(200);
    }
  });
});

describe('CORS', () => {
  const preflight = (method: string, url: string, origin: string) => ({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'content-type' },
  });

  it('answers PATCH and DELETE preflights from an allowed origin', async () => {
    const server = await securedServer({ api_allowed_origins: ['http://ops.example:8443'] });
    for (const [method, url] of [['PATCH', '/api/v1/sigma/rules/r1'], ['DELETE', '/api/v1/sigma/rule-suggestions/k1']] as const) {
      const response = await server.inject(preflight(method, url, 'http://ops.example:8443'));
      expect(response.statusCode, method).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe('http://ops.example:8443');
      expect(response.headers['access-control-allow-methods']).toBe(method);
      expect(response.headers['access-control-allow-headers']).toBe('Accept,Authorization,Content-Type');
    }
  });

  it('gives another origin no permission', async () => {
    const server = await securedServer({ api_allowed_origins: ['http://ops.example:8443'] });
    const response = await server.inject(preflight('PATCH', '/api/v1/sigma/rules/r1', 'http://attacker.example'));
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await server.inject({ url: '/api/v1/events', headers: { origin: 'http://attacker.example' } });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('is same-origin only when no origin is configured', async () => {
    const server = await securedServer();
    const response = await server.inject(preflight('PATCH', '/api/v1/sigma/rules/r1', 'http://ops.example'));
    expect(response.statusCode).toBe(404);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('lets an allowed origin read Retry-After on a 429', async () => {
    const server = await securedServer({ api_allowed_origins: ['http://ops.example'], api_list_rate_limit: '1/minute' });
    const request = { url: '/api/v1/events', headers: { origin: 'http://ops.example' } };
    await server.inject(request);
    const refused = await server.inject(request);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['access-control-allow-origin']).toBe('http://ops.example');
    expect(refused.headers['access-control-expose-headers']).toContain('Retry-After');
  });
});
