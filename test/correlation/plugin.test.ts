/**
 * The correlation plugin in a real appliance: registered last among the detectors, health and
 * stats, custom rule folders (a bad file is reported, the good rules load; changes reload), and its state
 * surviving a restart on the same SQLite file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { entityRef } from '../../main/core/entity/identity.js';
import { applianceFixture, eventually, tempDir, type TestAppliance } from '../support/appliance.js';
import { bsdLine, replay, scenarioClock } from '../support/scenario.js';

const NO_RECEIVERS = { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false };
const ATTACKER = entityRef('ip', '198.51.100.200')!;

const failures = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    bsdLine(new Date(Date.parse('2025-12-10T07:00:00Z') + i * 5000).toISOString(), 'web01', 'sshd', `Failed password for root from ${ATTACKER.value} port ${40000 + i} ssh2`),
  );

const stats = (appliance: TestAppliance) => appliance.server.plugins['detector-correlation'].stats();

describe('correlation plugin', () => {
  const start = applianceFixture();

  it('reports health and stats, and loads custom rules beside a broken one', async () => {
    const dir = tempDir('seerflow-corr-rules-');
    fs.writeFileSync(path.join(dir, 'root-failures.yml'), 'name: root-failures\nentity_type: user\nwindow_seconds: 60\nalert_severity: 3\nsources:\n  - conditions: { message: "Failed password for root" }\n    min_count: 3\n');
    fs.writeFileSync(path.join(dir, 'broken.yml'), 'name: broken\nentity_type: ip\nwindow_seconds: [\n');
    const appliance = await start({ receivers: NO_RECEIVERS, correlation: { rule_dirs: [dir] }, detection: { risk_threshold: 20 } }, { clock: scenarioClock });

    const health = await appliance.get<{ components: Record<string, { status: string }> }>('/api/v1/health');
    expect(health.body.components['detector.correlation']).toMatchObject({ status: 'ok' });
    expect(stats(appliance)).toMatchObject({ rules: 9, rule_errors: [expect.stringMatching(/broken\.yml:\d+:\d+: invalid YAML/)] });

    const announced: string[] = [];
    appliance.server.seerflow.alerts.subscribe((alert) => announced.push(`${alert.ruleName} ${alert.entityValue}`));
    await replay(appliance, failures(12));
    expect(announced).toEqual(expect.arrayContaining(['root-failures root', `credential-stuffing ${ATTACKER.value}`]));
    // The stuffing alert (16 points) and Sigma's alerts on the same lines pass the lowered threshold.
    expect(announced).toContain(`risk-accumulation ${ATTACKER.value}`);
    expect(stats(appliance)).toMatchObject({ events: 12, late_events: 0, risk: { crossings: 1 } });
  }, 60_000);

  it('reloads the rules when a rule folder changes', async () => {
    const dir = tempDir('seerflow-corr-reload-');
    const appliance = await start({ receivers: NO_RECEIVERS, correlation: { rule_dirs: [dir] } }, { clock: scenarioClock });
    expect(stats(appliance)).toMatchObject({ rules: 8 });
    fs.writeFileSync(path.join(dir, 'late.yml'), 'name: late-rule\nentity_type: ip\nwindow_seconds: 60\nalert_severity: 2\nsources:\n  - conditions: { message: "x" }\n');
    await eventually(async () => (stats(appliance) as { rules: number }).rules === 9, 15_000);
  }, 60_000);

  it('keeps its risk register, kill-chain state and graph across a restart', async () => {
    const dir = tempDir();
    const first = await start({ receivers: NO_RECEIVERS }, { dir, clock: scenarioClock });
    await replay(first, failures(12));
    const tMs = Date.parse('2025-12-10T07:01:00Z');
    const before = first.server.plugins['detector-correlation'].detector.riskOf(ATTACKER.id, tMs);
    expect(before).toBeGreaterThan(16);
    await first.stop();

    const second = await start({ receivers: NO_RECEIVERS }, { dir, clock: scenarioClock });
    expect(second.server.plugins['detector-correlation'].detector.riskOf(ATTACKER.id, tMs)).toBeCloseTo(before, 9);
    // root → address, root → web01, address → web01.
    expect(stats(second)).toMatchObject({ graph: { vertices: 3, edges: 3 }, kill_chain: { entities: 1 } });
  }, 60_000);

  it('is simply absent when disabled', async () => {
    const appliance = await start({ receivers: NO_RECEIVERS, correlation: { enabled: false } }, { clock: scenarioClock });
    const health = await appliance.get<{ components: Record<string, { status: string }> }>('/api/v1/health');
    expect(health.body.components['detector.correlation']).toEqual({ status: 'disabled' });
    expect(appliance.server.plugins['detector-correlation']).toBeUndefined();
  }, 60_000);
});
