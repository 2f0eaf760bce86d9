import { describe, expect, it } from 'vitest';
import type { Alert } from '../../main/core/alert.js';
import { AlertsRepository } from '../../main/storage/alerts-repository.js';
import { applianceFixture, type TestAppliance } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { makeEvent } from '../support/make-event.js';

const start = applianceFixture();
const S = 1_000_000_000n;
const T0 = 1_796_032_800_000_000_000n;
const WINDOW = 900n * S;

interface AlertsPage {
  items: Array<Record<string, unknown>>;
  meta: { total: number; page: number; limit: number };
}

async function record(appliance: TestAppliance, ...alerts: Alert[]) {
  const repository = new AlertsRepository(appliance.server.seerflow.db);
  return Promise.all(alerts.map((alert) => repository.record(alert, WINDOW)));
}

function fieldOf(result: unknown): string | undefined {
  return (result as { details?: Array<{ field: string }> }).details?.[0]?.field;
}

describe('GET /alerts', () => {
  it('pages newest first in the contract envelope, ns as strings', async () => {
    const appliance = await start();
    const alerts = [0n, 1n, 2n].map((i) => makeAlert({ timestampNs: T0 + i * S, ruleName: `rule ${i}` }));
    await record(appliance, ...alerts);
    const { status, body } = await appliance.get<AlertsPage>('/api/v1/alerts?limit=2&page=1');
    expect(status).toBe(200);
    expect(body.meta).toEqual({ total: 3, page: 1, limit: 2 });
    expect(body.items.map((a) => a.rule_name)).toEqual(['rule 2', 'rule 1']);
    expect(body.items[0]).toMatchObject({
      alert_id: alerts[2]!.alertId,
      alert_type: 'sigma',
      timestamp_ns: (T0 + 2n * S).toString(),
      severity: 3,
      entity_value: '203.0.113.7',
      dedup_count: 1,
      feedback: null,
      mitre_tactics: ['credential_access'],
      mitre_techniques: ['T1110.001'],
    });
    expect((await appliance.get<AlertsPage>('/api/v1/alerts?limit=2&page=2')).body.items.map((a) => a.rule_name)).toEqual([
      'rule 0',
    ]);
  });

  it('shows the dedup count of repeats within the window', async () => {
    const appliance = await start();
    await record(appliance, makeAlert({ dedupKey: 'k', timestampNs: T0 }));
    await record(appliance, makeAlert({ dedupKey: 'k', timestampNs: T0 + 10n * S }));
    await record(appliance, makeAlert({ dedupKey: 'k', timestampNs: T0 + 20n * S }));
    const { body } = await appliance.get<AlertsPage>('/api/v1/alerts');
    expect(body.meta.total).toBe(1);
    expect(body.items[0]).toMatchObject({ dedup_count: 3, timestamp_ns: T0.toString(), last_seen_ns: (T0 + 20n * S).toString() });
  });

  it('filters by type, severity, entity, window', async () => {
    const appliance = await start();
    await record(
      appliance,
      makeAlert({ alertType: 'ml', severity: 2, timestampNs: T0, entityValue: 'web01', entityId: '22222222-2222-5222-8222-222222222222' }),
      makeAlert({ alertType: 'correlation', severity: 5, timestampNs: T0 + 60n * S }),
    );
    const rules = async (query: string) =>
      (await appliance.get<AlertsPage>(`/api/v1/alerts?${query}`)).body.items.map((a) => a.alert_type);
    expect(await rules('type=ml')).toEqual(['ml']);
    expect(await rules('severity=4')).toEqual(['correlation']);
    expect(await rules('entity=WEB01')).toEqual(['ml']);
    expect(await rules('entity=22222222-2222-5222-8222-222222222222')).toEqual(['ml']);
    expect(await rules('since=2026-11-30T10:00:30Z')).toEqual(['correlation']);
    expect(await rules('until=2026-11-30T10:00:30Z')).toEqual(['ml']);
  });

  it('accepts every tactic spelling and matches techniques by prefix', async () => {
    const appliance = await start();
    await record(
      appliance,
      makeAlert({ ruleName: 'brute', tactics: ['credential-access'], techniques: ['t1110.001'] }),
      makeAlert({ ruleName: 'spray', tactics: ['TA0006'], techniques: ['T1110.003'] }),
      makeAlert({ ruleName: 'rdp', tactics: ['lateral_movement'], techniques: ['T1021.001'] }),
    );
    const rules = async (query: string) =>
      (await appliance.get<AlertsPage>(`/api/v1/alerts?${query}`)).body.items.map((a) => a.rule_name).sort();
    for (const tactic of ['credential_access', 'credential-access', 'Credential%20Access', 'TA0006', 'attack.credential_access']) {
      expect(await rules(`tactic=${tactic}`)).toEqual(['brute', 'spray']);
    }
    expect(await rules('technique=T1110')).toEqual(['brute', 'spray']);
    expect(await rules('technique=t1110.003')).toEqual(['spray']);
    expect(await rules('technique=T1021')).toEqual(['rdp']);
    expect(await rules('technique=T1059')).toEqual([]);
  });

  it('answers 422 naming the field for bad filters', async () => {
    const appliance = await start();
    for (const query of ['type=weird', 'severity=7', 'technique=T11', 'tactic=%3Cscript%3E', 'limit=1001', 'page=0', 'since=yesterday']) {
      const response = await appliance.server.inject(`/api/v1/alerts?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(fieldOf(response.result)).toBe(query.split('=')[0]);
    }
  });
});

describe('GET /alerts/{alert_id}', () => {
  it('returns the alert with its contributing events', async () => {
    const appliance = await start();
    const event = makeEvent({
      entities: [
        { type: 'ip', value: '203.0.113.7', id: '11111111-1111-5111-8111-111111111111' },
        { type: 'user', value: 'root', id: '44444444-4444-5444-8444-444444444444' },
      ],
    });
    appliance.server.seerflow.writer.write(event);
    await appliance.server.seerflow.writer.whenDurable();
    const alert = makeAlert({ contributingEventIds: [event.eventId, 'gone-by-retention'] });
    await record(appliance, alert);

    const { status, body } = await appliance.get<Record<string, unknown>>(`/api/v1/alerts/${alert.alertId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ alert_id: alert.alertId, rule_name: 'SSH brute force' });
    expect(body.contributing_events).toEqual([
      {
        event_id: event.eventId,
        timestamp_ns: event.timestampNs.toString(),
        message: event.message,
        severity_text: 'Informational',
        source_type: 'syslog',
        entity_path: { src: 'root', dst: '203.0.113.7' },
      },
    ]);
  });

  it('answers 404 for an unknown alert and 422 for an over-long id', async () => {
    const appliance = await start();
    const missing = await appliance.server.inject('/api/v1/alerts/00000000-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect((missing.result as { message: string }).message).toBe('Alert not found');
    const long = await appliance.server.inject(`/api/v1/alerts/${'a'.repeat(65)}`);
    expect(long.statusCode).toBe(422);
    expect(fieldOf(long.result)).toBe('alert_id');
  });
});

describe('alert feedback', () => {
  it('records verdicts (204) and lists them newest first with their origin', async () => {
    const appliance = await start();
    const alert = makeAlert();
    await record(appliance, alert);
    const post = (payload: object) =>
      appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert.alertId}/feedback`, payload });

    const first = await post({ feedback: 'tp', note: 'Confirmed\u0007 lateral\u001b[31m movement', origin: 'console' });
    expect(first.statusCode).toBe(204);
    expect(first.payload).toBe('');
    expect((await post({ feedback: 'fp' })).statusCode).toBe(204);

    const { body } = await appliance.get<AlertsPage>(`/api/v1/alerts/${alert.alertId}/feedback?limit=10`);
    expect(body.meta).toEqual({ total: 2, page: 1, limit: 10 });
    expect(body.items.map(({ feedback, note, origin }) => ({ feedback, note, origin }))).toEqual([
      { feedback: 'fp', note: '', origin: 'api' },
      { feedback: 'tp', note: 'Confirmed lateral[31m movement', origin: 'console' },
    ]);
    expect(typeof body.items[0]!.submitted_at_ns).toBe('string');
    expect(typeof body.items[0]!.id).toBe('number');
    expect((await appliance.get<{ feedback: string }>(`/api/v1/alerts/${alert.alertId}`)).body.feedback).toBe('fp');
    expect((await appliance.get<AlertsPage>(`/api/v1/alerts/${alert.alertId}/feedback?limit=1&page=2`)).body.items).toHaveLength(1);
  });

  it('answers 404 for an unknown alert and 422 for a bad body or limit', async () => {
    const appliance = await start();
    const alert = makeAlert();
    await record(appliance, alert);
    const url = `/api/v1/alerts/${alert.alertId}/feedback`;
    const unknown = await appliance.server.inject({ method: 'POST', url: '/api/v1/alerts/nope/feedback', payload: { feedback: 'tp' } });
    expect(unknown.statusCode).toBe(404);
    expect((await appliance.server.inject('/api/v1/alerts/nope/feedback')).statusCode).toBe(404);
    for (const [payload, field] of [
      [{ feedback: 'maybe' }, 'feedback'],
      [{}, 'feedback'],
      [{ feedback: 'tp', note: 'x'.repeat(513) }, 'note'],
      [{ feedback: 'tp', origin: 'email' }, 'origin'],
    ] as const) {
      const response = await appliance.server.inject({ method: 'POST', url, payload });
      expect(response.statusCode).toBe(422);
      expect(fieldOf(response.result)).toBe(field);
    }
    const tooMany = await appliance.server.inject(`${url}?limit=201`);
    expect(tooMany.statusCode).toBe(422);
    expect(fieldOf(tooMany.result)).toBe('limit');
  });
});

describe('alert explanation (LLM not built yet)', () => {
  it('answers 404 for a missing alert, else 503 llm_not_ready', async () => {
    const appliance = await start();
    const alert = makeAlert();
    await record(appliance, alert);
    for (const [method, path] of [
      ['POST', 'explain'],
      ['GET', 'explanation'],
    ] as const) {
      expect((await appliance.server.inject({ method, url: `/api/v1/alerts/nope/${path}` })).statusCode).toBe(404);
      const response = await appliance.server.inject({ method, url: `/api/v1/alerts/${alert.alertId}/${path}` });
      expect(response.statusCode).toBe(503);
      expect(response.result).toMatchObject({ detail: 'llm_not_ready', status: 'disabled' });
    }
  });
});
