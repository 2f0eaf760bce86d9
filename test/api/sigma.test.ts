import { describe, expect, it } from 'vitest';
import { applianceFixture } from '../support/appliance.js';

const start = applianceFixture();

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

function fieldOf(result: unknown): string | undefined {
  return (result as { details?: Array<{ field: string }> }).details?.[0]?.field;
}

describe('Sigma routes before the Sigma engine and the LLM exist', () => {
  it('answer 503 with the shared not-ready envelope once the request is valid', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const rule = '5f1e1b8c-0d7b-4f55-9a9a-3f7e8f1c2d3e';
    const cases: Array<[Method, string, object | undefined, string, string]> = [
      ['GET', '/sigma/rules?page=2&limit=500&severity_in=3&severity_in=4&enabled=true&search=ssh', undefined, 'sigma_not_ready', 'unavailable'],
      ['POST', '/sigma/rules?dry_run=true', { yaml: 'title: x' }, 'sigma_not_ready', 'unavailable'],
      ['POST', '/sigma/rules', { yaml: 'title: x', dry_run: false }, 'sigma_not_ready', 'unavailable'],
      ['GET', `/sigma/rules/${rule}`, undefined, 'sigma_not_ready', 'unavailable'],
      ['PATCH', `/sigma/rules/${rule}`, { enabled: false }, 'sigma_not_ready', 'unavailable'],
      ['GET', `/sigma/rules/${rule}/timeline?bucket=hour&window=24h`, undefined, 'sigma_not_ready', 'unavailable'],
      ['GET', '/sigma/rule-suggestions?limit=200', undefined, 'llm_not_ready', 'disabled'],
      ['POST', '/sigma/rule-suggestions/sigma:ssh_brute_force:ip', undefined, 'llm_not_ready', 'disabled'],
      ['DELETE', '/sigma/rule-suggestions/sigma:ssh_brute_force:ip', undefined, 'llm_not_ready', 'disabled'],
    ];
    for (const [method, url, payload, detail, status] of cases) {
      const response = await appliance.server.inject({ method, url: `/api/v1${url}`, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(503);
      expect(response.result, `${method} ${url}`).toMatchObject({ detail, status, statusCode: 503 });
    }
  });

  it('validate first: 422 naming the field', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const cases: Array<[Method, string, object | undefined, string]> = [
      ['GET', '/sigma/rules?limit=501', undefined, 'limit'],
      ['GET', '/sigma/rules?page=10001', undefined, 'page'],
      ['GET', '/sigma/rules?severity_in=25', undefined, 'severity_in'],
      ['GET', '/sigma/rules?severity_in=1&severity_in=25', undefined, 'severity_in.1'],
      ['GET', `/sigma/rules?${Array.from({ length: 26 }, () => 'severity_in=1').join('&')}`, undefined, 'severity_in'],
      ['GET', `/sigma/rules?search=${'x'.repeat(201)}`, undefined, 'search'],
      ['GET', '/sigma/rules?enabled=maybe', undefined, 'enabled'],
      ['POST', '/sigma/rules', { yaml: '' }, 'yaml'],
      ['POST', '/sigma/rules', {}, 'yaml'],
      ['POST', '/sigma/rules?dry_run=perhaps', { yaml: 'title: x' }, 'dry_run'],
      ['GET', `/sigma/rules/${'a'.repeat(37)}`, undefined, 'rule_id'],
      ['GET', '/sigma/rules/a%20b', undefined, 'rule_id'],
      ['PATCH', '/sigma/rules/abc', { enabled: 'yes please' }, 'enabled'],
      ['PATCH', '/sigma/rules/abc', {}, 'enabled'],
      ['GET', '/sigma/rules/abc/timeline?bucket=day', undefined, 'bucket'],
      ['GET', '/sigma/rules/abc/timeline?window=7d', undefined, 'window'],
      ['GET', '/sigma/rule-suggestions?limit=201', undefined, 'limit'],
      ['POST', '/sigma/rule-suggestions/Sigma:Upper:ip', undefined, 'pattern_key'],
      ['DELETE', `/sigma/rule-suggestions/${'a'.repeat(129)}`, undefined, 'pattern_key'],
    ];
    for (const [method, url, payload, field] of cases) {
      const response = await appliance.server.inject({ method, url: `/api/v1${url}`, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(422);
      expect(fieldOf(response.result), `${method} ${url}`).toBe(field);
    }
  });
});
