/**
 * `GET /entities/{entity_uuid}/baseline` on a real appliance: lines replayed through the pipeline
 * (entities extracted, UEBA learning on event time), the answer read back through the API.
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture } from '../support/appliance.js';
import { bsdLine, replay, scenarioClock } from '../support/scenario.js';
import { nsAt, ref } from './events.js';

const start = applianceFixture();
/** Replays warm up on events alone: 5 events, no span of days. */
const UEBA = { warmup_days: 0, warmup_min_events: 5 };
const ALICE = ref('user', 'alice');
const BOB = ref('user', 'bob');

function loginLine(user: string, ip: string, iso: string): string {
  return bsdLine(iso, 'web01', 'sshd', `Accepted password for ${user} from ${ip} port 50022 ssh2`);
}

describe('GET /entities/{uuid}/baseline', () => {
  it('answers the warm baseline: hours, addresses, templates, volume', async () => {
    const appliance = await start({ ueba: UEBA }, { clock: scenarioClock });
    const times = ['2025-07-01T09:00:05Z', '2025-07-01T09:00:40Z', '2025-07-01T09:01:10Z', '2025-07-01T09:02:00Z', '2025-07-01T10:15:00Z'];
    await replay(appliance, [...times.slice(0, 4).map((t) => loginLine('alice', '10.0.0.5', t)), loginLine('alice', '10.0.0.9', times[4]!)]);

    const { status, body } = await appliance.get<Record<string, unknown>>(`/api/v1/entities/${ALICE.id}/baseline`);
    expect(status).toBe(200);
    const hours = Array<number>(24).fill(0);
    hours[9] = 4;
    hours[10] = 1;
    const templates = body.templates as Array<[number, number]>;
    expect(body).toEqual({
      entity_uuid: ALICE.id,
      entity_type: 'user',
      first_seen_ns: nsAt(times[0]!).toString(),
      last_seen_ns: nsAt(times[4]!).toString(),
      event_count: 5,
      warmup_complete: true,
      hours,
      source_ips: [
        ['10.0.0.9', nsAt(times[4]!).toString()],
        ['10.0.0.5', nsAt(times[3]!).toString()],
      ],
      // Closed active minutes held 2, 1, 1 events: 2 → 0.95·2 + 0.05·1 → ·0.95 + 0.05·1.
      volume_ema_min: expect.closeTo(0.95 * (0.95 * 2 + 0.05) + 0.05, 12),
      volume_ema_hour: 4,
      volume_last_ns: nsAt(times[4]!).toString(),
      templates,
    });
    expect(templates).toHaveLength(1);
    expect(templates[0]![1]).toBeCloseTo(1 - 0.95 ** 5, 12);

    // alice and the host web01 have baselines; the addresses and sshd's processes do not.
    const stats = await appliance.get<{ ueba: Record<string, number> }>('/api/v1/stats');
    expect(stats.body.ueba).toMatchObject({ entities_tracked: 2, entities_warm: 2, evictions: 0, alerts_total: 0 });
  });

  it('answers 404 warming_up with the progress while the entity warms up', async () => {
    const appliance = await start({ ueba: { warmup_days: 1, warmup_min_events: 5 } }, { clock: scenarioClock });
    await replay(appliance, [loginLine('bob', '10.0.0.6', '2025-07-01T09:00:00Z'), loginLine('bob', '10.0.0.6', '2025-07-01T21:00:00Z')]);
    const response = await appliance.server.inject(`/api/v1/entities/${BOB.id}/baseline`);
    expect(response.statusCode).toBe(404);
    expect(response.result).toMatchObject({ status: 'warming_up', events_observed: 2, events_required: 5, days_observed: 0.5, days_required: 1 });
  });

  it('answers 404 for an entity it does not know and for one without a baseline, 422 for a bad id', async () => {
    const appliance = await start({ ueba: UEBA }, { clock: scenarioClock });
    await replay(appliance, [loginLine('alice', '10.0.0.5', '2025-07-01T09:00:00Z')]);
    const never = await appliance.server.inject(`/api/v1/entities/${ref('user', 'nobody').id}/baseline`);
    expect(never.statusCode).toBe(404);
    const process = await appliance.server.inject(`/api/v1/entities/${ref('process', 'sshd:4242').id}/baseline`); // stored, but no behaviour learned
    expect(process.statusCode).toBe(404);
    expect(process.result).toMatchObject({ message: 'no UEBA baseline for this entity' });
    expect((await appliance.server.inject('/api/v1/entities/not-a-uuid/baseline')).statusCode).toBe(422);
  });

  it('answers 503 ueba_not_ready (disabled) when UEBA is off, which /health and /stats show', async () => {
    const appliance = await start({ ueba: { enabled: false } }, { clock: scenarioClock });
    await replay(appliance, [loginLine('alice', '10.0.0.5', '2025-07-01T09:00:00Z')]);
    const response = await appliance.server.inject(`/api/v1/entities/${ALICE.id}/baseline`);
    expect(response.statusCode).toBe(503);
    expect(response.result).toMatchObject({ detail: 'ueba_not_ready', status: 'disabled' });
    const health = await appliance.get<{ components: Record<string, unknown> }>('/api/v1/health');
    expect(health.body.components['detector.ueba']).toEqual({ status: 'disabled' });
    expect((await appliance.get<{ ueba: unknown }>('/api/v1/stats')).body.ueba).toBeNull();
  });
});
