/**
 * Scenario: one address tries many accounts over SSH, guesses alice's password, logs in and reads
 * /etc/shadow through sudo, mixed into the real OpenSSH and Linux Loghub lines.
 *
 * Expected: the correlation rule `brute-force-then-success` on the attacker's address; on alice,
 * `brute-force-lateral-movement` (failures then success for her account) and
 * `privilege-escalation-chain` (sudo + /etc/shadow), whose tactics (credential access, lateral
 * movement, privilege escalation) complete a `kill-chain-progression` on alice herself. The
 * attacker's address completes one of its own (credential access, initial access, and lateral
 * movement from Sigma's brute-force-then-login correlation).
 */
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../main/core/alert.js';
import { applianceFixture } from '../support/appliance.js';
import { bsdLine, hasLoghub, LOGHUB_MISSING, loghubLines, mixByTime, replay, scenarioClock, storedAlerts } from '../support/scenario.js';

const ATTACKER = '203.0.113.50';
const HOST = 'LabSZ';

function attackLines(): string[] {
  const lines: string[] = [];
  const start = Date.parse('2025-12-10T09:00:00Z');
  const at = (s: number) => new Date(start + s * 1000).toISOString();
  const users = ['admin', 'test', 'oracle', 'guest', 'postgres', 'ubuntu', 'alice', 'alice', 'alice', 'alice', 'alice', 'alice'];
  users.forEach((user, i) => {
    const invalid = user === 'alice' ? '' : 'invalid user ';
    lines.push(bsdLine(at(i * 4), HOST, 'sshd', `Failed password for ${invalid}${user} from ${ATTACKER} port ${40000 + i} ssh2`, 31000 + i));
  });
  lines.push(bsdLine(at(60), HOST, 'sshd', `Accepted password for alice from ${ATTACKER} port 40100 ssh2`, 31100));
  lines.push(bsdLine(at(61), HOST, 'sshd', 'pam_unix(sshd:session): session opened for user alice by (uid=0)', 31100));
  lines.push(bsdLine(at(90), HOST, 'sudo', '   alice : TTY=pts/3 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow', 31200));
  return lines;
}

const find = (alerts: Alert[], rule: string, value: string) => alerts.find((a) => a.ruleName === rule && a.entityValue === value);

describe.skipIf(!hasLoghub())('scenario: brute force across users, then success and sudo', () => {
  const start = applianceFixture();
  if (!hasLoghub()) console.warn(LOGHUB_MISSING);

  it('raises the correlation, escalation and kill-chain alerts on the attacker and on alice', async () => {
    const appliance = await start({ receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false } }, { clock: scenarioClock });
    await replay(appliance, mixByTime([...loghubLines('OpenSSH'), ...loghubLines('Linux')], attackLines()));
    const alerts = await storedAlerts(appliance);

    const breach = find(alerts, 'brute-force-then-success', ATTACKER);
    expect(breach).toMatchObject({ alertType: 'correlation', entityType: 'ip', severity: 5, tactics: ['credential_access', 'initial_access'] });
    expect(find(alerts, 'brute-force-lateral-movement', 'alice')).toMatchObject({ entityType: 'user', severity: 5 });
    expect(find(alerts, 'privilege-escalation-chain', 'alice')).toMatchObject({ entityType: 'user', tactics: ['privilege_escalation'] });

    const chain = find(alerts, 'kill-chain-progression', 'alice');
    expect(chain).toMatchObject({ alertType: 'correlation', entityType: 'user', severity: 4 });
    expect(chain!.tactics).toEqual(expect.arrayContaining(['credential_access', 'lateral_movement', 'privilege_escalation']));
    expect(chain!.riskScore).toBeGreaterThanOrEqual(0.6);
    // The address progresses too: its failures, its login, and Sigma's brute-force-then-login (lateral movement).
    expect(find(alerts, 'kill-chain-progression', ATTACKER)?.tactics).toEqual(['credential_access', 'initial_access', 'lateral_movement']);
  }, 60_000);
});
