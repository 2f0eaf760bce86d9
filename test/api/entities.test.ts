import { describe, expect, it } from 'vitest';
import { systemClockNs } from '../../main/core/clock.js';
import type { EntityRef } from '../../main/core/event.js';
import { AlertsRepository } from '../../main/storage/alerts-repository.js';
import { applianceFixture, type TestAppliance } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { makeEvent } from '../support/make-event.js';

const start = applianceFixture();
const S = 1_000_000_000n;
const MINUTE = 60n * S;
const HOUR = 60n * MINUTE;

const attacker: EntityRef = { type: 'ip', value: '203.0.113.7', id: '11111111-1111-5111-8111-111111111111' };
const root: EntityRef = { type: 'user', value: 'root', id: '44444444-4444-5444-8444-444444444444' };
const web: EntityRef = { type: 'host', value: 'web01', id: '55555555-5555-5555-8555-555555555555' };
const script: EntityRef = { type: 'file', value: '/tmp/203.0.113.7.sh', id: '66666666-6666-5666-8666-666666666666' };
const unknownId = '99999999-9999-5999-8999-999999999999';

async function store(appliance: TestAppliance, ...events: Array<{ at: bigint; entities: EntityRef[]; sourceType?: 'syslog' | 'file'; severity?: 1 | 4 }>) {
  const { writer } = appliance.server.seerflow;
  for (const e of events) {
    writer.write(makeEvent({ timestampNs: e.at, entities: e.entities, sourceType: e.sourceType ?? 'syslog', severity: e.severity ?? 1 }));
  }
  await writer.whenDurable();
}

function fieldOf(result: unknown): string | undefined {
  return (result as { details?: Array<{ field: string }> }).details?.[0]?.field;
}

describe('GET /entities/search', () => {
  it('ranks exact, then prefix, then substring matches; only ip/user/host/domain', async () => {
    const appliance = await start();
    const now = systemClockNs();
    const other: EntityRef = { type: 'ip', value: '10.203.0.1', id: '77777777-7777-5777-8777-777777777777' };
    await store(appliance, { at: now, entities: [attacker, other, script] }, { at: now, entities: [other] });
    const { status, body } = await appliance.get<Array<Record<string, unknown>>>('/api/v1/entities/search?q=203.0');
    expect(status).toBe(200);
    expect(body.map((e) => e.entity_value)).toEqual(['203.0.113.7', '10.203.0.1']);
    expect(body[0]).toMatchObject({ entity_uuid: attacker.id, entity_type: 'ip', event_count: 1, last_seen_ns: now.toString() });
    expect((await appliance.get<unknown[]>(`/api/v1/entities/search?q=${attacker.id}`)).body).toHaveLength(1);
    expect((await appliance.get<unknown[]>('/api/v1/entities/search?q=nothing')).body).toEqual([]);
  });

  it('answers 422 for an empty or over-long q', async () => {
    const appliance = await start();
    for (const q of ['', '%20%20', 'x'.repeat(257)]) {
      const response = await appliance.server.inject(`/api/v1/entities/search?q=${q}`);
      expect(response.statusCode).toBe(422);
      expect(fieldOf(response.result)).toBe('q');
    }
    expect((await appliance.server.inject('/api/v1/entities/search')).statusCode).toBe(422);
  });
});

