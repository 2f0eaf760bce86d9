/**
 * The feedback loop of the `ml` detector through the real API: a false-positive verdict on an ML
 * alert raises that source's upper threshold by 5 % in the running process, and the raised
 * threshold is persisted: it is still there after a restart on the same SQLite file.
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture, eventually, tempDir, type TestAppliance } from '../support/appliance.js';
import { replay, scenarioClock, storedAlerts } from '../support/scenario.js';
import { linesWithBurst, QUICK_ML as CONFIG } from './ml-replay.js';

const start = applianceFixture();

interface MlStats {
  ml: { sources: Record<string, { upper_threshold: number; calibrated_upper_threshold: number; calibrated: boolean }> };
}

async function syslogThreshold(appliance: TestAppliance) {
  const { body } = await appliance.get<MlStats>('/api/v1/stats');
  return body.ml.sources.syslog!;
}

describe('ML false-positive feedback', () => {
  it('raises the source threshold by 5 % at once and keeps it across a restart', async () => {
    const dir = tempDir();
    const first = await start(CONFIG, { dir, clock: scenarioClock });
    await replay(first, linesWithBurst());
    const ml = (await storedAlerts(first)).filter((a) => a.alertType === 'ml');
    expect(ml.length).toBeGreaterThan(0);
    const before = await syslogThreshold(first);
    expect(before.calibrated).toBe(true);

    const response = await first.server.inject({ method: 'POST', url: `/api/v1/alerts/${ml[0]!.alertId}/feedback`, payload: { feedback: 'fp', note: 'noisy' } });
    expect(response.statusCode).toBe(204);
    const raised = await syslogThreshold(first);
    expect(raised.upper_threshold).toBeCloseTo(before.upper_threshold * 1.05, 9);
    // The raise is committed right away, not at the next periodic save.
    await eventually(async () => (await first.server.seerflow.state.loadModelState('ml:source:syslog'))?.includes('"feedback":1.05'));
    await first.stop();

    const second = await start(CONFIG, { dir, clock: scenarioClock });
    const restored = await syslogThreshold(second);
    expect(restored.upper_threshold).toBe(raised.upper_threshold);
    expect(restored.calibrated_upper_threshold).toBe(before.calibrated_upper_threshold);
  });

  it('leaves the threshold alone on a true-positive verdict', async () => {
    const appliance = await start(CONFIG, { clock: scenarioClock });
    await replay(appliance, linesWithBurst());
    const [alert] = (await storedAlerts(appliance)).filter((a) => a.alertType === 'ml');
    const before = await syslogThreshold(appliance);
    await appliance.server.inject({ method: 'POST', url: `/api/v1/alerts/${alert!.alertId}/feedback`, payload: { feedback: 'tp' } });
    expect((await syslogThreshold(appliance)).upper_threshold).toBe(before.upper_threshold);
  });
});
