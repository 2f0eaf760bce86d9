import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawEvent } from '../../main/core/event.js';
import { systemClockNs } from '../../main/core/clock.js';
import { applianceFixture, tempDir, type TestAppliance } from '../support/appliance.js';
import { sshdKeywordRule } from '../support/sigma-rule.js';

const start = applianceFixture();

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface Summary {
  rule_id: string;
  title: string;
  description: string;
  level: string;
  severity: number;
  logsource_key: string[];
  attack_tactics: string[];
  attack_techniques: string[];
  enabled: boolean;
  source: string;
  match_count_lifetime: number;
  last_fired_ns: string | null;
  alert_count_24h: number;
}

interface RulesPage {
  items: Summary[];
  meta: { total: number; page: number; limit: number };
}

const HOUR_NS = 3_600_000_000_000n;
/** Bundled: "Root Logged In Over SSH With a Password" (linux/sshd, high). */
const ROOT_LOGIN = '291e3387-4809-47f7-9c96-6dfbf52dd816';
const CANARY_ID = '0d6c1f6e-5b7a-4c1e-9e55-1a2b3c4d5e6f';

/** A custom rule firing on sshd lines that hold `word`. */
function canaryRule(id = CANARY_ID, word = 'seerflow-canary'): string {
  return sshdKeywordRule({ id, word });
}

/** An RFC 5424 sshd line stamped now, so its alerts fall in the last 24 hours. */
function sshd(message: string): RawEvent {
  const now = systemClockNs();
  const iso = new Date(Number(now / 1_000_000n)).toISOString();
  return { sourceType: 'syslog', sourceId: 'test', receivedNs: now, line: `<38>1 ${iso} web01 sshd 4242 - - ${message}` };
}

async function submit(appliance: TestAppliance, ...messages: string[]): Promise<void> {
  await appliance.server.seerflow.pipeline.submit(messages.map(sshd));
}

async function call<T = Record<string, unknown>>(appliance: TestAppliance, method: Method, url: string, payload?: object) {
  const response = await appliance.server.inject({ method, url: `/api/v1${url}`, payload });
  return { status: response.statusCode, body: response.result as T };
}

function fieldOf(result: unknown): string | undefined {
  return (result as { details?: Array<{ field: string }> }).details?.[0]?.field;
}

