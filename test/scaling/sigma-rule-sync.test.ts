/**
 * Two appliances on one PostgreSQL store (README "Scaling out"): a Sigma rule disabled or enabled
 * through one appliance's API takes effect on the other within its
 * `detection.sigma_state_sync_interval_s`, without a restart: the other's API reports the new
 * state and its detector stops (or starts again) raising the rule's alerts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawEvent } from '../../main/core/event.js';
import { eventually, startAppliance, tempDir, type TestAppliance } from '../support/appliance.js';
import { canRunPostgres, POSTGRES_MISSING, startPostgres, type TestPostgres } from '../support/postgres.js';
import { sshdKeywordRule } from '../support/sigma-rule.js';
import { postgresStorage } from '../support/store-backends.js';

if (!canRunPostgres) console.warn(POSTGRES_MISSING);

const RULE_ID = '5b0c4d2e-8f1a-4c3b-9e6d-7a2f1c0b9d84';
const TITLE = 'Canary Word In sshd Output';

function canaryLine(): RawEvent[] {
  const now = Date.now();
  return [
    {
      sourceType: 'syslog',
      sourceId: 'web02',
      receivedNs: BigInt(now) * 1_000_000n,
      line: `<38>1 ${new Date(now).toISOString()} web02 sshd 4260 - - bluecanary seen in session`,
    },
  ];
}

describe.skipIf(!canRunPostgres)('Sigma rule toggles across appliances on one PostgreSQL store', () => {
  let postgres: TestPostgres;
  let a: TestAppliance;
  let b: TestAppliance;
  let rules: string;

  /** How many times B's detector has raised the canary rule (deduplicated repeats included). */
  const firesOnB = async () => {
    const { body } = await b.get<{ items: Array<{ rule_name: string; dedup_count: number }> }>('/api/v1/alerts?type=sigma');
    return body.items.filter((alert) => alert.rule_name === TITLE).reduce((sum, alert) => sum + alert.dedup_count, 0);
  };
  const enabledOnB = async () => {
    const { body } = await b.get<{ items: Array<{ rule_id: string; enabled: boolean }> }>('/api/v1/sigma/rules');
    return body.items.find((rule) => rule.rule_id === RULE_ID)?.enabled;
  };
  const toggleOnA = async (enabled: boolean) => {
    const response = await a.server.inject({ method: 'PATCH', url: `/api/v1/sigma/rules/${RULE_ID}`, payload: { enabled } });
    expect(response.statusCode).toBe(200);
    expect(response.result).toMatchObject({ rule_id: RULE_ID, enabled });
  };

  beforeAll(async () => {
    postgres = await startPostgres();
    const url = await postgres.createDatabase();
    rules = tempDir('seerflow-rules-');
    fs.writeFileSync(path.join(rules, 'canary.yml'), sshdKeywordRule({ id: RULE_ID, word: 'bluecanary', title: TITLE }));
    const start = (instanceId: string) =>
      startAppliance({
        storage: postgresStorage(url, instanceId),
        api_rate_limit_enabled: false,
        receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
        detection: { sigma_load_bundled: false, sigma_rules_dirs: [rules], sigma_state_sync_interval_s: 1 },
      });
    [a, b] = await Promise.all([start('appliance-a'), start('appliance-b')]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await postgres?.stop();
    if (rules) fs.rmSync(rules, { recursive: true, force: true });
  });

  it('stops firing on the other appliance once disabled through one API, and fires again once enabled', async () => {
    await b.server.seerflow.pipeline.submit(canaryLine());
    expect(await firesOnB()).toBe(1);

    await toggleOnA(false);
    await eventually(async () => (await enabledOnB()) === false);
    // Alerts are committed with their event: once submit resolves, a fire would be counted.
    await b.server.seerflow.pipeline.submit(canaryLine());
    expect(await firesOnB()).toBe(1);

    await toggleOnA(true);
    await eventually(async () => (await enabledOnB()) === true);
    await b.server.seerflow.pipeline.submit(canaryLine());
    expect(await firesOnB()).toBe(2);
  });
});