describe('GET /entities/{uuid}/timeline', () => {
  it('returns the last 24 h oldest first, with related entities and the total', async () => {
    const appliance = await start();
    const now = systemClockNs();
    await store(
      appliance,
      { at: now - 25n * HOUR, entities: [attacker, web] }, // before the default window
      { at: now - 2n * HOUR, entities: [attacker, root] },
      { at: now - HOUR, entities: [attacker, root, web], sourceType: 'file', severity: 4 },
      { at: now - HOUR, entities: [root] },
    );
    const url = `/api/v1/entities/${attacker.id}/timeline`;
    const { status, body } = await appliance.get<Record<string, unknown> & { events: Array<Record<string, unknown>> }>(url);
    expect(status).toBe(200);
    expect(body).toMatchObject({ entity_uuid: attacker.id, entity_type: 'ip', entity_value: '203.0.113.7', total: 2 });
    expect(body.events.map((e) => e.timestamp_ns)).toEqual([(now - 2n * HOUR).toString(), (now - HOUR).toString()]);
    expect(body.related).toEqual([
      { entity_uuid: root.id, entity_type: 'user', entity_value: 'root', relation_type: 'co_occurs', count: 2 },
      { entity_uuid: web.id, entity_type: 'host', entity_value: 'web01', relation_type: 'co_occurs', count: 1 },
    ]);

    const filtered = await appliance.get<{ events: unknown[]; total: number }>(`${url}?source_type=file&severity_min=4&limit=1`);
    expect(filtered.body.total).toBe(1);
    const all = await appliance.get<{ events: unknown[]; total: number }>(`${url}?start_ns=0&end_ns=${now}&limit=2`);
    expect(all.body).toMatchObject({ total: 3 });
    expect(all.body.events).toHaveLength(2);
  });

  it('answers 404 for an unknown entity, 422 for a bad uuid, bounds or limit', async () => {
    const appliance = await start();
    await store(appliance, { at: systemClockNs(), entities: [attacker] });
    expect((await appliance.server.inject(`/api/v1/entities/${unknownId}/timeline`)).statusCode).toBe(404);
    const bad = await appliance.server.inject('/api/v1/entities/not-a-uuid/timeline');
    expect(bad.statusCode).toBe(422);
    expect(fieldOf(bad.result)).toBe('entity_uuid');
    for (const [query, field] of [
      ['start_ns=20&end_ns=10', 'start_ns'],
      ['start_ns=-1', 'start_ns'],
      ['end_ns=9223372036854775808', 'end_ns'],
      ['limit=10001', 'limit'],
      ['severity_min=7', 'severity_min'],
    ]) {
      const response = await appliance.server.inject(`/api/v1/entities/${attacker.id}/timeline?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(fieldOf(response.result)).toBe(field);
    }
  });
});

describe('GET /entities/{uuid}/risk-history', () => {
  it('sums alert risk per bucket on a dense grid, naming the top rule', async () => {
    const appliance = await start();
    const now = systemClockNs();
    const repository = new AlertsRepository(appliance.server.seerflow.db);
    const alert = (ruleName: string, riskScore: number, at: bigint) =>
      repository.record(makeAlert({ entityId: attacker.id, ruleName, riskScore, timestampNs: at }), 900n * S);
    await alert('brute force', 0.5, now);
    await alert('brute force', 0.25, now);
    await alert('port scan', 0.6, now);
    await alert('old', 0.9, now - 2n * HOUR);

    const { status, body } = await appliance.get<{ meta: object; items: Array<Record<string, unknown>> }>(
      `/api/v1/entities/${attacker.id}/risk-history?range=1h`,
    );
    expect(status).toBe(200);
    expect(body.meta).toEqual({ range: '1h', resolution: '1m', alert_count_truncated: false });
    expect(body.items).toHaveLength(60);
    expect(body.items.at(-1)).toEqual({
      bucket_start_ns: ((now / MINUTE) * MINUTE).toString(),
      points: 1.35,
      alert_count: 3,
      top_rule_name: 'brute force',
    });
    expect(body.items[0]).toMatchObject({ points: 0, alert_count: 0, top_rule_name: null });
    const week = await appliance.get<{ items: unknown[] }>(`/api/v1/entities/${attacker.id}/risk-history?range=7d&resolution=1h`);
    expect(week.body.items).toHaveLength(168);
  });

  it('answers 422 for a resolution the range does not allow', async () => {
    const appliance = await start();
    const response = await appliance.server.inject(`/api/v1/entities/${attacker.id}/risk-history?range=1h&resolution=1h`);
    expect(response.statusCode).toBe(422);
    expect(fieldOf(response.result)).toBe('resolution');
  });
});

describe('GET /entities/{uuid}/baseline with UEBA disabled (the rest: test/ueba/baseline-api.test.ts)', () => {
  it('answers 404 for an unknown entity, else 503 ueba_not_ready', async () => {
    const appliance = await start({ ueba: { enabled: false } });
    await store(appliance, { at: systemClockNs(), entities: [attacker] });
    expect((await appliance.server.inject(`/api/v1/entities/${unknownId}/baseline`)).statusCode).toBe(404);
    const response = await appliance.server.inject(`/api/v1/entities/${attacker.id}/baseline`);
    expect(response.statusCode).toBe(503);
    expect(response.result).toMatchObject({ detail: 'ueba_not_ready', status: 'disabled' });
  });
});
