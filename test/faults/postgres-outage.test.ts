/**
 * PostgreSQL going away and coming back: the appliance keeps accepting what its queue can hold,
 * `/health` says the store is degraded and why, and once the server is back the writer reconnects
 * and commits everything it held: nothing acknowledged is lost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawEvent } from '../../main/core/event.js';
import { eventually, startAppliance, type TestAppliance } from '../support/appliance.js';
import { canRunPostgres, POSTGRES_MISSING, startPostgres, type TestPostgres } from '../support/postgres.js';
import { postgresStorage } from '../support/store-backends.js';

if (!canRunPostgres) console.warn(POSTGRES_MISSING);

const raw = (message: string): RawEvent => ({ sourceType: 'syslog', sourceId: 'outage', receivedNs: BigInt(Date.now()) * 1_000_000n, line: message });

type Health = { components: Record<string, { status: string; detail?: string }> };

describe.skipIf(!canRunPostgres)('PostgreSQL outage', () => {
  let postgres: TestPostgres;
  let appliance: TestAppliance;

  beforeAll(async () => {
    postgres = await startPostgres();
    appliance = await startAppliance({
      storage: postgresStorage(await postgres.createDatabase()),
      receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
    });
  }, 60_000);
  afterAll(async () => {
    await appliance?.stop();
    await postgres?.stop();
  });

  it('degrades while the server is gone, then reconnects and commits what it held', async () => {
    await appliance.server.seerflow.pipeline.submit([raw('before the outage')]);
    expect((await appliance.get('/api/v1/health')).status).toBe(200);

    await postgres.pause();
    const held = appliance.server.seerflow.pipeline.submit([raw('during the outage 1'), raw('during the outage 2')]);
    expect(held).toBeDefined();
    const degraded = await eventually(async () => {
      const health = await appliance.get<Health>('/api/v1/health');
      return health.status === 503 && health.body.components.store?.status === 'degraded' ? health.body : undefined;
    }, 20_000);
    expect(degraded.components.store!.detail).toBeTruthy();

    await postgres.resume();
    await held;
    await eventually(async () => (await appliance.get('/api/v1/health')).status === 200, 20_000);
    const stored = (await appliance.server.seerflow.db('events').select('message')) as Array<{ message: string }>;
    expect(stored.map((row) => row.message).sort()).toEqual(['before the outage', 'during the outage 1', 'during the outage 2']);
  }, 90_000);
});