describe('GET /sigma/rules', () => {
  it('lists the bundled rules in the pagination envelope, with the summary shape', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const all = await call<RulesPage>(appliance, 'GET', '/sigma/rules?limit=500');
    expect(all.status).toBe(200);
    expect(all.body.meta.total).toBeGreaterThanOrEqual(80);
    expect(all.body.meta).toMatchObject({ page: 1, limit: 500 });
    expect(all.body.items).toHaveLength(all.body.meta.total);
    const titles = all.body.items.map((rule) => rule.title);
    expect(titles).toEqual([...titles].sort((a, b) => a.localeCompare(b)));
    expect(all.body.items.find((rule) => rule.rule_id === ROOT_LOGIN)).toEqual({
      rule_id: ROOT_LOGIN,
      title: 'Root Logged In Over SSH With a Password',
      description: expect.stringContaining('sshd accepts a password'),
      level: 'high',
      severity: 4,
      logsource_key: ['linux', '', 'sshd'],
      attack_tactics: ['initial_access', 'persistence', 'lateral_movement'],
      attack_techniques: ['T1078.003', 'T1021.004'],
      enabled: true,
      source: 'bundled',
      match_count_lifetime: 0,
      last_fired_ns: null,
      alert_count_24h: 0,
    });

    const first = await call<RulesPage>(appliance, 'GET', '/sigma/rules?limit=10');
    const second = await call<RulesPage>(appliance, 'GET', '/sigma/rules?limit=10&page=2');
    expect(first.body.meta).toEqual({ total: all.body.meta.total, page: 1, limit: 10 });
    expect(first.body.items.map((r) => r.rule_id)).toEqual(all.body.items.slice(0, 10).map((r) => r.rule_id));
    expect(second.body.items.map((r) => r.rule_id)).toEqual(all.body.items.slice(10, 20).map((r) => r.rule_id));
    expect((await call<RulesPage>(appliance, 'GET', '/sigma/rules?page=10000')).body).toEqual({
      items: [],
      meta: { total: all.body.meta.total, page: 10000, limit: 100 },
    });
    expect((await call<RulesPage>(appliance, 'GET', '/sigma/rules')).body.meta.limit).toBe(100);
  });

  it('filters by category, product, severity, source, enabled, title, tactic and technique', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const list = async (query: string) => (await call<RulesPage>(appliance, 'GET', `/sigma/rules?limit=500&${query}`)).body.items;
    const total = (await list('')).length;

    const web = await list('category=webserver');
    expect(web.length).toBeGreaterThan(5);
    for (const rule of web) expect(rule.logsource_key[1]).toBe('webserver');
    const linux = await list('logsource_product=Linux');
    expect(linux.length).toBeGreaterThan(20);
    for (const rule of linux) expect(rule.logsource_key[0]).toBe('linux');

    const highOrCritical = await list('severity_in=4&severity_in=5');
    expect(highOrCritical.length).toBeGreaterThan(0);
    expect(new Set(highOrCritical.map((rule) => rule.level))).toEqual(new Set(['high', 'critical']));
    expect(await list('severity_in=24')).toEqual([]);

    expect(await list('source=bundled')).toHaveLength(total);
    expect(await list('source=custom')).toEqual([]);
    expect(await list('enabled=true')).toHaveLength(total);
    expect(await list('enabled=false')).toEqual([]);

    const ssh = await list('search=sSh');
    expect(ssh.length).toBeGreaterThan(3);
    for (const rule of ssh) expect(rule.title.toLowerCase()).toContain('ssh');
    expect(await list('search=no%20such%20title%20anywhere')).toEqual([]);

    // Any spelling of a tactic; a technique selects its sub-techniques.
    const credential = await list('tactic=Credential%20Access');
    expect(credential.length).toBeGreaterThan(0);
    for (const rule of credential) expect(rule.attack_tactics).toContain('credential_access');
    expect(await list('tactic=credential-access')).toEqual(credential);
    const t1021 = await list('technique=t1021');
    expect(t1021.map((rule) => rule.rule_id)).toContain(ROOT_LOGIN);
    for (const rule of t1021) expect(rule.attack_techniques.some((t) => t === 'T1021' || t.startsWith('T1021.'))).toBe(true);
    expect((await list('technique=T1021.004')).map((rule) => rule.rule_id)).toContain(ROOT_LOGIN);
    expect((await list('technique=T1021.001')).map((rule) => rule.rule_id)).not.toContain(ROOT_LOGIN);
    expect(await list('category=webserver&technique=T1021')).toEqual([]);
  });
});

