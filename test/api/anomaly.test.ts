import { describe, expect, it } from 'vitest';
import { systemClockNs } from '../../main/core/clock.js';
import { AlertsRepository } from '../../main/storage/alerts-repository.js';
import { applianceFixture } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';
import { makeEvent } from '../support/make-event.js';

const start = applianceFixture();
const MINUTE = 60_000_000_000n;

interface Timeline {
  meta: Record<string, unknown>;
  items: Array<{ bucket_start_ns: string; event_count: number; alert_count: number; max_score: number | null; avg_score: number | null; upper_threshold: number | null }>;
}

function fieldOf(result: unknown): string | undefined {
  return (result as { details?: Array<{ field: string }> }).details?.[0]?.field;
}

describe('GET /anomaly/timeline', () => {
  it('builds dense buckets from stored events and alerts, with ML scores and a carried threshold', async () => {
    const appliance = await start();
    const now = systemClockNs();
    const thisMinute = (now / MINUTE) * MINUTE;
    const { writer, db } = appliance.server.seerflow;
    writer.write(makeEvent({ timestampNs: thisMinute - 10n * MINUTE }));
    writer.write(makeEvent({ timestampNs: thisMinute - 10n * MINUTE + 1n }));
    writer.write(makeEvent({ timestampNs: thisMinute, sourceType: 'file', sourceId: '/var/log/app.log' }));
    await writer.whenDurable();
    const alerts = new AlertsRepository(db);
    const window = 900n * 1_000_000_000n;
    await alerts.record(makeAlert({ alertType: 'ml', timestampNs: thisMinute - 10n * MINUTE, details: { score: 0.9, threshold: 0.7 } }), window);
    await alerts.record(makeAlert({ alertType: 'ml', timestampNs: thisMinute - 10n * MINUTE + 5n, details: { score: 0.8, threshold: 0.75 } }), window);
    await alerts.record(makeAlert({ alertType: 'sigma', timestampNs: thisMinute }), window);

    const { status, body } = await appliance.get<Timeline>('/api/v1/anomaly/timeline');
    expect(status).toBe(200);
    expect(body.meta).toEqual({ range: '1h', resolution: '1m', source: null, alert_count_truncated: false, score_samples_truncated: false });
    expect(body.items).toHaveLength(60);
    expect(body.items[59]!.bucket_start_ns).toBe(thisMinute.toString());
    expect(body.items[49]).toEqual({
      bucket_start_ns: (thisMinute - 10n * MINUTE).toString(),
      event_count: 2,
      alert_count: 2,
      max_score: 0.9,
      avg_score: expect.closeTo(0.85, 10) as number,
      upper_threshold: 0.75,
    });
    expect(body.items[50]).toMatchObject({ event_count: 0, alert_count: 0, max_score: null, avg_score: null, upper_threshold: 0.75 });
    expect(body.items[48]).toMatchObject({ upper_threshold: null });
    expect(body.items[59]).toMatchObject({ event_count: 1, alert_count: 1, max_score: null });

    const file = await appliance.get<Timeline>('/api/v1/anomaly/timeline?source=file');
    expect(file.body.items.reduce((n, b) => n + b.event_count, 0)).toBe(1);
    expect(file.body.meta.source).toBe('file');
  });

  it('honours each allowed range/resolution pair', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    for (const [range, resolution, buckets] of [
      ['6h', '', 360],
      ['6h', '5m', 72],
      ['24h', '', 288],
      ['24h', '15m', 96],
      ['7d', '', 672],
      ['7d', '1h', 168],
    ] as const) {
      const query = `range=${range}${resolution ? `&resolution=${resolution}` : ''}`;
      const { status, body } = await appliance.get<Timeline>(`/api/v1/anomaly/timeline?${query}`);
      expect(status, query).toBe(200);
      expect(body.items, query).toHaveLength(buckets);
    }
  });

  it('answers 422 for a bad range, pair or source', async () => {
    const appliance = await start();
    for (const [query, field] of [
      ['range=2h', 'range'],
      ['range=1h&resolution=5m', 'resolution'],
      ['range=7d&resolution=1m', 'resolution'],
      ['range=24h&resolution=2m', 'resolution'],
      ['source=a%20b', 'source'],
    ]) {
      const response = await appliance.server.inject(`/api/v1/anomaly/timeline?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect(fieldOf(response.result)).toBe(field);
    }
  });
});
