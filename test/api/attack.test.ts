import { describe, expect, it } from 'vitest';
import { systemClockNs } from '../../main/core/clock.js';
import { AlertsRepository } from '../../main/storage/alerts-repository.js';
import { applianceFixture } from '../support/appliance.js';
import { makeAlert } from '../support/make-alert.js';

const start = applianceFixture();
const DAY = 86_400_000_000_000n;

interface Coverage {
  window_since: string;
  window_until: string;
  tactics: Array<{ tactic: string; tactic_display_name: string; techniques: Array<Record<string, unknown>> }>;
  summary: Record<string, number>;
}

describe('GET /attack/coverage', () => {
  it('lists the 14 tactics in kill-chain order, then unknown ones, with rolled-up technique counts', async () => {
    // Without Sigma rules: only the alert side of the matrix.
    const appliance = await start({ detection: { sigma_enabled: false } });
    const now = systemClockNs();
    const alerts = new AlertsRepository(appliance.server.seerflow.db);
    const window = 900n * 1_000_000_000n;
    await alerts.record(makeAlert({ timestampNs: now - DAY, tactics: ['credential-access'], techniques: ['T1110.001'] }), window);
    await alerts.record(makeAlert({ timestampNs: now - DAY, tactics: ['TA0006'], techniques: ['t1110.003', 'T1078'] }), window);
    await alerts.record(makeAlert({ timestampNs: now - DAY, tactics: ['zz-custom', 'Lurking'], techniques: ['T1059'] }), window);
    await alerts.record(makeAlert({ timestampNs: now - 40n * DAY, tactics: ['impact'], techniques: ['T1485'] }), window);

    const { status, body } = await appliance.get<Coverage & { attack_version: string }>('/api/v1/attack/coverage');
    expect(status).toBe(200);
    expect(body.attack_version).toBe('Enterprise v18.1');
    expect(body.tactics.map((t) => t.tactic)).toEqual([
      'reconnaissance',
      'resource_development',
      'initial_access',
      'execution',
      'persistence',
      'privilege_escalation',
      'defense_evasion',
      'credential_access',
      'discovery',
      'lateral_movement',
      'collection',
      'command_and_control',
      'exfiltration',
      'impact',
      'lurking',
      'zz-custom',
    ]);
    const credential = body.tactics[7]!;
    expect(credential.tactic_display_name).toBe('Credential Access (TA0006)');
    expect(credential.techniques).toEqual([
      { tactic: 'credential_access', technique: 'T1078', alert_count: 1, detected: true, rule_count: 0, covered: false, rule_names: [] },
      { tactic: 'credential_access', technique: 'T1110', alert_count: 2, detected: true, rule_count: 0, covered: false, rule_names: [] },
    ]);
    expect(body.tactics[13]!.techniques).toEqual([]); // impact: outside the 30-day default
    expect(body.tactics[14]).toMatchObject({ tactic_display_name: 'lurking', techniques: [{ technique: 'T1059', alert_count: 1 }] });
    expect(body.summary).toEqual({
      total_techniques_covered: 0,
      total_techniques_detected: 3,
      total_rules_with_attack_tags: 0,
      total_alerts_matched: 3,
    });
    expect(Date.parse(body.window_until) - Date.parse(body.window_since)).toBe(30 * 86_400_000);

    const old = await appliance.get<Coverage>('/api/v1/attack/coverage?since=2000-01-01T00:00:00Z&until=2100-01-01T00:00:00Z');
    expect(old.body.summary.total_alerts_matched).toBe(4);
    expect(old.body.window_since).toBe('2000-01-01T00:00:00.000Z');
  });

  it('counts the enabled Sigma rules per technique as coverage', async () => {
    const appliance = await start();
    const { body } = await appliance.get<Coverage>('/api/v1/attack/coverage');
    const credential = body.tactics.find((t) => t.tactic === 'credential_access')!;
    const bruteForce = credential.techniques.find((t) => t.technique === 'T1110')!;
    expect(bruteForce).toMatchObject({ covered: true, detected: false, alert_count: 0 });
    expect(bruteForce.rule_count as number).toBeGreaterThan(0);
    expect(body.summary.total_rules_with_attack_tags).toBeGreaterThan(80);
    expect(body.summary.total_techniques_covered).toBeGreaterThan(20);
  });

  it('answers 422 for a bad or inverted window', async () => {
    const appliance = await start();
    for (const [query, field] of [
      ['since=last-week', 'since'],
      ['since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z', 'since'],
    ]) {
      const response = await appliance.server.inject(`/api/v1/attack/coverage?${query}`);
      expect(response.statusCode, query).toBe(422);
      expect((response.result as { details: Array<{ field: string }> }).details[0]!.field).toBe(field);
    }
  });
});
