/** `seerflow rules list|validate|test`, spawned as a user runs them: no appliance running. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir } from './support/appliance.js';
import { runCli } from './support/cli.js';

const BUNDLED = fileURLToPath(new URL('../resources/sigma/', import.meta.url));
const ROOT_LOGIN_RULE = path.join(BUNDLED, 'linux', 'lnx_sshd_root_password_login.yml');
const ROOT_LOGIN = '291e3387-4809-47f7-9c96-6dfbf52dd816';

const bundledFiles = fs
  .readdirSync(BUNDLED, { recursive: true, encoding: 'utf8' })
  .filter((file) => /\.ya?ml$/.test(file));

interface Listed {
  rule_id: string;
  kind: string;
  title: string;
  attack_tactics: string[];
  attack_techniques: string[];
  source: string;
}

/** Runs the CLI in a fresh folder (so no ./seerflow.yaml is picked up), with `config` as its config file. */
async function rules(args: string[], config = '') {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'seerflow.yaml'), config);
  return runCli(['rules', ...args, '--config', path.join(dir, 'seerflow.yaml')], { env: { SEERFLOW_DATA_DIR: dir }, cwd: dir });
}

const jsonLines = <T>(stdout: string): T[] =>
  stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);

function ruleText(id: string, title: string, detection: string[]): string {
  return [`title: ${title}`, `id: ${id}`, 'logsource:', '    product: linux', '    service: sshd', 'detection:', ...detection, 'level: low', ''].join('\n');
}

describe('seerflow rules list', () => {
  it('lists the bundled detection and correlation rules as JSON lines, filtered by technique or tactic', async () => {
    const all = await rules(['list', '--format', 'json']);
    expect(all.code).toBe(0);
    const listed = jsonLines<Listed>(all.stdout);
    expect(listed).toHaveLength(bundledFiles.length);
    expect(listed.filter((rule) => rule.kind === 'correlation')).toHaveLength(bundledFiles.filter((f) => f.startsWith('correlation')).length);
    expect(listed.find((rule) => rule.rule_id === ROOT_LOGIN)).toMatchObject({
      kind: 'detection',
      title: 'Root Logged In Over SSH With a Password',
      level: 'high',
      logsource_key: ['linux', '', 'sshd'],
      attack_tactics: ['initial_access', 'persistence', 'lateral_movement'],
      attack_techniques: ['T1078.003', 'T1021.004'],
      source: 'bundled',
    });

    const t1021 = jsonLines<Listed>((await rules(['list', '--technique', 't1021', '--format', 'json'])).stdout);
    expect(t1021.map((rule) => rule.rule_id)).toContain(ROOT_LOGIN);
    expect(t1021.length).toBeLessThan(listed.length);
    for (const rule of t1021) expect(rule.attack_techniques.some((t) => t === 'T1021' || t.startsWith('T1021.'))).toBe(true);

    const tactic = await rules(['list', '--tactic', 'Credential Access']);
    expect(tactic.code).toBe(0);
    expect(tactic.stdout).toMatch(/^rule_id\s+kind\s+level\s+title/);
    expect(tactic.stdout).toContain('SSH Password Brute Force From One Source');
    expect(tactic.stdout).not.toContain('Root Logged In Over SSH With a Password');
    expect(tactic.stdout).toMatch(/\(\d+ rules\)\n$/);
  });

  it('loads the configured rule folders, and the bundled pack only when asked to', async () => {
    const folder = tempDir('seerflow-rules-');
    fs.writeFileSync(
      path.join(folder, 'mine.yml'),
      ruleText('c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f', 'My Own Rule', ['    keywords: [marker]', '    condition: keywords']),
    );
    const result = await rules(['list', '--format', 'json'], `detection:\n  sigma_load_bundled: false\n  sigma_rules_dirs: [${JSON.stringify(folder)}]\n`);
    expect(result.code).toBe(0);
    expect(jsonLines<Listed>(result.stdout)).toEqual([expect.objectContaining({ title: 'My Own Rule', source: 'dir', kind: 'detection' })]);
  });
});

