import { describe, expect, it, vi } from 'vitest';
import { validateConfig } from '../../../main/config/load.js';
import type { UebaConfig } from '../../../main/config/sections/ueba.js';
import type { Alert } from '../../../main/core/alert.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import { login, ref, routine, SUDO } from '../../../test/ueba/events.js';
import { BiDspot } from '../ml/bidspot.js';
import { UEBA_DSPOT } from './cutoff.js';
import { UebaDetector } from './detector.js';
import { UEBA_STATE_KEY } from './state.js';

function uebaConfig(overrides: Partial<UebaConfig> = {}): UebaConfig {
  return validateConfig({ ueba: overrides }, {}).ueba;
}

function run(detector: UebaDetector, events: readonly SeerflowEvent[]): Alert[] {
  return events.flatMap((event) => detector.process(event));
}

/** alice's routine (8 days × 7 logins from 10.0.0.5 at 09:00 UTC): past the default warm-up. */
const ROUTINE = routine('alice', '10.0.0.5', 8, 7);
const ALICE = ref('user', 'alice');
const midnightLogin = (at = '2025-07-09T23:41:00Z', ip = '203.0.113.9') => login('alice', ip, at, SUDO);

describe('UebaDetector', () => {
  it('alerts on the user when she is active at a new hour from a new address', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    expect(run(detector, ROUTINE)).toEqual([]);
    const event = midnightLogin();
    const [alert, ...others] = detector.process(event);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      alertType: 'ueba',
      ruleName: 'ueba.deviation',
      entityId: ALICE.id,
      entityType: 'user',
      entityValue: 'alice',
      severity: 5, // composite 0.8 → 1 + ⌊4.8⌋ (reference §18 vector 11)
      riskScore: 0.8,
      dedupKey: `ueba:${ALICE.id}`,
      timestampNs: event.timestampNs,
      contributingEventIds: [event.eventId],
      details: {
        time_of_day: 1,
        source_novelty: 1,
        volume: 0,
        pattern_novelty: 1,
        composite: 0.8,
        cutoff: 0.75,
        hour_utc: 23,
        new_addresses: ['203.0.113.9'],
      },
    });
    expect(alert!.description).toBe('UEBA deviation for user alice (composite 0.80 ≥ 0.75): unusual hour 23:00 UTC, new address 203.0.113.9, unusual activity');
  });

  it('does not score an entity inside its warm-up, and reports its progress', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    run(detector, ROUTINE.slice(0, 40)); // 6 days: too few events and too few days
    expect(detector.process(midnightLogin('2025-07-06T23:41:00Z'))).toEqual([]);
    expect(detector.lookup(ALICE.id)).toEqual({
      status: 'warming_up',
      progress: { events_observed: 41, events_required: 50, days_observed: 5.61, days_required: 7 },
    });
    expect(detector.lookup(ref('user', 'nobody').id)).toEqual({ status: 'unknown' });
  });

  it('warms up on events alone with warmup_days 0', () => {
    const detector = new UebaDetector({ config: uebaConfig({ warmup_days: 0, warmup_min_events: 7 }) });
    run(detector, ROUTINE.slice(0, 7)); // one morning
    expect(detector.lookup(ALICE.id).status).toBe('ready');
    expect(detector.process(midnightLogin('2025-07-01T23:41:00Z'))).toHaveLength(1);
  });

  it('stays quiet for alert_cooldown_seconds of event time after an alert', () => {
    const detector = new UebaDetector({ config: uebaConfig({ alert_cooldown_seconds: 900 }) });
    run(detector, ROUTINE);
    expect(detector.process(midnightLogin('2025-07-09T23:41:00Z', '203.0.113.9'))).toHaveLength(1);
    expect(detector.process(midnightLogin('2025-07-09T23:55:59Z', '203.0.113.10'))).toEqual([]);
    expect(detector.process(midnightLogin('2025-07-09T23:56:00Z', '203.0.113.11'))).toHaveLength(1);
    expect(detector.stats()).toMatchObject({ alerts_total: 2, suppressed_by_cooldown: 1 });
  });

  it('alerts only at or above the type’s DSPOT cut-off once it has calibrated', () => {
    const strict = { upper: 0.95, observe: vi.fn(), toState: () => new BiDspot(UEBA_DSPOT).toState() };
    const detector = new UebaDetector({ config: uebaConfig(), createThreshold: () => strict });
    run(detector, ROUTINE);
    detector.process(login('alice', '203.0.113.1', '2025-07-09T09:00:00Z')); // a new address: composite 0.30
    expect(detector.process(midnightLogin())).toEqual([]); // 0.80 < 0.95
    expect(strict.observe.mock.calls).toEqual([[0.3], [0.8]]);
  });

  it('keeps at most max_entities baselines, evicting the least recently seen and saying so once', () => {
    const onFirstEviction = vi.fn();
    const detector = new UebaDetector({ config: uebaConfig({ max_entities: 2 }), onFirstEviction });
    detector.process(login('alice', '10.0.0.5', '2025-07-01T09:00:00Z'));
    detector.process(login('bob', '10.0.0.5', '2025-07-01T09:01:00Z'));
    detector.process(login('alice', '10.0.0.5', '2025-07-01T09:02:00Z')); // alice is now the most recent
    detector.process(login('carol', '10.0.0.5', '2025-07-01T09:03:00Z')); // full: bob, the least recent, goes
    detector.process(login('dave', '10.0.0.5', '2025-07-01T09:04:00Z')); // then alice
    expect(['alice', 'bob', 'carol', 'dave'].map((user) => detector.lookup(ref('user', user).id).status)).toEqual([
      'unknown',
      'unknown',
      'warming_up',
      'warming_up',
    ]);
    expect(detector.stats()).toMatchObject({ entities_tracked: 2, evictions: 2 });
    expect(onFirstEviction).toHaveBeenCalledTimes(1);
  });

  it('learns users and hosts, and scores users only', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    const WEB01 = ref('host', 'web01');
    const withHost = (event: SeerflowEvent) => ({ ...event, entities: [...event.entities, WEB01, ref('process', 'sshd:4242'), ref('file', '/etc/passwd')] });
    run(detector, ROUTINE.map(withHost));
    expect(detector.stats()).toMatchObject({ entities_tracked: 2, entities_warm: 2 });
    expect(detector.lookup(ref('ip', '10.0.0.5').id).status).toBe('unknown');
    // web01's baseline deviates as much as alice's, but only alice is scored.
    expect(detector.process(withHost(midnightLogin())).map((alert) => alert.entityValue)).toEqual(['alice']);
  });

  it('saves only when asked and changed, and a restored detector carries on identically', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    run(detector, ROUTINE);
    expect(detector.flush()).toEqual([]); // not asked yet
    detector.requestSnapshot();
    const [row, ...more] = detector.flush();
    expect(more).toEqual([]);
    expect(row!.key).toBe(UEBA_STATE_KEY);
    detector.requestSnapshot();
    expect(detector.flush()).toEqual([]); // nothing changed since

    const restored = new UebaDetector({ config: uebaConfig(), saved: row!.data });
    expect(restored.stats()).toMatchObject({ entities_tracked: 1, entities_warm: 1 });
    const next = [midnightLogin(), login('alice', '10.0.0.5', '2025-07-10T09:00:00Z'), midnightLogin('2025-07-10T23:59:00Z', '198.51.100.1')];
    const strip = (alerts: Alert[]) => alerts.map(({ alertId: _id, ...rest }) => rest);
    expect(strip(run(restored, next))).toEqual(strip(run(detector, next)));
  });

  it('saves with every commit after a change once stopping (the queue drains after the stop)', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    detector.saveOnEveryCommit();
    expect(detector.flush()).toEqual([]);
    detector.process(login('alice', '10.0.0.5', '2025-07-09T09:00:00Z'));
    expect(detector.flush()).toHaveLength(1);
    detector.process(login('alice', '10.0.0.5', '2025-07-09T09:01:00Z'));
    expect(detector.flush()).toHaveLength(1);
    expect(detector.flush()).toEqual([]);
  });

  it('never throws: a failure is counted and shown in health', () => {
    const detector = new UebaDetector({ config: uebaConfig() });
    const broken = { ...login('alice', '10.0.0.5', '2025-07-01T09:00:00Z'), timestampNs: undefined as unknown as bigint };
    expect(detector.process(broken)).toEqual([]);
    expect(detector.stats().errors_total).toBe(1);
    expect(detector.health().status).toBe('degraded');
  });
});
