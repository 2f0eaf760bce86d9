/**
 * Scenario: slow credential stuffing. One address tries a different account every 12 minutes
 * for four hours (20 accounts), mixed into the real OpenSSH and Linux Loghub lines. No burst:
 * never more than one failure in five minutes, so the burst rule `credential-stuffing` must stay
 * quiet for it; the long-window rule `slow-credential-stuffing` (8 distinct users failing from
 * one address within six hours) must fire on the address.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../main/core/alert.js';
import { applianceFixture } from '../support/appliance.js';
import { bsdLine, hasLoghub, LOGHUB_MISSING, loghubLines, mixByTime, replay, scenarioClock, storedAlerts } from '../support/scenario.js';

const STUFFER = '198.51.100.77';
const ACCOUNTS = ['anna', 'bruno', 'carla', 'dmitri', 'elena', 'farid', 'grace', 'hiro', 'ines', 'jonas', 'kemal', 'lena', 'marco', 'nadia', 'oscar', 'paula', 'quinn', 'rosa', 'sven', 'tariq'];

function stuffingLines(): string[] {
  const start = Date.parse('2025-12-10T07:00:00Z');
  return ACCOUNTS.map((user, i) =>
    bsdLine(new Date(start + i * 12 * 60_000).toISOString(), 'LabSZ', 'sshd', `Failed password for ${user} from ${STUFFER} port ${50000 + i} ssh2`, 32000 + i),
  );
}

describe.skipIf(!hasLoghub())('scenario: slow credential stuffing', () => {
  const start = applianceFixture();
  if (!hasLoghub()) console.warn(LOGHUB_MISSING);

  it('raises slow-credential-stuffing on the address, and no burst alert', async () => {
    const appliance = await start({ receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false } }, { clock: scenarioClock });
    // Announced alerts: each first occurrence in its dedup window (the store keeps the latest per key).
    const announced: Alert[] = [];
    appliance.server.seerflow.alerts.subscribe((alert) => announced.push(alert));
    await replay(appliance, mixByTime([...loghubLines('OpenSSH'), ...loghubLines('Linux')], stuffingLines()));
    const alerts = announced.filter((a) => a.entityValue === STUFFER);

    const slow = alerts.filter((a) => a.ruleName === 'slow-credential-stuffing');
    expect(slow.length).toBeGreaterThan(0);
    expect((await storedAlerts(appliance)).find((a) => a.ruleName === 'slow-credential-stuffing' && a.entityValue === STUFFER)).toBeDefined();
    expect(slow[0]).toMatchObject({ alertType: 'correlation', entityType: 'ip', severity: 4, tactics: ['credential_access'] });
    // It fires at the eighth distinct account: 7 × 12 minutes after the first failure.
    expect(slow[0]!.timestampNs).toBe(BigInt(Date.parse('2025-12-10T08:24:00Z')) * 1_000_000n);
    expect(slow[0]!.details).toMatchObject({ source_distinct: [8] });
    expect(alerts.some((a) => a.ruleName === 'credential-stuffing')).toBe(false);
  }, 60_000);
});
