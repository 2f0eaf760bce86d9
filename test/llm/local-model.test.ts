/**
 * The real node-llama-cpp path on a tiny GGUF the suite writes itself: explanations, hunts and
 * rule suggestions come back schema-valid through the API, caches behave, `/health` reports the
 * model. The model babbles (random weights): these tests check mechanics, not quality.
 */
import { describe, expect, it } from 'vitest';
import { EXPLANATION_SCHEMA } from '../../plugins/llm/explain-prompt.js';
import { HUNT_FILTER_SCHEMA } from '../../plugins/llm/hunt-filter.js';
import { schemaProblems } from '../../plugins/llm/json-schema.js';
import { SIGMA_DRAFT_SCHEMA } from '../../plugins/llm/sigma-draft.js';
import { applianceFixture, tempDir } from '../support/appliance.js';
import { confirmedPattern, fixedClock, llmHealth, storeAlert, storeEvents, tinyModel } from './fixtures.js';

const start = applianceFixture();

async function startWithModel() {
  const dir = tempDir();
  const appliance = await start(
    { llm: { backend: 'llama_cpp', model_path: tinyModel(dir), n_ctx: 4096, explanation_max_prompt_chars: 1500 } },
    { dir, clock: fixedClock },
  );
  expect((await llmHealth(appliance)).llm).toEqual({ status: 'ok' });
  return appliance;
}

const pick = (body: Record<string, unknown>, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, body[k]]));

describe('the local model (node-llama-cpp, tiny GGUF)', () => {
  it('explains an alert with schema-valid fields and markdown, then serves it from the cache', async () => {
    const appliance = await startWithModel();
    const events = await storeEvents(appliance, { message: 'Failed password for root from 203.0.113.7 port 4000 ssh2' });
    const alert = await storeAlert(appliance, { contributingEventIds: events.map((e) => e.eventId) });
    const url = `/api/v1/alerts/${alert.alertId}`;

    expect((await appliance.get(`${url}/explanation`)).status).toBe(404);
    const first = await appliance.server.inject({ method: 'POST', url: `${url}/explain` });
    expect(first.statusCode).toBe(200);
    const body = first.result as Record<string, unknown>;
    expect(schemaProblems(EXPLANATION_SCHEMA, pick(body, EXPLANATION_SCHEMA.required))).toEqual([]);
    expect(body).toMatchObject({ alert_id: alert.alertId, model: 'seerflow-tiny', cached: false, truncated: false });
    expect(body.markdown).toContain('**Summary.**');
    expect(body.contributing_events).toEqual([expect.objectContaining({ event_id: events[0]!.eventId })]);

    const again = await appliance.server.inject({ method: 'POST', url: `${url}/explain` });
    expect(again.result).toEqual({ ...body, cached: true, latency_ms: 0 });
    const cachedOnly = await appliance.get(`${url}/explanation`);
    expect(cachedOnly).toEqual({ status: 200, body: { ...body, cached: true, latency_ms: 0 } });
  });

  it('answers 404 for an unknown alert on both explanation routes', async () => {
    const appliance = await startWithModel();
    const unknown = '01900000-0000-7000-8000-000000000000';
    expect((await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${unknown}/explain` })).statusCode).toBe(404);
    expect((await appliance.get(`/api/v1/alerts/${unknown}/explanation`)).status).toBe(404);
  });

  it('hunts with a model-written filter, shown beside the results, and caches the translation', async () => {
    const appliance = await startWithModel();
    const query = 'failed logins by service accounts in the last hour';
    const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query } });
    expect(response.statusCode).toBe(200);
    const body = response.result as Record<string, unknown>;
    expect(body).toMatchObject({ query, mode: 'model', model: 'seerflow-tiny', cached: false, entity: null });
    expect(Object.keys(body.filters as object).sort()).toEqual(
      ['alert_types', 'entity', 'severity_min', 'since', 'since_ns', 'source', 'tactic', 'text', 'until', 'until_ns'],
    );
    expect(Array.isArray(body.events) && Array.isArray(body.alerts) && Array.isArray(body.rejected)).toBe(true);
    const again = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload: { query: `  ${query.toUpperCase()} ` } });
    expect((again.result as Record<string, unknown>).cached).toBe(true);
    expect((again.result as Record<string, unknown>).filters).toEqual(body.filters);
  });

  it('drafts a rule suggestion for an eligible pattern, validated by the Sigma compiler, cached until DELETE', async () => {
    const appliance = await startWithModel();
    await confirmedPattern(appliance, 3);
    await confirmedPattern(appliance, 2, 'Port scan');
    const list = await appliance.get<{ items: Array<Record<string, unknown>>; meta: { total: number } }>('/api/v1/sigma/rule-suggestions');
    expect(list.status).toBe(200);
    expect(list.body.items.map((p) => [p.pattern_key, p.tp_count])).toEqual([['sigma:ssh-brute-force:ip', 3]]);

    const url = '/api/v1/sigma/rule-suggestions/sigma:ssh-brute-force:ip';
    const first = await appliance.server.inject({ method: 'POST', url });
    expect(first.statusCode).toBe(200);
    const body = first.result as Record<string, unknown>;
    expect(body).toMatchObject({ pattern_key: 'sigma:ssh-brute-force:ip', tp_count: 3, cached: false, model: 'seerflow-tiny' });
    expect(['ok', 'yaml', 'schema', 'compile']).toContain(body.validation_stage);
    expect(body.yaml).toMatch(/^title: /);
    expect(body.yaml).toContain('logsource:');
    expect((body.evidence as unknown[]).length).toBe(3);
    expect(schemaProblems(SIGMA_DRAFT_SCHEMA.properties.level!, /level: (\w+)/.exec(body.yaml as string)![1])).toEqual([]);

    expect((await appliance.server.inject({ method: 'POST', url })).result).toMatchObject({ cached: true, yaml: body.yaml });
    expect((await appliance.server.inject({ method: 'DELETE', url })).statusCode).toBe(204);
    expect((await appliance.server.inject({ method: 'POST', url })).result).toMatchObject({ cached: false });

    const ineligible = await appliance.server.inject({ method: 'POST', url: '/api/v1/sigma/rule-suggestions/sigma:port-scan:ip' });
    expect(ineligible.statusCode).toBe(404);
    expect(ineligible.result).toMatchObject({ detail: 'pattern_not_eligible' });
  });

  it('keeps the hunt filter schema in step with what the grammar produces', () => {
    // A filter with every key null/empty is what a question with no constraints becomes.
    const empty = { last: null, since: null, until: null, source: null, severity_min: null, entity: null, text: null, alert_types: [], tactic: null };
    expect(schemaProblems(HUNT_FILTER_SCHEMA, empty)).toEqual([]);
    expect(schemaProblems(HUNT_FILTER_SCHEMA, { ...empty, severity_min: 7 })).toEqual(['$.severity_min: not one of [0,1,2,3,4,5,6,null]']);
  });
});
