import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { canRunRedis, startRedis, type TestRedis } from '../../../test/support/redis.js';
import type { RateFamily } from './families.js';
import { configuredRateSpecs, parseRateSpec, RateLimits, type RateStoreEvent } from './rate-limit.js';

function specs(list: string, detail = '300/minute'): Record<RateFamily, ReturnType<typeof parseRateSpec>> {
  return {
    list: parseRateSpec(list),
    detail: parseRateSpec(detail),
    coverage: parseRateSpec('10/minute'),
    upload: parseRateSpec('5/minute'),
  };
}

const opened: RateLimits[] = [];
function limits(options: ConstructorParameters<typeof RateLimits>[0]): RateLimits {
  const made = new RateLimits(options);
  opened.push(made);
  return made;
}
afterEach(() => opened.splice(0).forEach((made) => made.close()));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('parseRateSpec', () => {
  it('reads the limits-string syntax', () => {
    expect(parseRateSpec('60/minute')).toEqual({ points: 60, durationS: 60, text: '60/minute', label: '60 per 1 minute' });
    expect(parseRateSpec('5 / second')).toEqual({ points: 5, durationS: 1, text: '5 / second', label: '5 per 1 second' });
    expect(parseRateSpec('1000/hour').durationS).toBe(3600);
    expect(parseRateSpec('2/day').durationS).toBe(86_400);
  });

  it('names the bad text', () => {
    expect(() => parseRateSpec('60 per minute')).toThrow("invalid rate limit '60 per minute': expected N/second|minute|hour|day");
    expect(() => parseRateSpec('10/week')).toThrow("invalid rate limit '10/week'");
    expect(() => parseRateSpec('0/minute')).toThrow("invalid rate limit '0/minute': allow at least 1 request per minute");
  });
});

describe('configuredRateSpecs', () => {
  const keys = {
    api_list_rate_limit: '60/minute',
    api_detail_rate_limit: '300/minute',
    api_coverage_rate_limit: '10/minute',
    api_upload_rate_limit: '5/minute',
  };

  it('reads each family from its key', () => {
    const specs = configuredRateSpecs(keys, 'ctx');
    expect(Object.fromEntries(Object.entries(specs).map(([family, spec]) => [family, spec.text]))).toEqual({
      list: '60/minute',
      detail: '300/minute',
      coverage: '10/minute',
      upload: '5/minute',
    });
  });

  it('names the key that does not parse', () => {
    expect(() => configuredRateSpecs({ ...keys, api_upload_rate_limit: '0/minute' }, 'Invalid "api-security" options')).toThrow(
      `Invalid "api-security" options: api_upload_rate_limit: invalid rate limit '0/minute': allow at least 1 request per minute`,
    );
  });
});

describe('RateLimits in memory', () => {
  it('allows N per window per key, then refuses with the seconds to wait', async () => {
    const rate = limits({ specs: specs('2/minute') });
    expect(await rate.consume('list', '10.0.0.1')).toEqual({ allowed: true, remaining: 1 });
    expect(await rate.consume('list', '10.0.0.1')).toEqual({ allowed: true, remaining: 0 });
    const refused = await rate.consume('list', '10.0.0.1');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, message: 'Rate limit exceeded: 2 per 1 minute' });
    expect(refused.allowed === false && refused.retryAfterS).toBeGreaterThanOrEqual(59);
    expect(refused.allowed === false && refused.retryAfterS).toBeLessThanOrEqual(60);
  });

  it('counts each key and each family apart', async () => {
    const rate = limits({ specs: specs('1/minute', '1/minute') });
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'b')).allowed).toBe(true);
    expect((await rate.consume('detail', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(false);
  });

  it('reopens after the window', async () => {
    const rate = limits({ specs: specs('1/second') });
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
  });

  it('is healthy without a store to lose', async () => {
    const rate = limits({ specs: specs('1/minute') });
    await rate.connect();
    expect(rate.health()).toEqual({ status: 'ok', detail: 'in-memory counters (per instance)' });
  });
});

describe('RateLimits with an unreachable Redis', () => {
  it('keeps limiting per instance and reports the degradation', async () => {
    const events: RateStoreEvent[] = [];
    const rate = limits({
      specs: specs('2/minute'),
      redisUrl: `redis://127.0.0.1:${await closedPort()}`,
      onStoreChange: (event) => events.push(event),
    });
    expect(rate.health()).toEqual({ status: 'starting', detail: 'connecting to redis' });
    await rate.connect();
    expect(rate.health().status).toBe('degraded');
    expect(rate.health().detail).toMatch(/^redis unreachable \(.*ECONNREFUSED.*\); counting per instance until it returns$/);
    expect(events[0]).toMatchObject({ store: 'redis', state: 'down' });
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(false);
  });
});

describe.skipIf(!canRunRedis)('RateLimits with Redis', () => {
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
    redis = undefined;
  });

  it('shares counters between instances using one Redis', async () => {
    redis = await startRedis();
    const first = limits({ specs: specs('3/minute'), redisUrl: redis.url });
    const second = limits({ specs: specs('3/minute'), redisUrl: redis.url });
    await Promise.all([first.connect(), second.connect()]);
    expect(first.health()).toEqual({ status: 'ok', detail: 'counters shared through redis' });
    expect((await first.consume('list', 'a')).allowed).toBe(true);
    expect((await first.consume('list', 'a')).allowed).toBe(true);
    expect(await second.consume('list', 'a')).toEqual({ allowed: true, remaining: 0 });
    expect(await second.consume('list', 'a')).toMatchObject({ allowed: false, message: 'Rate limit exceeded: 3 per 1 minute' });
    expect((await first.consume('list', 'a')).allowed).toBe(false);
    // Another key, another family: untouched.
    expect((await second.consume('list', 'b')).allowed).toBe(true);
    expect((await second.consume('detail', 'a')).allowed).toBe(true);
  });

  it('falls back to in-memory counting when Redis goes away', async () => {
    redis = await startRedis();
    const rate = limits({ specs: specs('2/minute'), redisUrl: redis.url });
    await rate.connect();
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    await redis.stop();
    await expect.poll(() => rate.health().status, { timeout: 5000 }).toBe('degraded');
    // The insurance limiter starts its own count: two more, then refused.
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(true);
    expect((await rate.consume('list', 'a')).allowed).toBe(false);
  });
});
