import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../test/support/make-alert.js';
import { compileRouter, globToRegExp } from './router.js';

const SINKS = new Map([
  ['slack', 'slack'],
  ['siem', 'siem'],
  ['file', 'file'],
]);

describe('router', () => {
  it('without rules, sends every alert to every sink', () => {
    const router = compileRouter({ routing_rules: [], default_routing: { action: 'drop', notify: [] } }, SINKS);
    expect(router.route(makeAlert({ severity: 0 }))).toEqual(['slack', 'siem', 'file']);
  });

  it('takes the first rule that matches by type and severity range, else the default', () => {
    const router = compileRouter(
      {
        routing_rules: [
          { match: { alert_type: ['sigma', 'correlation'], min_severity: 4 }, notify: [{ channel: 'slack' }, { channel: 'siem' }] },
          { match: { alert_type: 'ml', max_severity: 3 }, notify: [{ channel: 'file' }] },
          { match: { rule_name: 'SSH *', entity_type: 'ip' }, notify: [{ channel: 'siem' }] },
        ],
        default_routing: { action: 'drop', notify: [] },
      },
      SINKS,
    );
    expect(router.route(makeAlert({ alertType: 'sigma', severity: 5 }))).toEqual(['slack', 'siem']);
    expect(router.route(makeAlert({ alertType: 'ml', severity: 2 }))).toEqual(['file']);
    expect(router.route(makeAlert({ alertType: 'ml', severity: 4, ruleName: 'SSH volume spike' }))).toEqual(['siem']);
    expect(router.route(makeAlert({ alertType: 'ml', severity: 4, ruleName: 'ssh lower case' }))).toEqual([]);
    expect(router.route(makeAlert({ alertType: 'ueba', severity: 6, ruleName: 'SSH x', entityType: 'user' }))).toEqual([]);
  });

  it('routes unmatched alerts to the default channels, or to every sink when none are listed', () => {
    const rules = [{ match: { alert_type: 'ioc' }, notify: [{ channel: 'siem' }] }];
    const listed = compileRouter({ routing_rules: rules, default_routing: { action: 'notify', notify: [{ channel: 'file' }] } }, SINKS);
    expect(listed.route(makeAlert({ alertType: 'ueba' }))).toEqual(['file']);
    const all = compileRouter({ routing_rules: rules, default_routing: { action: 'notify', notify: [] } }, SINKS);
    expect(all.route(makeAlert({ alertType: 'ueba' }))).toEqual(['slack', 'siem', 'file']);
  });

  it('refuses a channel that is no sink, naming the key', () => {
    expect(() =>
      compileRouter({ routing_rules: [{ match: {}, notify: [{ channel: 'siem' }, { channel: 'pager' }] }], default_routing: { action: 'drop', notify: [] } }, SINKS),
    ).toThrow('alerting.routing_rules[0].notify[1].channel: no sink is named "pager" (sinks: "slack", "siem", "file")');
  });

  it('matches rule names like fnmatch, case-sensitively', () => {
    const cases: Array<[string, string, boolean]> = [
      ['SSH*', 'SSH Password Brute Force', true],
      ['ssh*', 'SSH Password Brute Force', false],
      ['*Brute?Force*', 'SSH Brute Force x', true],
      ['[A-C]ert', 'Bert', true],
      ['[!A-C]ert', 'Bert', false],
      ['[]]x', ']x', true],
      ['a.b(c)+', 'a.b(c)+', true],
      ['a.b', 'axb', false],
      ['[unclosed', '[unclosed', true],
      ['*', 'multi\nline', true],
    ];
    for (const [glob, name, expected] of cases) expect(globToRegExp(glob).test(name), `${glob} ~ ${name}`).toBe(expected);
  });
});