describe('GET /sigma/rules/{rule_id} and its timeline', () => {
  it('answers the detail with the YAML, tags and false positives; 404 for an unknown rule', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const { status, body } = await call(appliance, 'GET', `/sigma/rules/${ROOT_LOGIN}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      rule_id: ROOT_LOGIN,
      title: 'Root Logged In Over SSH With a Password',
      name: 'lnx_sshd_root_password_login',
      status: 'test',
      level: 'high',
      tags: ['attack.initial-access', 'attack.persistence', 'attack.t1078.003', 'attack.lateral-movement', 'attack.t1021.004'],
      falsepositives: ['Hosts where root password logins are deliberately allowed'],
      source: 'bundled',
    });
    const yaml = body.yaml_source as string;
    expect(yaml).toContain(`id: ${ROOT_LOGIN}`);
    expect(yaml).toContain("- 'Accepted password for root from '");

    const missing = await call(appliance, 'GET', '/sigma/rules/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ message: 'rule not found' });
    expect((await call(appliance, 'GET', '/sigma/rules/nope/timeline')).status).toBe(404);
  });

  it('counts the alerts a rule raised: 24 hourly buckets ending at the next full hour, and the 24 h count', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const firedNs = systemClockNs();
    await submit(
      appliance,
      'Accepted password for root from 203.0.113.7 port 40222 ssh2',
      'Accepted password for root from 198.51.100.9 port 40223 ssh2',
      'Accepted publickey for alice from 198.51.100.4 port 50022 ssh2',
    );
    const { status, body } = await call<{ rule_id: string; buckets: Array<{ bucket_start_ns: string; count: number }> }>(
      appliance,
      'GET',
      `/sigma/rules/${ROOT_LOGIN}/timeline?bucket=hour&window=24h`,
    );
    expect(status).toBe(200);
    expect(body.rule_id).toBe(ROOT_LOGIN);
    expect(body.buckets).toHaveLength(24);
    const askedNs = systemClockNs();
    const nextHour = (askedNs / HOUR_NS + 1n) * HOUR_NS;
    expect(body.buckets.map((b) => b.bucket_start_ns)).toEqual(
      Array.from({ length: 24 }, (_, i) => (nextHour - BigInt(24 - i) * HOUR_NS).toString()),
    );
    // Two source addresses, two alerts (one per entity), in the hour they fired.
    const firedBucket = 23 - Number(askedNs / HOUR_NS - firedNs / HOUR_NS);
    expect(body.buckets.map((b) => b.count)).toEqual(Array.from({ length: 24 }, (_, i) => (i === firedBucket ? 2 : 0)));

    const detail = await call<Summary>(appliance, 'GET', `/sigma/rules/${ROOT_LOGIN}`);
    expect(detail.body.alert_count_24h).toBe(2);
    const listed = await call<RulesPage>(appliance, 'GET', '/sigma/rules?search=Root%20Logged%20In%20Over%20SSH%20With%20a%20Password');
    expect(listed.body.items.map((rule) => [rule.rule_id, rule.alert_count_24h])).toEqual([[ROOT_LOGIN, 2]]);
  });
});

describe('PATCH /sigma/rules/{rule_id}', () => {
  it('disables a rule (it stops firing), and the state survives a restart', async () => {
    const dir = tempDir();
    const first = await start({ api_rate_limit_enabled: false }, { dir });
    const patched = await call<Summary>(first, 'PATCH', `/sigma/rules/${ROOT_LOGIN}`, { enabled: false });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ rule_id: ROOT_LOGIN, enabled: false, yaml_source: expect.any(String) });
    const disabled = await call<RulesPage>(first, 'GET', '/sigma/rules?enabled=false');
    expect(disabled.body.items.map((rule) => rule.rule_id)).toEqual([ROOT_LOGIN]);
    await submit(first, 'Accepted password for root from 203.0.113.7 port 40222 ssh2');
    const alerts = await call<{ items: Array<{ rule_name: string }> }>(first, 'GET', '/alerts?type=sigma');
    expect(alerts.body.items.map((a) => a.rule_name)).not.toContain('Root Logged In Over SSH With a Password');
    expect((await call(first, 'PATCH', '/sigma/rules/00000000-0000-4000-8000-000000000000', { enabled: true })).status).toBe(404);
    await first.stop();

    const second = await start({ api_rate_limit_enabled: false }, { dir });
    expect((await call<Summary>(second, 'GET', `/sigma/rules/${ROOT_LOGIN}`)).body.enabled).toBe(false);
    const enabled = await call<Summary>(second, 'PATCH', `/sigma/rules/${ROOT_LOGIN}`, { enabled: true });
    expect(enabled.body.enabled).toBe(true);
    await submit(second, 'Accepted password for root from 203.0.113.7 port 40222 ssh2');
    const after = await call<{ items: Array<{ rule_name: string }> }>(second, 'GET', '/alerts?type=sigma');
    expect(after.body.items.map((a) => a.rule_name)).toContain('Root Logged In Over SSH With a Password');
  });
});

describe('POST /sigma/rules', () => {
  it('dry run: 200 with the validation result, valid or not, with stage, line and column', async () => {
    const appliance = await start({ api_rate_limit_enabled: false }); // no upload folder: a dry run needs none
    const valid = await call(appliance, 'POST', '/sigma/rules?dry_run=true', { yaml: canaryRule() });
    expect(valid).toEqual({
      status: 200,
      body: { valid: true, rule_id: CANARY_ID, title: 'Canary Word In sshd Output', logsource_key: ['linux', '', 'sshd'] },
    });
    const inBody = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule(), dry_run: true });
    expect(inBody.body).toMatchObject({ valid: true });

    const yamlError = await call(appliance, 'POST', '/sigma/rules', { yaml: 'title: x\nlogsource: [unclosed\n', dry_run: true });
    expect(yamlError.status).toBe(200);
    expect(yamlError.body).toMatchObject({ valid: false, stage: 'yaml', line: expect.any(Number), column: expect.any(Number) });

    const badModifier = canaryRule().replace("    keywords:\n        - 'seerflow-canary'", "    sel:\n        CommandLine|nonsense: x");
    const compileError = await call(appliance, 'POST', '/sigma/rules', { yaml: badModifier.replace('condition: keywords', 'condition: sel'), dry_run: true });
    expect(compileError.body).toMatchObject({ valid: false, stage: 'compile', line: 10, column: expect.any(Number) });
    expect(compileError.body.message).toMatch(/nonsense/);

    const noTitle = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule().replace(/^title: .*\n/, ''), dry_run: true });
    expect(noTitle.body).toMatchObject({ valid: false, stage: 'schema' });
  });

  it('stores a rule (201), which then fires; 409 on the same id; 422 when invalid', async () => {
    const uploads = path.join(tempDir(), 'custom');
    const appliance = await start({ api_rate_limit_enabled: false, detection: { sigma_custom_upload_dir: uploads } });
    const created = await call<Summary & { yaml_source: string }>(appliance, 'POST', '/sigma/rules', { yaml: canaryRule() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      rule_id: CANARY_ID,
      source: 'custom',
      enabled: true,
      level: 'high',
      attack_tactics: ['execution'],
      attack_techniques: ['T1059.004'],
      yaml_source: canaryRule(),
    });
    expect(fs.readdirSync(uploads)).toEqual([`${CANARY_ID}.yml`]);
    expect((await call<RulesPage>(appliance, 'GET', '/sigma/rules?source=custom')).body.items.map((r) => r.rule_id)).toEqual([CANARY_ID]);

    await submit(appliance, 'error: seerflow-canary seen in banner exchange');
    const alerts = await call<{ items: Array<Record<string, unknown>> }>(appliance, 'GET', '/alerts?type=sigma');
    expect(alerts.body.items.find((a) => a.rule_name === 'Canary Word In sshd Output')).toMatchObject({
      severity: 4,
      mitre_techniques: ['T1059.004'],
      details: expect.objectContaining({ rule_id: CANARY_ID, origin: 'custom' }),
    });

    const again = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule() });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ collision: true, existing_rule_id: CANARY_ID, existing_source: 'custom' });
    const bundledId = await call(appliance, 'POST', '/sigma/rules?dry_run=true', { yaml: canaryRule(ROOT_LOGIN) });
    expect(bundledId.status).toBe(409);
    expect(bundledId.body).toMatchObject({ collision: true, existing_rule_id: ROOT_LOGIN, existing_source: 'bundled' });

    const invalid = await call(appliance, 'POST', '/sigma/rules', { yaml: 'title: x\nlogsource: [unclosed\n' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ stage: 'yaml', line: expect.any(Number), column: expect.any(Number) });
    expect(invalid.body.detail).toMatch(/^\[yaml\] \(\d+, \d+\) /);
    expect(fs.readdirSync(uploads)).toEqual([`${CANARY_ID}.yml`]);
  });

  it('refuses an id that would write outside the upload folder (422), and writes nothing', async () => {
    const root = tempDir();
    const uploads = path.join(root, 'custom');
    const appliance = await start({ api_rate_limit_enabled: false, detection: { sigma_custom_upload_dir: uploads } });
    for (const id of ['../escaped', '..', 'a/b', '/etc/cron.d/x']) {
      const answer = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule(id) });
      expect(answer.status, id).toBe(422);
      expect(answer.body).toMatchObject({ stage: 'schema' });
    }
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('507 when the upload folder is full, by rule count or by bytes', async () => {
    const uploads = path.join(tempDir(), 'custom');
    const appliance = await start({
      api_rate_limit_enabled: false,
      detection: { sigma_custom_upload_dir: uploads, sigma_custom_max_rules: 1 },
    });
    expect((await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule() })).status).toBe(201);
    const full = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule('5b9e2a41-7c3d-4e8f-9a1b-2c3d4e5f6a7b', 'other-word') });
    expect(full.status).toBe(507);
    expect(full.body.detail).toMatch(/maximum of 1 rules/);

    const small = await start({
      api_rate_limit_enabled: false,
      detection: { sigma_custom_upload_dir: path.join(tempDir(), 'custom'), sigma_custom_max_bytes: 1024 },
    });
    const big = canaryRule().replace('Fires when sshd logs the canary word.', 'x'.repeat(1024));
    expect((await call(small, 'POST', '/sigma/rules', { yaml: big })).status).toBe(507);
  });

  it('422 when no upload folder is configured', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const response = await call(appliance, 'POST', '/sigma/rules', { yaml: canaryRule() });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ detail: 'sigma_custom_upload_dir not configured' });
  });
});

describe('Sigma routes without the Sigma detector, and rule suggestions', () => {
  it('answer 503 with the shared not-ready envelope once the request is valid', async () => {
    const appliance = await start({ api_rate_limit_enabled: false, detection: { sigma_enabled: false } });
    const rule = '5f1e1b8c-0d7b-4f55-9a9a-3f7e8f1c2d3e';
    const cases: Array<[Method, string, object | undefined, string, string]> = [
      ['GET', '/sigma/rules?page=2&limit=500&severity_in=3&severity_in=4&enabled=true&search=ssh', undefined, 'sigma_not_ready', 'disabled'],
      ['POST', '/sigma/rules?dry_run=true', { yaml: 'title: x' }, 'sigma_not_ready', 'disabled'],
      ['POST', '/sigma/rules', { yaml: 'title: x', dry_run: false }, 'sigma_not_ready', 'disabled'],
      ['GET', `/sigma/rules/${rule}`, undefined, 'sigma_not_ready', 'disabled'],
      ['PATCH', `/sigma/rules/${rule}`, { enabled: false }, 'sigma_not_ready', 'disabled'],
      ['GET', `/sigma/rules/${rule}/timeline?bucket=hour&window=24h`, undefined, 'sigma_not_ready', 'disabled'],
      ['GET', '/sigma/rule-suggestions?limit=200', undefined, 'llm_not_ready', 'disabled'],
      ['POST', '/sigma/rule-suggestions/sigma:ssh_brute_force:ip', undefined, 'llm_not_ready', 'disabled'],
      ['DELETE', '/sigma/rule-suggestions/sigma:ssh_brute_force:ip', undefined, 'llm_not_ready', 'disabled'],
    ];
    for (const [method, url, payload, detail, status] of cases) {
      const response = await appliance.server.inject({ method, url: `/api/v1${url}`, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(503);
      expect(response.result, `${method} ${url}`).toMatchObject({ detail, status, statusCode: 503 });
    }
  });

  it('validate first: 422 naming the field', async () => {
    const appliance = await start({ api_rate_limit_enabled: false });
    const cases: Array<[Method, string, object | undefined, string]> = [
      ['GET', '/sigma/rules?limit=501', undefined, 'limit'],
      ['GET', '/sigma/rules?page=10001', undefined, 'page'],
      ['GET', '/sigma/rules?severity_in=25', undefined, 'severity_in'],
      ['GET', '/sigma/rules?severity_in=1&severity_in=25', undefined, 'severity_in.1'],
      ['GET', `/sigma/rules?${Array.from({ length: 26 }, () => 'severity_in=1').join('&')}`, undefined, 'severity_in'],
      ['GET', `/sigma/rules?search=${'x'.repeat(201)}`, undefined, 'search'],
      ['GET', '/sigma/rules?enabled=maybe', undefined, 'enabled'],
      ['GET', '/sigma/rules?source=elsewhere', undefined, 'source'],
      ['GET', '/sigma/rules?technique=T11', undefined, 'technique'],
      ['GET', '/sigma/rules?tactic=%3Cscript%3E', undefined, 'tactic'],
      ['POST', '/sigma/rules', { yaml: '' }, 'yaml'],
      ['POST', '/sigma/rules', {}, 'yaml'],
      ['POST', '/sigma/rules?dry_run=perhaps', { yaml: 'title: x' }, 'dry_run'],
      ['GET', `/sigma/rules/${'a'.repeat(37)}`, undefined, 'rule_id'],
      ['GET', '/sigma/rules/a%20b', undefined, 'rule_id'],
      ['PATCH', '/sigma/rules/abc', { enabled: 'yes please' }, 'enabled'],
      ['PATCH', '/sigma/rules/abc', {}, 'enabled'],
      ['GET', '/sigma/rules/abc/timeline?bucket=day', undefined, 'bucket'],
      ['GET', '/sigma/rules/abc/timeline?window=7d', undefined, 'window'],
      ['GET', '/sigma/rule-suggestions?limit=201', undefined, 'limit'],
      ['POST', '/sigma/rule-suggestions/Sigma:Upper:ip', undefined, 'pattern_key'],
      ['DELETE', `/sigma/rule-suggestions/${'a'.repeat(129)}`, undefined, 'pattern_key'],
    ];
    for (const [method, url, payload, field] of cases) {
      const response = await appliance.server.inject({ method, url: `/api/v1${url}`, payload });
      expect(response.statusCode, `${method} ${url}`).toBe(422);
      expect(fieldOf(response.result), `${method} ${url}`).toBe(field);
    }
  });
});
