import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { eventually, applianceFixture, type EventsPage, type TestAppliance } from '../support/appliance.js';


const start = applianceFixture();

const endpoints = [
  { path: '/hooks/token', source_id: 'alerts-a', auth_header: 'X-Token', auth_token: 'let-me-in' },
  { path: '/hooks/signed', source_id: 'signed', hmac_secret: 'k3y' },
  { path: '/hooks/mapped', source_id: 'mapped', field_mapping: { message: 'alert.text', host: 'device.name' } },
];

async function post(app: TestAppliance, path: string, body: string, headers: Record<string, string>) {
  const response = await fetch(`http://127.0.0.1:${app.port('webhook')}${path}`, { method: 'POST', body, headers });
  return { status: response.status, body: await response.text() };
}

describe('webhook receiver (real HTTP)', () => {
  it('authenticates by token and by HMAC signature, and acknowledges only what it stored', async () => {
    const appliance = await start({ receivers: { webhook_enabled: true, webhooks: endpoints } });
    const json = { 'Content-Type': 'application/json' };
    expect((await post(appliance, '/hooks/token', '{"message":"x"}', json)).status).toBe(401);
    expect((await post(appliance, '/hooks/token', '{"message":"x"}', { ...json, 'X-Token': 'wrong' })).status).toBe(401);
    const ok = await post(appliance, '/hooks/token', '{"message":"token ok","src_ip":"198.51.100.4"}', {
      ...json,
      'X-Token': 'let-me-in',
    });
    expect(ok).toEqual({ status: 200, body: '{"accepted":1}' });
    // Acknowledged means committed: the event is queryable at once.
    const { body: page } = await appliance.get<EventsPage>('/api/v1/events?source=alerts-a');
    expect(page.items[0]).toMatchObject({ message: 'token ok', source_type: 'webhook', fields: { src_ip: '198.51.100.4' } });

    const body = '{"message":"signed ok"}';
    const signature = crypto.createHmac('sha256', 'k3y').update(body).digest('hex');
    expect((await post(appliance, '/hooks/signed', body, { ...json, 'X-Seerflow-Signature': 'sha256=00' })).status).toBe(401);
    expect((await post(appliance, '/hooks/signed', body, { ...json, 'X-Seerflow-Signature': `sha256=${signature}` })).status).toBe(200);
  });

  it('takes JSON arrays, NDJSON and forms, applies the field mapping, and refuses bad bodies', async () => {
    const appliance = await start({ receivers: { webhook_enabled: true, webhooks: endpoints, webhook_max_request_bytes: 2048 } });
    const send = (body: string, type: string) => post(appliance, '/hooks/mapped', body, { 'Content-Type': type });
    expect((await send('[{"alert":{"text":"one"},"device":{"name":"sw1"}},{"alert":{"text":"two"}}]', 'application/json')).body).toBe(
      '{"accepted":2}',
    );
    expect((await send('{"alert":{"text":"three"}}\n{"alert":{"text":"four"}}\n', 'application/x-ndjson')).body).toBe(
      '{"accepted":2}',
    );
    expect((await send('alert.text=five&level=error', 'application/x-www-form-urlencoded')).status).toBe(200);
    expect((await send('{"broken', 'application/json')).status).toBe(400);
    expect((await send('[1, 2]', 'application/json')).status).toBe(400);
    expect((await send('hello', 'text/plain')).status).toBe(415);
    expect((await send(`{"alert":{"text":"${'x'.repeat(4096)}"}}`, 'application/json')).status).toBe(413);
    const items = await eventually(async () => {
      const { body } = await appliance.get<EventsPage>('/api/v1/events?source=mapped&limit=100');
      return body.meta.total === 5 ? body.items : undefined;
    });
    expect(items.map((e) => e.message).sort()).toEqual(['five', 'four', 'one', 'three', 'two']);
    expect(items.find((e) => e.message === 'one')).toMatchObject({ host: 'sw1' });
    expect(items.find((e) => e.message === 'five')).toMatchObject({ severity_id: 4 });
  });
});
