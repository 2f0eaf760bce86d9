/**
 * The Sigma detector in the real appliance: bundled rules and correlations raising alerts from
 * syslog lines, dedup counting, rule folders from `detection.sigma_rules_dirs` and their reload,
 * and per-rule counts persisted in `sigma_rule_state`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClockNs } from '../main/core/clock.js';
import type { RawEvent } from '../main/core/event.js';
import { openDatabase } from '../main/storage/database.js';
import { applianceFixture, eventually, tempDir, type TestAppliance } from './support/appliance.js';
import { sshdKeywordRule } from './support/sigma-rule.js';

const start = applianceFixture();

interface AlertJson {
  alert_type: string;
  rule_name: string;
  severity: number;
  dedup_count: number;
  entity_value: string;
  mitre_tactics: string[];
  mitre_techniques: string[];
  details: Record<string, unknown>;
}

const ROOT_LOGIN = { id: '291e3387-4809-47f7-9c96-6dfbf52dd816', title: 'Root Logged In Over SSH With a Password' };
const FAILED_PASSWORD = 'SSH Password or Keyboard-Interactive Authentication Failed';
const BRUTE_FORCE = 'SSH Password Brute Force From One Source';
const BRUTE_FORCE_THEN_SUCCESS = 'Successful SSH Login After a Brute-Force Run From the Same Source';

/** An RFC 5424 sshd line stamped `offsetS` seconds from now. */
function sshd(message: string, offsetS = 0): RawEvent {
  const ns = systemClockNs() + BigInt(offsetS) * 1_000_000_000n;
  const iso = new Date(Number(ns / 1_000_000n)).toISOString();
  return { sourceType: 'syslog', sourceId: 'test', receivedNs: ns, line: `<38>1 ${iso} web01 sshd 4242 - - ${message}` };
}

async function alerts(appliance: TestAppliance, query = ''): Promise<AlertJson[]> {
  return (await appliance.get<{ items: AlertJson[] }>(`/api/v1/alerts?limit=1000${query}`)).body.items;
}

function ruleFile(id: string, title: string, word: string): string {
  return sshdKeywordRule({ id, title, word, level: 'medium', tags: ['attack.discovery', 'attack.t1082'] });
}

describe('Sigma detector: bundled rules on sshd lines', () => {
  it('raises the rules’ alerts and the brute-force correlations, with their ATT&CK tags', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const failures = Array.from({ length: 10 }, (_, i) => sshd(`Failed password for root from 203.0.113.7 port ${40_000 + i} ssh2`, i));
    await appliance.server.seerflow.pipeline.submit(failures);
    await appliance.server.seerflow.pipeline.submit([sshd('Accepted password for root from 203.0.113.7 port 40999 ssh2', 20)]);

    const raised = await alerts(appliance);
    // The single failures only feed the correlations (`generate` is off): no alert of their own.
    expect(raised.map((a) => a.rule_name)).not.toContain(FAILED_PASSWORD);
    expect(raised.find((a) => a.rule_name === BRUTE_FORCE)).toMatchObject({
      alert_type: 'correlation',
      entity_value: '203.0.113.7',
      mitre_tactics: ['credential_access'],
      mitre_techniques: ['T1110.001'],
    });
    expect(raised.find((a) => a.rule_name === BRUTE_FORCE_THEN_SUCCESS)).toMatchObject({
      alert_type: 'correlation',
      severity: 5,
      entity_value: '203.0.113.7',
      mitre_tactics: ['credential_access', 'initial_access', 'lateral_movement'],
      mitre_techniques: ['T1110.001', 'T1078', 'T1021.004'],
    });
    expect(raised.find((a) => a.rule_name === ROOT_LOGIN.title)).toMatchObject({
      alert_type: 'sigma',
      severity: 4,
      entity_value: '203.0.113.7',
      mitre_tactics: ['initial_access', 'persistence', 'lateral_movement'],
      mitre_techniques: ['T1078.003', 'T1021.004'],
      details: expect.objectContaining({ rule_id: ROOT_LOGIN.id, level: 'high', origin: 'bundled' }),
    });
  });

  it('counts repeats into one alert per rule and entity, and persists lifetime counts across a restart', async () => {
    const dir = tempDir();
    const first = await start({ api_rate_limit_enabled: false }, { dir });
    const root = (ip: string, i: number) => sshd(`Accepted password for root from ${ip} port ${41_000 + i} ssh2`, i);
    await first.server.seerflow.pipeline.submit([root('203.0.113.7', 0), root('203.0.113.7', 1), root('203.0.113.7', 2), root('198.51.100.9', 3)]);
    const rootAlerts = (await alerts(first, '&type=sigma')).filter((a) => a.rule_name === ROOT_LOGIN.title);
    expect(rootAlerts.map((a) => [a.entity_value, a.dedup_count]).sort()).toEqual([
      ['198.51.100.9', 1],
      ['203.0.113.7', 3],
    ]);
    await first.stop();

    const db = await openDatabase(path.join(dir, 'seerflow.db'));
    try {
      const row = (await db('sigma_rule_state')
        .where('rule_id', ROOT_LOGIN.id)
        .first('match_count_lifetime', db.raw('CAST(last_fired_ns AS TEXT) AS last_fired_ns'), 'enabled')) as
        | { match_count_lifetime: number; last_fired_ns: string; enabled: number }
        | undefined;
      expect(row).toMatchObject({ match_count_lifetime: 4, enabled: 1 });
      expect(BigInt(row!.last_fired_ns)).toBeGreaterThan(systemClockNs() - 60_000_000_000n);
    } finally {
      await db.destroy();
    }

    const second = await start({ api_rate_limit_enabled: false }, { dir });
    const { body } = await second.get<{ match_count_lifetime: number; last_fired_ns: string }>(`/api/v1/sigma/rules/${ROOT_LOGIN.id}`);
    expect(body.match_count_lifetime).toBe(4);
    expect(body.last_fired_ns).toMatch(/^\d{19}$/);
  });
});

