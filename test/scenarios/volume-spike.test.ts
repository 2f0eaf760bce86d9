/**
 * Scenario: a volume spike of one template. Benign Linux lines from Loghub (Jun 14 to Jul 27,
 * about 50 a day, busiest minute 89 lines) with, late in the replay, a flood of 600
 * `sshd(pam_unix): authentication failure; … rhost=198.51.100.23 user=root` lines within one
 * minute: a template the benign lines already hold (490 times), so what is unusual is its volume
 * (about 7× the busiest benign minute). The `ml` detector must raise an alert for that template
 * on the replay's source, naming the flooding address.
 *
 * Configuration: the defaults, except `hw.seasonal_period`. Holt-Winters scores nothing before one
 * full season of minute buckets; the default season (1440 minutes) would be reached here too, but
 * only through the long empty gaps between the sample's lines, leaving the volume models a day of
 * zeros to learn from. A one-hour season lets the source and per-template volume models learn the
 * sample's actual activity. The other warm-ups fit as they are: CUSUM's 30 buckets, the 250-event
 * HST window and DSPOT's 1000 calibration scores (the flood comes after about 1900 benign lines).
 */
import { describe, expect, it } from 'vitest';
import { applianceFixture } from '../support/appliance.js';
import { bsdLine, hasLoghub, LOGHUB_MISSING, loghubLines, mixByTime, replay, scenarioClock, storedAlerts } from '../support/scenario.js';

const start = applianceFixture();

const FLOOD = 600;
const ATTACKER = '198.51.100.23';

function floodLines(): string[] {
  return Array.from({ length: FLOOD }, (_, i) => {
    const t = new Date(Date.UTC(2025, 6, 26, 12, 0, 0) + Math.floor((i * 60_000) / FLOOD)).toISOString();
    const message = `authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=${ATTACKER}  user=root`;
    return bsdLine(t, 'combo', 'sshd(pam_unix)', message, 30_000 + i);
  });
}

describe.skipIf(!hasLoghub())('scenario: volume spike of one template', () => {
  if (!hasLoghub()) console.warn(LOGHUB_MISSING);

  it('raises an ml alert for the flooding template on its source', async () => {
    const appliance = await start(
      {
        receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
        detection: { hw: { seasonal_period: 60 } },
      },
      { clock: scenarioClock },
    );
    await replay(appliance, mixByTime(loghubLines('Linux'), floodLines()));
    const ml = (await storedAlerts(appliance)).filter((a) => a.alertType === 'ml');
    const onFlood = ml.filter((a) => String(a.details.template).startsWith('authentication failure;') && a.timestampNs >= 1_753_531_200_000_000_000n);
    expect(onFlood.length).toBeGreaterThan(0);
    expect(onFlood[0]).toMatchObject({ sourceType: 'syslog', ruleName: 'hst-anomaly', details: { source: 'syslog', direction: 'upper' } });
    expect(onFlood.some((a) => a.entityValue === ATTACKER)).toBe(true);
    expect(onFlood[0]!.tactics).toEqual(['credential_access', 'initial_access']);
  });
});
