/**
 * Hostile query strings and bodies against the real API: no answer is a 500 (an unhandled error);
 * refusals carry a message; the server keeps answering afterwards. (503 is a legitimate answer of
 * an area that is not ready, such as the LLM routes with no model.)
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type TestAppliance } from '../support/appliance.js';
import { anyText, jsonText } from './arbitraries.js';

const ROUTES = ['/api/v1/events', '/api/v1/alerts', '/api/v1/entities/search', '/api/v1/anomaly/timeline', '/api/v1/sigma/rules', '/api/v1/attack/coverage'];
const PARAMS = ['q', 'limit', 'page', 'since', 'until', 'start_ns', 'end_ns', 'severity', 'severity_min', 'source', 'source_type', 'type', 'entity', 'tactic', 'technique', 'template_id', 'range', 'resolution', 'level', 'enabled'];
const VALUES = fc.oneof(
  anyText,
  fc.constantFrom('', '-1', '0', '1e309', '99999999999999999999999', 'NaN', 'true', '%00', '../../etc/passwd', "' OR 1=1 --", '*', '%', '_', '"', '\\', '1h', '7d', 'TA0006'),
);

describe('API under hostile query strings', () => {
  let appliance: TestAppliance;
  beforeAll(async () => {
    // Rate limits off: this test sends hundreds of requests on purpose.
    appliance = await startAppliance({ api_rate_limit_enabled: false, receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false } });
  });
  afterAll(() => appliance.stop());

  it('answers every GET without an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), fc.array(fc.tuple(fc.constantFrom(...PARAMS), VALUES), { maxLength: 5 }), async (route, pairs) => {
        const query = new URLSearchParams(pairs).toString();
        const response = await appliance.server.inject({ method: 'GET', url: `${route}?${query}` });
        expect(response.statusCode, `${route}?${query} → ${response.payload.slice(0, 200)}`).not.toBe(500);
        if (response.statusCode >= 400) expect(JSON.parse(response.payload).message).toBeTruthy();
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });

  it('answers every POST body without an internal error', async () => {
    const posts = ['/api/v1/sigma/rules', '/api/v1/hunt', '/api/v1/alerts/00000000-0000-0000-0000-000000000000/feedback'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...posts), jsonText, async (url, payload) => {
        const response = await appliance.server.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json' } });
        expect(response.statusCode, `${url} ${payload.slice(0, 100)} → ${response.payload.slice(0, 200)}`).not.toBe(500);
        if (response.statusCode >= 400) expect(JSON.parse(response.payload).message).toBeTruthy();
      }),
      { numRuns: 200, seed: 20261130 },
    );
    const health = await appliance.server.inject('/api/v1/health');
    expect(health.statusCode).toBe(200);
  });
});
