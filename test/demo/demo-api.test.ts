/**
 * The first-run demo end to end: a real appliance replays the bundled demo logs through its own
 * syslog and OTLP/HTTP receivers, and the story's attacks come out as alerts and entities in the
 * API, as a new user would see them.
 */
import { describe, expect, it } from 'vitest';
import type { DemoProgress } from '../../main/demo/replay.js';
import { applianceFixture, eventually, type EventsPage, type TestAppliance } from '../support/appliance.js';

const start = applianceFixture();

interface AlertsPage {
  items: Array<{ alert_type: string; rule_name: string; entity_value: string }>;
}

async function post(appliance: TestAppliance, payload?: object) {
  const response = await appliance.server.inject({ method: 'POST', url: '/api/v1/demo', payload });
  return { status: response.statusCode, body: response.result as Record<string, unknown> };
}

async function demoDone(appliance: TestAppliance): Promise<DemoProgress> {
  return eventually(async () => {
    const { body } = await appliance.get<DemoProgress>('/api/v1/demo');
    if (body.status === 'failed') throw new Error(`demo failed: ${body.error}`);
    return body.status === 'done' && body;
  }, 60_000);
}

describe('POST /api/v1/demo', () => {
  it('replays the demo through the receivers: Sigma alerts for each attack, entities to pivot on', async () => {
    const appliance = await start();
    expect((await appliance.get<DemoProgress>('/api/v1/demo')).body).toEqual({ status: 'idle', sent: 0, total: 0 });

    const started = await post(appliance, { duration_s: 0 });
    expect(started.status).toBe(202);
    expect(started.body).toEqual({ status: 'started', total: expect.any(Number) });
    const total = started.body.total as number;
    expect(total).toBeGreaterThan(2000);

    const done = await demoDone(appliance);
    expect(done).toEqual({ status: 'done', sent: total, total });
    await appliance.server.seerflow.pipeline.drain();

    // Every line arrived, through both receivers, with times moved to the last half hour.
    const stats = await appliance.get<{ events_stored: number; receivers: Record<string, { received: number }> }>('/api/v1/stats');
    expect(stats.body.events_stored).toBe(total);
    expect(stats.body.receivers).toMatchObject({ syslog: { received: expect.any(Number) }, otlp_http: { received: expect.any(Number) } });
    expect(stats.body.receivers.otlp_http!.received).toBeGreaterThan(1000);
    const events = await appliance.get<EventsPage>('/api/v1/events?limit=1');
    const newestMs = Number(BigInt(events.body.items[0]!.timestamp_ns as string) / 1_000_000n);
    expect(Date.now() - newestMs).toBeLessThan(60_000);

    // Each attack of the story, as Sigma rules and their correlations report it.
    const { body: alerts } = await appliance.get<AlertsPage>('/api/v1/alerts?limit=1000');
    const raised = (type: string) => alerts.items.filter((a) => a.alert_type === type).map((a) => `${a.rule_name} @ ${a.entity_value}`);
    expect(raised('correlation')).toEqual(
      expect.arrayContaining([
        'SSH Password Brute Force From One Source @ 203.0.113.45',
        'SSH Logins Tried for Many Different Accounts From One Source @ 203.0.113.45',
        'Successful SSH Login After a Brute-Force Run From the Same Source @ 203.0.113.45',
        'New Local Account Followed by Root Commands Through sudo on the Same Host @ bastion',
        'Burst of Web Exploitation Attempts From One Client @ 203.0.113.77',
        'Repeated Lookups of a Suspicious Domain by One Client @ 10.0.1.37',
      ]),
    );
    expect(raised('sigma')).toEqual(
      expect.arrayContaining([
        'Password Hash File Accessed Through sudo @ bob',
        'Local User Account Created @ sysupdate',
        'Vulnerability Scanner User Agent @ 203.0.113.77',
      ]),
    );

    // The intruder is an entity whose timeline spans the brute force and the login as bob.
    const search = await appliance.get<Array<{ entity_uuid: string; entity_value: string; event_count: number }>>(
      '/api/v1/entities/search?q=203.0.113.45',
    );
    const attacker = search.body.find((entity) => entity.entity_value === '203.0.113.45');
    expect(attacker?.event_count).toBeGreaterThan(48);
    const timeline = await appliance.get<{ events: Array<{ message: string }> }>(`/api/v1/entities/${attacker!.entity_uuid}/timeline`);
    expect(timeline.body.events.map((event) => event.message)).toContain('Accepted password for bob from 203.0.113.45 port 50122 ssh2');
  }, 90_000);

  it('answers 409 while a replay runs; stopping the appliance ends the replay', async () => {
    const appliance = await start();
    expect((await post(appliance, { duration_s: 5 })).status).toBe(202);
    const second = await post(appliance);
    expect(second.status).toBe(409);
    expect((await appliance.get<DemoProgress>('/api/v1/demo')).body.status).toBe('running');
    await appliance.stop();
    expect((await appliance.get<DemoProgress>('/api/v1/demo')).body).toMatchObject({ status: 'failed', error: expect.stringMatching(/shutting down/) });
  });

  it('answers 503 when the syslog receiver is off', async () => {
    const appliance = await start({ receivers: { syslog_enabled: false } });
    const { status, body } = await post(appliance);
    expect(status).toBe(503);
    expect(body).toMatchObject({ detail: 'demo_not_ready', status: 'disabled' });
  });

  it('falls back to syslog for the access logs when OTLP/HTTP is off', async () => {
    const appliance = await start({ receivers: { otlp_http_enabled: false, otlp_grpc_enabled: false } });
    expect((await post(appliance, { duration_s: 0 })).status).toBe(202);
    const done = await demoDone(appliance);
    await appliance.server.seerflow.pipeline.drain();
    const stats = await appliance.get<{ receivers: Record<string, { received: number }> }>('/api/v1/stats');
    expect(stats.body.receivers.syslog!.received).toBe(done.total);
    const { body: alerts } = await appliance.get<AlertsPage>('/api/v1/alerts?type=correlation&limit=1000');
    expect(alerts.items.map((a) => a.rule_name)).toContain('Burst of Web Exploitation Attempts From One Client');
  }, 90_000);

  it('rejects a duration out of bounds', async () => {
    const appliance = await start();
    expect((await post(appliance, { duration_s: 3600 })).status).toBe(422);
  });
});
