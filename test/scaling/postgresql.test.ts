/**
 * Two appliances on one PostgreSQL store and one Redis (README "Scaling out"): they start at the
 * same moment (migrations take turns), ingest on each, and either API shows everything; an alert
 * raised on both is one alert counted twice; their templates never share an id; each keeps its own
 * detector state; rate limits are counted across both.
 */
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawEvent } from '../../main/core/event.js';
import { TEMPLATE_ID_BLOCK } from '../../main/storage/database.js';
import { startAppliance, type TestAppliance } from '../support/appliance.js';
import { canRunPostgres, POSTGRES_MISSING, startPostgres, type TestPostgres } from '../support/postgres.js';
import { canRunRedis, startRedis, type TestRedis } from '../support/redis.js';
import { postgresStorage } from '../support/store-backends.js';

if (!canRunPostgres) console.warn(POSTGRES_MISSING);

const ROOT_LOGIN = 'Accepted password for root from 203.0.113.7 port 40222 ssh2';

async function ordinalsBy(db: Knex): Promise<Record<string, number>> {
  const rows = (await db('instances').select('instance_id', 'ordinal')) as Array<{ instance_id: string; ordinal: number }>;
  return Object.fromEntries(rows.map((row) => [row.instance_id, row.ordinal]));
}

function lines(host: string, messages: string[]): RawEvent[] {
  const now = Date.now();
  return messages.map((message, i) => ({
    sourceType: 'syslog',
    sourceId: host,
    receivedNs: BigInt(now) * 1_000_000n,
    line: `<38>1 ${new Date(now + i).toISOString()} ${host} sshd 4260 - - ${message}`,
  }));
}

describe.skipIf(!canRunPostgres || !canRunRedis)('two appliances on one PostgreSQL store', () => {
  let postgres: TestPostgres;
  let redis: TestRedis;
  let a: TestAppliance;
  let b: TestAppliance;
  let url: string;

  const start = (instanceId: string) =>
    startAppliance({
      storage: { ...postgresStorage(url, instanceId) },
      api_rate_limit_redis_url: redis.url,
      api_list_rate_limit: '6/minute',
      receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
    });

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
    url = await postgres.createDatabase();
    // At the same moment: the migrations and registrations take turns.
    [a, b] = await Promise.all([start('appliance-a'), start('appliance-b')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });

  it('ingests on each and shows everything through either API, with one alert counted across both', async () => {
    await a.server.seerflow.pipeline.submit(lines('web01', ['session opened for user alice', ROOT_LOGIN]));
    await b.server.seerflow.pipeline.submit(lines('web02', ['session opened for user bob', ROOT_LOGIN]));

    for (const appliance of [a, b]) {
      const events = await appliance.server.inject('/api/v1/events?limit=10');
      expect(events.result).toMatchObject({ meta: { total: 4 } });
    }
    const alerts = (await a.server.inject('/api/v1/alerts?type=sigma')).result as { items: Array<{ dedup_count: number; rule_name: string }> };
    const rootLogin = alerts.items.filter((alert) => /root/i.test(alert.rule_name));
    expect(rootLogin).toHaveLength(1);
    expect(rootLogin[0]!.dedup_count).toBe(2);
  });

  it('gives each appliance its own block of template ids and its own detector state', async () => {
    const { db } = a.server.seerflow;
    const ordinals = await ordinalsBy(db);
    expect(Object.values(ordinals).sort()).toEqual([0, 1]);
    const rows = (await db('events').select('template_id', 'source_id')) as Array<{ template_id: number; source_id: string }>;
    for (const [source, instance] of [['web01', 'appliance-a'], ['web02', 'appliance-b']] as const) {
      const block = ordinals[instance]! * TEMPLATE_ID_BLOCK;
      const ids = rows.filter((row) => row.source_id === source).map((row) => row.template_id);
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id > block && id <= block + TEMPLATE_ID_BLOCK)).toBe(true);
    }

    await Promise.all([a.server.seerflow.writer.flush(), b.server.seerflow.writer.flush()]);
    const keys = ((await db('model_state').select('key')) as Array<{ key: string }>).map((row) => row.key);
    expect(keys).toContain('appliance-a/templates:miner');
    expect(keys).toContain('appliance-b/templates:miner');
    expect(keys.every((key) => key.startsWith('appliance-a/') || key.startsWith('appliance-b/'))).toBe(true);
  });

  it('shares the rate limit of a client across both appliances through Redis', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const appliance = i % 2 === 0 ? a : b;
      statuses.push((await appliance.server.inject({ url: '/api/v1/alerts', remoteAddress: '192.0.2.50' })).statusCode);
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });

  it('keeps its ordinal across a restart', async () => {
    await a.stop();
    a = await start('appliance-a');
    await a.server.seerflow.pipeline.submit(lines('web01', ['session closed for user alice']));
    const { db } = a.server.seerflow;
    const block = (await ordinalsBy(db))['appliance-a']! * TEMPLATE_ID_BLOCK;
    const [row] = (await db('events').where('source_id', 'web01').max({ top: 'template_id' })) as Array<{ top: number }>;
    expect(row!.top).toBeGreaterThan(block);
    expect(row!.top).toBeLessThanOrEqual(block + TEMPLATE_ID_BLOCK);
    expect(Object.keys(await ordinalsBy(db))).toHaveLength(2);
  });
});
