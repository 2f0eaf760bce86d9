/**
 * The `ml` detector's saved state across restarts of a real appliance on one SQLite file: its
 * models come back (the source is still calibrated), and a corrupt saved state is logged and
 * ignored: the appliance starts, reports `detector.ml` healthy and scores from scratch.
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture, tempDir } from '../support/appliance.js';
import { replay, scenarioClock } from '../support/scenario.js';
import { linesWithBurst, QUICK_ML } from './ml-replay.js';

const start = applianceFixture();

interface Stats {
  ml: { source_count: number; sources: Record<string, { events: number; calibrated: boolean }> };
}

describe('ML model state', () => {
  it('is saved at shutdown and restored at start', async () => {
    const dir = tempDir();
    const first = await start(QUICK_ML, { dir, clock: scenarioClock });
    await replay(first, linesWithBurst());
    await first.stop();
    const second = await start(QUICK_ML, { dir, clock: scenarioClock });
    const { body } = await second.get<Stats>('/api/v1/stats');
    expect(body.ml.sources.syslog).toMatchObject({ events: 560, calibrated: true });
  });

  it('is ignored when corrupt, and the appliance still starts and scores', async () => {
    const dir = tempDir();
    const first = await start(QUICK_ML, { dir, clock: scenarioClock });
    await replay(first, linesWithBurst().slice(0, 100));
    await first.stop();
    const { openDatabase } = await import('../../main/storage/database.js');
    const db = await openDatabase(first.config.storage.sqlite_path);
    await db('model_state').where({ key: 'ml:source:syslog' }).update({ data: '{"version":1,"hst":' });
    await db.destroy();

    const second = await start(QUICK_ML, { dir, clock: scenarioClock });
    const health = await second.get<{ components: Record<string, { status: string }> }>('/api/v1/health');
    expect(health.body.components['detector.ml']!.status).toBe('ok');
    expect((await second.get<Stats>('/api/v1/stats')).body.ml.source_count).toBe(0);
    await replay(second, linesWithBurst().slice(0, 50));
    expect((await second.get<Stats>('/api/v1/stats')).body.ml.sources.syslog!.events).toBe(50);
  });
});
