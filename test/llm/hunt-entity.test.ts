/**
 * The hunt's entity fast path: a question naming an IP, user, host or entity id is answered by a
 * deterministic timeline lookup, with the LLM disabled, over the window the question names.
 */
import { describe, expect, it } from 'vitest';
import { entityRef } from '../../main/core/entity/identity.js';
import type { EntityRef } from '../../main/core/event.js';
import { applianceFixture, type TestAppliance } from '../support/appliance.js';
import { attacker, fixedClock, NOW, S, storeAlert, storeEvents, web01 } from './fixtures.js';

const start = applianceFixture();
const HOUR = 3600n * S;
const alice = entityRef('user', 'alice@corp.example') as EntityRef;

interface HuntBody {
  mode: string;
  entity: { entity_uuid: string; entity_type: string | null; entity_value: string; stored: boolean } | null;
  events: Array<{ message: string }>;
  alerts: Array<{ rule_name: string }>;
  filters: { entity: string; since: string };
  model: string | null;
}

async function hunt(appliance: TestAppliance, query: string) {
  const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query } });
  return { status: response.statusCode, body: response.result as HuntBody };
}

async function seeded() {
  const appliance = await start({}, { clock: fixedClock });
  expect(appliance.config.llm.backend).toBe('disabled');
  await storeEvents(
    appliance,
    { message: 'old: Failed password for root from 203.0.113.7', timestampNs: NOW - 48n * HOUR },
    { message: 'Failed password for root from 203.0.113.7' },
    { message: 'Accepted password for alice', entities: [alice, web01] },
  );
  await storeAlert(appliance, { ruleName: 'SSH brute force' });
  return appliance;
}

describe('hunt: entity fast path with the LLM disabled', () => {
  it('answers a question naming an IP with its timeline and alerts', async () => {
    const appliance = await seeded();
    const { status, body } = await hunt(appliance, 'what did 203.0.113.7 do?');
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'entity', model: null, entity: { entity_uuid: attacker.id, entity_type: 'ip', entity_value: '203.0.113.7', stored: true } });
    expect(body.events.map((e) => e.message)).toEqual(['Failed password for root from 203.0.113.7']);
    expect(body.alerts.map((a) => a.rule_name)).toEqual(['SSH brute force']);
    expect(body.filters).toMatchObject({ entity: attacker.id, since: '2026-11-29T10:00:00.000Z' });
  });

  it('takes the window the question names', async () => {
    const appliance = await seeded();
    const { body } = await hunt(appliance, 'activity of 203.0.113.7 in the last 3 days');
    expect(body.events.map((e) => e.message)).toEqual(['Failed password for root from 203.0.113.7', 'old: Failed password for root from 203.0.113.7']);
  });

  it('finds users, stored host names and entity ids', async () => {
    const appliance = await seeded();
    expect((await hunt(appliance, 'logins of alice@corp.example')).body.entity).toMatchObject({ entity_type: 'user', stored: true });
    expect((await hunt(appliance, 'anything strange on web01?')).body.entity).toMatchObject({ entity_type: 'host', entity_value: 'web01' });
    const byId = await hunt(appliance, `timeline for ${web01.id.toUpperCase()}`);
    expect(byId.body.entity).toMatchObject({ entity_uuid: web01.id, stored: true });
    // Newest first, as every search.
    expect(byId.body.events.map((e) => e.message)).toEqual(['Accepted password for alice', 'Failed password for root from 203.0.113.7']);
  });

  it('answers an IP it has never seen with nothing, still without the model', async () => {
    const appliance = await seeded();
    const { status, body } = await hunt(appliance, 'what about 198.51.100.9');
    expect(status).toBe(200);
    expect(body).toMatchObject({ mode: 'entity', entity: { entity_value: '198.51.100.9', stored: false }, events: [], alerts: [] });
  });

  it('needs the model for anything else: 503 llm_not_ready (disabled); 400 past hunt_max_query_chars', async () => {
    const appliance = await start({ llm: { hunt_max_query_chars: 32 } }, { clock: fixedClock });
    const plain = await hunt(appliance, 'odd logins by service accounts');
    expect(plain.status).toBe(503);
    expect(plain.body).toMatchObject({ detail: 'llm_not_ready', status: 'disabled' });
    expect((await hunt(appliance, 'x'.repeat(33))).status).toBe(400);
    // Dotted words that are not stored entities are not names.
    expect((await hunt(appliance, 'e.g. sshd.service restarts')).status).toBe(503);
  });
});
