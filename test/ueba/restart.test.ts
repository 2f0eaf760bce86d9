/**
 * UEBA baselines survive a restart through the store (saved with the writer's last commit at
 * stop, restored at start), and a corrupt saved state is ignored rather than fatal.
 */
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/database.js';
import { applianceFixture, tempDir } from '../support/appliance.js';
import { bsdLine, replay, scenarioClock, storedAlerts } from '../support/scenario.js';
import { nsAt, ref } from './events.js';

const start = applianceFixture();
/** Replays warm up on events alone. */
const UEBA = { warmup_days: 0, warmup_min_events: 5 };
const ALICE = ref('user', 'alice');
const baselineUrl = `/api/v1/entities/${ALICE.id}/baseline`;

const routine = Array.from({ length: 6 }, (_, i) =>
  bsdLine(`2025-07-0${i + 1}T09:0${i}:00Z`, 'web01', 'su', 'pam_unix(su:session): session opened for user alice by (uid=0)'),
);
// A new hour, a new address and an activity alice never had: composite 0.80.
const midnight = bsdLine('2025-07-08T23:41:00Z', 'web01', 'sshd', 'Accepted password for alice from 203.0.113.9 port 50022 ssh2');

describe('UEBA across restarts', () => {
  it('restores the baselines saved at stop, and scores against them', async () => {
    const dir = tempDir();
    const first = await start({ ueba: UEBA }, { dir, clock: scenarioClock });
    await replay(first, routine.slice(0, 5));
    // The last line is still queued as the stop begins: it is drained, learned and saved too.
    void first.server.seerflow.pipeline.submit([{ sourceType: 'syslog', sourceId: 'scenario', receivedNs: scenarioClock(), line: routine[5]! }]);
    await first.stop();

    const second = await start({ ueba: UEBA }, { dir, clock: scenarioClock });
    const restored = await second.get<Record<string, unknown>>(baselineUrl);
    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ event_count: 6, warmup_complete: true, last_seen_ns: nsAt('2025-07-06T09:05:00Z').toString() });
    await replay(second, [midnight]);
    const ueba = (await storedAlerts(second)).filter((alert) => alert.alertType === 'ueba');
    expect(ueba.map((alert) => alert.entityValue)).toEqual(['alice']);
  });

  it('starts without baselines when the saved state is corrupt', async () => {
    const dir = tempDir();
    const first = await start({ ueba: UEBA }, { dir, clock: scenarioClock });
    await replay(first, routine);
    await first.stop();
    const db = await openDatabase(first.config.storage.sqlite_path);
    await db('model_state').where({ key: 'ueba:baselines' }).update({ data: '{"version":1,"baselines":[{"id":' });
    await db.destroy();

    const second = await start({ ueba: UEBA }, { dir, clock: scenarioClock });
    expect((await second.get(baselineUrl)).status).toBe(404);
    const health = await second.get<{ components: Record<string, { status: string }> }>('/api/v1/health');
    expect(health.body.components['detector.ueba']!.status).toBe('ok');
  });
});
