/**
 * The OpenAI-compatible HTTP backend against a stub server run in the test: the request carries
 * the schema as `response_format` and the key from the environment variable the config names;
 * answers come back through the same validation as the local model's; failures are 502, a stall
 * past the timeout is 502 `llm_timeout`, a missing key is 503 with the reason in `/health`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { applianceFixture, tempDir } from '../support/appliance.js';
import { confirmedPattern, fixedClock, llmHealth, storeAlert, storeEvents } from './fixtures.js';
import { startOpenAiStub, type OpenAiStub } from './openai-stub.js';

const start = applianceFixture();
const stubs: OpenAiStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((stub) => stub.close()));
});

const ANSWERS = {
  explanation: {
    summary: 'Repeated SSH password failures for root from 203.0.113.7.',
    anomaly_rationale: 'This address has never logged in to web01 before.',
    evidence: ['Failed password for root from 203.0.113.7 port 4000 ssh2'],
    recommended_next_steps: ['Block 203.0.113.7 at the firewall', 'Check for a later successful login'],
  },
  hunt_filter: {
    last: '7d', since: null, until: null, source: 'syslog', severity_min: null, entity: null,
    text: 'Failed password', alert_types: ['sigma'], tactic: 'credential_access',
  },
  sigma_draft: {
    title: 'SSH password guessing for root',
    description: 'Failed SSH logins for root.',
    level: 'high',
    keywords: ['Failed password for root'],
    fields: [],
    falsepositives: ['A user mistyping a password'],
  },
};

async function startWithStub(env: Record<string, string> = { SEERFLOW_TEST_LLM_KEY: 'sk-test-123' }, llm: Record<string, unknown> = {}) {
  const stub = await startOpenAiStub(structuredClone(ANSWERS));
  stubs.push(stub);
  const dir = tempDir();
  const previous = { ...process.env };
  Object.assign(process.env, env);
  try {
    const appliance = await start(
      { llm: { backend: 'openai', base_url: stub.baseUrl, model: 'stub-model', api_key_env: 'SEERFLOW_TEST_LLM_KEY', ...llm } },
      { dir, clock: fixedClock },
    );
    return { appliance, stub };
  } finally {
    for (const key of Object.keys(env)) if (!(key in previous)) delete process.env[key];
  }
}

describe('the OpenAI-compatible backend', () => {
  it('explains through /v1/chat/completions with the schema and the key from the environment', async () => {
    const { appliance, stub } = await startWithStub();
    expect((await llmHealth(appliance)).llm).toEqual({ status: 'ok' });
    const events = await storeEvents(appliance, { message: 'Failed password for root from 203.0.113.7 port 4000 ssh2' });
    const alert = await storeAlert(appliance, { contributingEventIds: [events[0]!.eventId] });
    const response = await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert.alertId}/explain` });
    expect(response.statusCode).toBe(200);
    expect(response.result).toMatchObject({ ...ANSWERS.explanation, model: 'stub-model', cached: false });
    expect((response.result as { markdown: string }).markdown).toContain('1. Block 203.0.113.7 at the firewall');

    const [request] = stub.requests;
    expect(request!.headers.authorization).toBe('Bearer sk-test-123');
    expect(request!.body).toMatchObject({
      model: 'stub-model',
      response_format: { type: 'json_schema', json_schema: { name: 'explanation', strict: true } },
    });
    const prompt = (request!.body.messages as Array<{ content: string }>)[1]!.content;
    expect(prompt).toContain('message=Failed password for root from 203.0.113.7 port 4000 ssh2');
  });

  it('runs the hunt filter it gets as a normal query and shows it', async () => {
    const { appliance } = await startWithStub();
    await llmHealth(appliance);
    await storeEvents(appliance, { message: 'Failed password for root from 203.0.113.7 port 4000 ssh2' }, { message: 'session opened for user www' });
    await storeAlert(appliance, { alertType: 'sigma' });
    await storeAlert(appliance, { alertType: 'ml', dedupKey: 'ml-one' });
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: 'password guessing this week' } });
    expect(response.statusCode).toBe(200);
    const body = response.result as { events: Array<{ message: string }>; alerts: Array<{ alert_type: string }>; filters: object; mode: string };
    expect(body.mode).toBe('model');
    expect(body.filters).toMatchObject({ source: 'syslog', text: 'Failed password', alert_types: ['sigma'], tactic: 'credential_access', until: '2026-11-30T10:00:00.000Z', since: '2026-11-23T10:00:00.000Z' });
    expect(body.events.map((e) => e.message)).toEqual(['Failed password for root from 203.0.113.7 port 4000 ssh2']);
    expect(body.alerts.map((a) => a.alert_type)).toEqual(['sigma']);
  });

  it('drops filter keys that fail validation and says so', async () => {
    const { appliance, stub } = await startWithStub();
    await llmHealth(appliance);
    stub.answers.hunt_filter = { ...ANSWERS.hunt_filter, since: 'yesterday', source: 'sys log; drop table' };
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: 'password guessing' } });
    expect(response.statusCode).toBe(200);
    expect((response.result as { rejected: Array<{ field: string }> }).rejected.map((r) => r.field)).toEqual(['since', 'source']);
    expect((response.result as { filters: { source: unknown } }).filters.source).toBeNull();
  });

  it('returns a suggestion whose YAML our Sigma compiler accepts', async () => {
    const { appliance } = await startWithStub();
    await llmHealth(appliance);
    await confirmedPattern(appliance, 3);
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/sigma/rule-suggestions/sigma:ssh-brute-force:ip' });
    expect(response.statusCode).toBe(200);
    const body = response.result as Record<string, unknown>;
    expect(body).toMatchObject({ validation_stage: 'ok', validation_message: null, title: 'SSH password guessing for root', logsource_key: ['linux', '', 'sshd'] });
    expect(body.yaml).toContain('attack.credential_access');
    // An upload dry run of the draft agrees.
    const dry = await appliance.server.inject({ method: 'POST', url: '/api/v1/sigma/rules?dry_run=true', payload: { yaml: body.yaml } });
    expect(dry.result).toMatchObject({ valid: true });
  });

  it('answers 502 llm_failed when the server fails or answers something other than the JSON asked for', async () => {
    const { appliance, stub } = await startWithStub();
    await llmHealth(appliance);
    const alert = await storeAlert(appliance);
    for (const behaviour of ['http_500', 'prose'] as const) {
      stub.behaviour = behaviour;
      const response = await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert.alertId}/explain` });
      expect(response.statusCode, behaviour).toBe(502);
      expect(response.result, behaviour).toMatchObject({ detail: 'llm_failed' });
    }
    // The failure is not cached.
    stub.behaviour = 'answer';
    expect((await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert.alertId}/explain` })).statusCode).toBe(200);
  });

  it('enforces the timeout: 502 llm_timeout, and the next request is served', async () => {
    const { appliance, stub } = await startWithStub(undefined, { hunt_timeout_s: 1 });
    await llmHealth(appliance);
    stub.behaviour = 'stall';
    const started = Date.now();
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: 'anything odd tonight' } });
    expect(response.statusCode).toBe(502);
    expect(response.result).toMatchObject({ detail: 'llm_timeout' });
    expect(Date.now() - started).toBeLessThan(5000);
    stub.behaviour = 'answer';
    expect((await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: 'anything odd today' } })).statusCode).toBe(200);
  });

  it('is degraded, with the reason, when the key variable is not set', async () => {
    const { appliance } = await startWithStub({});
    const health = await llmHealth(appliance);
    expect(health.status).toBe(503);
    expect(health.llm).toEqual({ status: 'degraded', detail: 'environment variable SEERFLOW_TEST_LLM_KEY (llm.api_key_env) is not set' });
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: 'anything odd tonight' } });
    expect(response.statusCode).toBe(503);
    expect(response.result).toMatchObject({ detail: 'llm_not_ready', status: 'degraded' });
  });
});