describe('seerflow rules validate', () => {
  it('exits 0 with a count when every rule of the files and folders loads', async () => {
    const result = await rules(['validate', BUNDLED]);
    expect(result.code).toBe(0);
    const correlations = bundledFiles.filter((f) => f.startsWith('correlation')).length;
    expect(result.stdout).toBe(
      `${bundledFiles.length} rules valid (${bundledFiles.length - correlations} detection, ${correlations} correlation) in ${bundledFiles.length} files\n`,
    );
  });

  it('exits 1 at the first invalid rule, naming its stage, file, line and column', async () => {
    const dir = tempDir('seerflow-rules-');
    const good = path.join(dir, 'good.yml');
    const badModifier = path.join(dir, 'bad-modifier.yml');
    const badYaml = path.join(dir, 'bad-yaml.yml');
    fs.writeFileSync(good, ruleText('d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6', 'Good', ['    keywords: [x]', '    condition: keywords']));
    // Line 8, column 9: the `CommandLine|nonsense` key.
    fs.writeFileSync(
      badModifier,
      ruleText('e1f2a3b4-c5d6-4e7f-8a9b-c1d2e3f4a5b6', 'Bad Modifier', ['    sel:', '        CommandLine|nonsense: x', '    condition: sel']),
    );
    fs.writeFileSync(badYaml, 'title: broken\nlogsource:\n    product: linux\n  detection: [\n');

    const modifier = await rules(['validate', good, badModifier, badYaml]);
    expect(modifier.code).toBe(1);
    expect(modifier.stderr).toContain(`invalid rule: [compile] ${badModifier}:8:9 unknown modifier "nonsense"`);
    expect(modifier.stderr).toContain('1 more problems after this one');

    const yaml = await rules(['validate', badYaml]);
    expect(yaml.code).toBe(1);
    expect(yaml.stderr).toMatch(new RegExp(`invalid rule: \\[yaml\\] ${badYaml.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+ `));

    const missing = await rules(['validate', path.join(dir, 'nope.yml')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.yml: no such file or folder');
  });
});

describe('seerflow rules test', () => {
  const log = [
    '<38>1 2026-11-30T10:02:00Z web01 sshd 4260 - - Accepted password for root from 203.0.113.7 port 40222 ssh2',
    'Nov 30 10:00:01 web01 sshd[4243]: Failed password for root from 203.0.113.7 port 52150 ssh2',
    '',
    'Nov 30 10:03:01 web01 sshd[4244]: Accepted password for root from 198.51.100.3 port 52151 ssh2',
    'Accepted password for root from 198.51.100.3 port 52151 ssh2 (no syslog header: not an sshd event)',
  ];

  it('prints the matching lines with their numbers, or as JSON; exit 1 when none match', async () => {
    const file = path.join(tempDir(), 'auth.log');
    fs.writeFileSync(file, `${log.join('\n')}\n`);

    const text = await rules(['test', ROOT_LOGIN_RULE, file]);
    expect(text.code).toBe(0);
    expect(text.stdout).toBe(`1: ${log[0]}\n4: ${log[3]}\n`);
    expect(text.stderr).toContain('2 of 5 lines match');

    const json = await rules(['test', ROOT_LOGIN_RULE, file, '--format', 'json']);
    expect(jsonLines(json.stdout)).toEqual([
      { line: 1, text: log[0], rules: [{ rule_id: ROOT_LOGIN, title: 'Root Logged In Over SSH With a Password' }] },
      { line: 4, text: log[3], rules: [{ rule_id: ROOT_LOGIN, title: 'Root Logged In Over SSH With a Password' }] },
    ]);

    const none = await rules(['test', path.join(BUNDLED, 'linux', 'lnx_sudo_root_shell.yml'), file]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('0 of 5 lines match');
  });
});
