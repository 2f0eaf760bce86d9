/**
 * Redis (shared rate-limit counters) going away and coming back: the appliance keeps answering
 * with per-instance limits, `/health` says so, and once Redis is back on its address the counters
 * are shared again without a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applianceFixture, eventually } from '../support/appliance.js';
import { canRunRedis, startRedis, type TestRedis } from '../support/redis.js';

const start = applianceFixture();
type Health = { components: Record<string, { status: string; detail?: string }> };

describe.skipIf(!canRunRedis)('Redis outage', () => {
  let redis: TestRedis | undefined;
  afterEach(async () => {
    await redis?.stop();
  });

  it('degrades to per-instance limits while Redis is gone and shares counters again once it is back', async () => {
    redis = await startRedis();
    const { port } = redis;
    const appliance = await start({ api_rate_limit_redis_url: redis.url, api_list_rate_limit: '100/minute' });
    const rateLimit = async () => (await appliance.get<Health>('/api/v1/health')).body.components.rate_limit;
    expect(await rateLimit()).toEqual({ status: 'ok', detail: 'counters shared through redis' });

    await redis.stop();
    // Requests still get answers while Redis is away.
    expect((await appliance.server.inject('/api/v1/events')).statusCode).toBe(200);
    await eventually(async () => (await rateLimit())?.status === 'degraded', 20_000);

    redis = await startRedis(port);
    await eventually(async () => (await rateLimit())?.status === 'ok', 30_000);
    expect((await appliance.server.inject('/api/v1/events')).statusCode).toBe(200);
  }, 60_000);
});
