/**
 * Scenario: a user active at a new hour from a new address. The benign Linux sample (Loghub,
 * 43 days of one machine, `combo`) teaches the baseline of `cyrus`, a service account that `su`
 * opens a session for every night at about 04:05 UTC and that never logs in over SSH. On the
 * night after the sample, `cyrus` first logs in over SSH at its usual hour from an address never
 * seen (the control), then again at 23:41 from another new address, and opens a shell.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../main/core/alert.js';
import { applianceFixture, type TestAppliance } from '../support/appliance.js';
import { bsdLine, hasLoghub, LOGHUB_MISSING, loghubLines, mixByTime, replay, scenarioClock, storedAlerts } from '../support/scenario.js';
import { nsAt, ref } from '../ueba/events.js';

const start = applianceFixture();

/**
 * Warm-up, set explicitly for the replay: the defaults (7 days and 50 events) hold on this
 * sample, since `cyrus` has 2 events a night for 43 nights and so is warm by early July, with 17
 * ordinary nights scored afterwards. Stating them keeps the scenario meaningful whatever a later
 * default becomes, and shows that no shortcut (warmup_days 0) is needed for this replay.
 */
const UEBA = { warmup_days: 7, warmup_min_events: 50 };

const CYRUS = ref('user', 'cyrus');
const ATTACK_AT = '2025-07-28T23:41:07Z';

const attack = [
  // The control: the usual hour, a new address, a new kind of login. Composite 0.55 (< 0.75).
  bsdLine('2025-07-28T04:07:12Z', 'combo', 'sshd', 'Accepted password for cyrus from 198.51.100.7 port 50113 ssh2', 30401),
  bsdLine(ATTACK_AT, 'combo', 'sshd', 'Accepted password for cyrus from 198.51.100.23 port 50211 ssh2', 30512),
  bsdLine(ATTACK_AT, 'combo', 'sshd(pam_unix)', 'session opened for user cyrus by (uid=0)', 30512),
];

/**
 * The UEBA alerts announced as the replay goes. The store keeps one row per dedup key (a repeat
 * outside the window replaces it), so only the announcements show every alert raised.
 */
function raisedUeba(appliance: TestAppliance): Alert[] {
  const raised: Alert[] = [];
  appliance.server.seerflow.alerts.subscribe((alert) => {
    if (alert.alertType === 'ueba') raised.push(alert);
  });
  return raised;
}

describe.skipIf(!hasLoghub())('scenario: a user active at a new hour from a new address', () => {
  if (!hasLoghub()) console.warn(LOGHUB_MISSING);

  it('raises one ueba alert, on the user, at the new hour', async () => {
    const appliance = await start({ ueba: UEBA }, { clock: scenarioClock });
    const raised = raisedUeba(appliance);
    await replay(appliance, mixByTime(loghubLines('Linux'), attack));

    // Only the late login alerts: not the control, nor the shell's session line (no address, cyrus's usual template).
    expect(raised.filter((alert) => alert.entityId === CYRUS.id).map((alert) => alert.timestampNs)).toEqual([nsAt(ATTACK_AT)]);
    const alert = (await storedAlerts(appliance)).find((stored) => stored.alertType === 'ueba' && stored.entityId === CYRUS.id);
    expect(alert).toMatchObject({
      timestampNs: nsAt(ATTACK_AT),
      ruleName: 'ueba.deviation',
      entityType: 'user',
      entityValue: 'cyrus',
      dedupCount: 1,
      details: { time_of_day: 1, source_novelty: 1, volume: 0, hour_utc: 23, new_addresses: ['198.51.100.23'] },
    });
    // The SSH login template was seen once, at the control: rare for cyrus, no longer unknown.
    expect(alert!.details.pattern_novelty).toBeCloseTo(0.896, 3);
    expect(alert!.riskScore).toBeCloseTo(0.25 + 0.3 + 0.25 * 0.896, 3); // 0.774 ≥ 0.75
    expect(alert!.severity).toBe(5);
  });

  it('stays nearly quiet on the benign samples alone', async () => {
    const appliance = await start({ ueba: UEBA }, { clock: scenarioClock });
    const raised = raisedUeba(appliance);
    await replay(appliance, [...loghubLines('Linux'), ...loghubLines('OpenSSH')]);
    // Two alerts, both on accounts the samples' brute-force waves aim at from addresses and hours
    // those accounts never used: `test` (Linux, 8 Jul 20:14) and `cyrus` (OpenSSH, 10 Dec 09:20).
    expect(raised.map((alert) => `${alert.entityType}:${alert.entityValue}`)).toEqual(['user:test', 'user:cyrus']);
  });
});