describe('Sigma detector: rule folders', () => {
  it('loads `detection.sigma_rules_dirs`, and reloads when a file there is edited, added or removed', async () => {
    const rules = tempDir('seerflow-rules-');
    fs.mkdirSync(path.join(rules, 'nested'));
    const oneId = 'a3c5e7f9-1b2d-4f6a-8c0e-2d4f6a8c0e1b';
    const twoId = 'b4d6f8a0-2c3e-4a7b-9d1f-3e5a7b9d1f2c';
    fs.writeFileSync(path.join(rules, 'nested', 'one.yml'), ruleFile(oneId, 'Folder Rule One', 'marker-one'));
    const appliance = await start({
      api_rate_limit_enabled: false,
      detection: { sigma_load_bundled: false, sigma_rules_dirs: [rules], sigma_reload_interval_ms: 100 },
    });
    const listed = async () =>
      (await appliance.get<{ items: Array<{ rule_id: string; title: string; source: string }> }>('/api/v1/sigma/rules')).body.items;
    expect(await listed()).toEqual([expect.objectContaining({ rule_id: oneId, title: 'Folder Rule One', source: 'dir' })]);

    await appliance.server.seerflow.pipeline.submit([sshd('banner marker-one from 203.0.113.7')]);
    expect((await alerts(appliance)).map((a) => [a.rule_name, a.details.origin])).toEqual([['Folder Rule One', 'dir']]);

    // Edit: a new title and keyword replace the old ones.
    fs.writeFileSync(path.join(rules, 'nested', 'one.yml'), ruleFile(oneId, 'Folder Rule One, Edited', 'marker-edited'));
    await eventually(async () => (await listed())[0]?.title === 'Folder Rule One, Edited');
    await appliance.server.seerflow.pipeline.submit([sshd('banner marker-one from 203.0.113.8'), sshd('banner marker-edited from 203.0.113.9')]);
    expect((await alerts(appliance)).map((a) => `${a.rule_name} @ ${a.entity_value}`).sort()).toEqual([
      'Folder Rule One @ 203.0.113.7',
      'Folder Rule One, Edited @ 203.0.113.9',
    ]);

    // Add a second file, then remove the first.
    fs.writeFileSync(path.join(rules, 'two.yaml'), ruleFile(twoId, 'Folder Rule Two', 'marker-two'));
    await eventually(async () => (await listed()).length === 2);
    fs.rmSync(path.join(rules, 'nested', 'one.yml'));
    await eventually(async () => {
      const now = await listed();
      return now.length === 1 && now[0]!.rule_id === twoId;
    });
  });
});
