/**
 * `/anomaly/timeline` with the `ml` detector running: every scored event's blended score is in
 * the series (not only alerting ones), with the upper threshold once the source is calibrated.
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture } from '../support/appliance.js';
import { replay, storedAlerts } from '../support/scenario.js';
import { linesWithBurst, QUICK_ML, REPLAY_START_MS } from './ml-replay.js';

const start = applianceFixture();

interface Timeline {
  items: Array<{ bucket_start_ns: string; event_count: number; alert_count: number; max_score: number | null; avg_score: number | null; upper_threshold: number | null }>;
}

describe('anomaly timeline from the ML detector', () => {
  it('serves per-minute scores of every scored event and the calibrated threshold', async () => {
    // "Now" is the end of the replay's hour, so the 1h window covers it.
    const appliance = await start(QUICK_ML, { clock: () => BigInt(REPLAY_START_MS + 59 * 60_000) * 1_000_000n });
    await replay(appliance, linesWithBurst());
    const { body } = await appliance.get<Timeline>('/api/v1/anomaly/timeline?range=1h&source=syslog');
    const scored = body.items.filter((b) => b.max_score !== null);
    // HST's first 50-event window and 30 values per channel pass before a blend exists: 7 minutes.
    expect(scored.length).toBeGreaterThanOrEqual(30);
    const quiet = scored.filter((b) => b.alert_count === 0);
    expect(quiet.length).toBeGreaterThan(20);
    for (const b of scored) expect(b.avg_score!).toBeLessThanOrEqual(b.max_score!);
    const burst = body.items[40]!;
    const alerts = (await storedAlerts(appliance)).filter((a) => a.alertType === 'ml');
    expect(burst.alert_count).toBeGreaterThan(0);
    expect(burst.max_score).toBeCloseTo(Math.max(...alerts.map((a) => a.details.score as number)), 5);
    expect(burst.upper_threshold).not.toBeNull();
    expect(body.items.at(-1)!.upper_threshold).toBe(burst.upper_threshold);
  });
});
