import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledRuleDir, buildRulePack } from './rule-loader.js';
import { parseRuleFile } from './rule-schema.js';

const VALID = `name: test-rule
entity_type: ip
window_seconds: 300
alert_severity: 4
sources:
  - conditions:
      message: '(?i)failed password'
    min_count: 10
`;

const errorsOf = (text: string) => parseRuleFile('rules/x.yml', text).errors;

describe('parseRuleFile', () => {
  it('reads a rule with the original defaults (min_sources 1, min_count 1, any source type)', () => {
    const { rule } = parseRuleFile('rules/x.yml', VALID);
    expect(rule).toMatchObject({ name: 'test-rule', entityType: 'ip', entityScope: 'any', windowSeconds: 300, minSources: 1, alertSeverity: 4, tactics: [], file: 'rules/x.yml' });
    expect(rule?.sources).toEqual([{ sourceType: null, conditions: { message: '(?i)failed password' }, minCount: 10, distinct: null, minDistinct: 0, periodic: null }]);
  });

  it('points at the line and column of a YAML syntax error', () => {
    expect(errorsOf('name: x\nsources: [\n  - a: b\n')?.[0]).toBe('rules/x.yml:3:3: invalid YAML: Block collections are not allowed within flow collections');
  });

  it('names each bad key with what is expected', () => {
    const text = VALID.replace('name: test-rule', 'name: Test_Rule').replace('entity_type: ip', 'entity_type: router').replace('message:', 'mesage:');
    expect(errorsOf(text)).toEqual([
      'rules/x.yml: name: name must be 2-64 lower-case letters, digits or dashes, not starting or ending with a dash',
      'rules/x.yml: entity_type: entity_type must be one of [user, ip, host, process, file, domain]',
      expect.stringMatching(/^rules\/x\.yml: sources\.0\.conditions\.mesage: .*is not a condition field \(use one of message, source_type/),
    ]);
  });

  it('refuses more min_sources than sources, out-of-range windows and severities, missing sources', () => {
    expect(errorsOf(VALID.replace('alert_severity: 4', 'alert_severity: 7\nmin_sources: 2').replace('window_seconds: 300', 'window_seconds: 700000'))).toEqual([
      'rules/x.yml: window_seconds: window_seconds must be less than or equal to 604800',
      'rules/x.yml: alert_severity: alert_severity must be less than or equal to 6',
      'rules/x.yml: min_sources: min_sources is larger than the number of sources',
    ]);
    expect(errorsOf('name: ab\nentity_type: ip\nwindow_seconds: 1\nalert_severity: 1\n')).toEqual(['rules/x.yml: sources: sources is required']);
  });

  it('requires min_distinct with distinct, and checks periodic', () => {
    expect(errorsOf(VALID.replace('    min_count: 10', '    distinct: related_users'))).toEqual(['rules/x.yml: sources.0.min_distinct: min_distinct is required']);
    expect(errorsOf(VALID.replace('    min_count: 10', '    periodic: { min_intervals: 1, max_jitter: 2 }'))).toEqual([
      'rules/x.yml: sources.0.periodic.min_intervals: min_intervals must be greater than or equal to 2',
      'rules/x.yml: sources.0.periodic.max_jitter: max_jitter must be less than or equal to 1',
    ]);
  });
});

describe('buildRulePack', () => {
  it('loads the good rules and reports each bad one: invalid regex, duplicate name', () => {
    const pack = buildRulePack([
      { file: 'a.yml', text: VALID },
      { file: 'b.yml', text: VALID },
      { file: 'c.yml', text: VALID.replace('test-rule', 'other-rule').replace('(?i)failed password', '(unclosed') },
      { file: 'd.yml', text: VALID.replace('test-rule', 'third-rule') },
    ]);
    expect(pack.rules.rules.map((r) => r.spec.name)).toEqual(['test-rule', 'third-rule']);
    expect(pack.errors).toEqual([
      "b.yml: name: rule name 'test-rule' is already used by a.yml",
      expect.stringMatching(/^c\.yml: rule other-rule: condition message: .*missing closing \)/),
    ]);
  });

  it('loads every bundled rule', () => {
    const dir = bundledRuleDir();
    const files = fs.readdirSync(dir).map((name) => ({ file: name, text: fs.readFileSync(path.join(dir, name), 'utf8') }));
    const pack = buildRulePack(files);
    expect(pack.errors).toEqual([]);
    expect(pack.rules.rules.map((r) => r.spec.name).sort()).toEqual([
      'brute-force-lateral-movement',
      'brute-force-then-success',
      'c2-beaconing',
      'c2-periodic-connections',
      'credential-stuffing',
      'data-exfiltration',
      'privilege-escalation-chain',
      'slow-credential-stuffing',
    ]);
  });
});
