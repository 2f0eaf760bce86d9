/**
 * Scenario: a C2 beacon. An internal host (10.0.0.5) opens a connection to one external address
 * every 60 s (±1 s) for 40 minutes, logged by its firewall, mixed into the real OpenSSH and Linux
 * Loghub lines. The same host also talks to another external address as often, but at irregular
 * intervals, as people and ordinary services do.
 *
 * Expected: `c2-periodic-connections` on the beacon's destination only: not on the internal
 * source (the rule is scoped to external addresses), not on the irregular destination.
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../main/core/alert.js';
import { applianceFixture } from '../support/appliance.js';
import { bsdLine, hasLoghub, LOGHUB_MISSING, loghubLines, mixByTime, replay, scenarioClock, storedAlerts } from '../support/scenario.js';

const SOURCE = '10.0.0.5';
const C2 = '198.51.100.23';
const IRREGULAR = '192.0.2.80';
const START = Date.parse('2025-12-10T10:00:00Z');

const ufw = (tMs: number, dst: string, port: number) =>
  bsdLine(new Date(tMs).toISOString(), 'web01', 'kernel', `[UFW ALLOW] IN= OUT=eth0 SRC=${SOURCE} DST=${dst} LEN=60 PROTO=TCP SPT=${port} DPT=443 SYN`, 0);

function trafficLines(): string[] {
  const beacon = Array.from({ length: 40 }, (_, i) => ufw(START + i * 60_000 + ((i % 3) - 1) * 1000, C2, 40000 + i));
  // Same count, same span, but gaps from 5 s to 3 min.
  const gaps = [5, 170, 20, 95, 8, 180, 40, 12, 150, 60];
  let t = START;
  const browsing = Array.from({ length: 40 }, (_, i) => ufw((t += gaps[i % gaps.length]! * 1000), IRREGULAR, 45000 + i));
  return [...beacon, ...browsing];
}

describe.skipIf(!hasLoghub())('scenario: C2 beacon with periodic connections', () => {
  const start = applianceFixture();
  if (!hasLoghub()) console.warn(LOGHUB_MISSING);

  it('raises c2-periodic-connections on the beacon destination only', async () => {
    const appliance = await start({ receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false } }, { clock: scenarioClock });
    // Announced alerts: each first occurrence in its dedup window (the store keeps the latest per key).
    const announced: Alert[] = [];
    appliance.server.seerflow.alerts.subscribe((alert) => announced.push(alert));
    await replay(appliance, mixByTime([...loghubLines('OpenSSH'), ...loghubLines('Linux')], trafficLines()));
    const periodic = announced.filter((a) => a.ruleName === 'c2-periodic-connections');

    expect(new Set(periodic.map((a) => a.entityValue))).toEqual(new Set([C2]));
    expect((await storedAlerts(appliance)).filter((a) => a.ruleName === 'c2-periodic-connections').map((a) => a.entityValue)).toEqual([C2]);
    expect(periodic[0]).toMatchObject({ alertType: 'correlation', entityType: 'ip', entityValue: C2, tactics: ['command_and_control'] });
    // Six connections make five intervals: the sixth connection (10:05, one second early) fires it.
    expect(periodic[0]!.timestampNs).toBe(BigInt(START + 5 * 60_000 + 1000) * 1_000_000n);
    expect(periodic[0]!.contributingEventIds).toHaveLength(6);
  }, 60_000);
});
