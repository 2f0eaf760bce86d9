import { describe, expect, it } from 'vitest';
import { applianceFixture } from '../support/appliance.js';

const start = applianceFixture();

describe('POST /hunt before the LLM exists', () => {
  it('answers 400 for an empty, blank, missing or over-long query', async () => {
    const appliance = await start();
    for (const payload of [{ query: '' }, { query: '   ' }, {}, { query: 'x'.repeat(2001) }, { query: 42 }]) {
      const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/hunt', payload });
      expect(response.statusCode, JSON.stringify(payload).slice(0, 40)).toBe(400);
      expect((response.result as { details: Array<{ field: string }> }).details[0]!.field).toBe('query');
    }
  });

  it('answers 503 llm_not_ready for a valid query', async () => {
    const appliance = await start();
    const response = await appliance.server.inject({
      method: 'POST',
      url: '/api/v1/hunt',
      payload: { query: 'failed logins by service accounts in the last hour' },
    });
    expect(response.statusCode).toBe(503);
    expect(response.result).toMatchObject({ detail: 'llm_not_ready', status: 'disabled', error: 'Service Unavailable' });
  });
});
