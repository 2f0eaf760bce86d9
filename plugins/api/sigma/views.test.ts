import { describe, expect, it } from 'vitest';
import type { RuleSummary } from '../../detectors/sigma/service.js';
import type { RuleListQuery } from './schemas.js';
import { hourlyGrid, lastDayGrid, ruleDetailJson, ruleSummaryJson, selectRules, timelineJson } from './views.js';

const HOUR = 3_600_000_000_000n;
const NOW = 1_796_040_000_000_000_000n + 25n * 60_000_000_000n; // 2026-11-30T12:25:00Z

function summary(id: string, title: string, overrides: Partial<RuleSummary> & { level?: string; category?: string } = {}): RuleSummary {
  const { level = 'medium', category, ...rest } = overrides;
  return {
    rule: {
      id,
      title,
      level,
      tags: [],
      logsource: category ? { category } : { product: 'linux', service: 'sshd' },
      source: { file: `rules/${id}.yml`, yaml: `title: ${title}\n` },
    },
    origin: 'bundled',
    enabled: true,
    tactics: [],
    techniques: [],
    matchCount: 0,
    lastFiredNs: null,
    ...rest,
  };
}

const RULES = [
  summary('c', 'sudo to root', { level: 'high', tactics: ['privilege_escalation'], techniques: ['T1548.003'] }),
  summary('a', 'SSH brute force', { level: 'low', tactics: ['credential_access'], techniques: ['T1110.001'], origin: 'dir' }),
  summary('b', 'Web SQL injection', { level: 'high', category: 'webserver', techniques: ['T1190'], enabled: false, origin: 'custom' }),
  summary('d', 'ssh root login', { level: 'critical', techniques: ['T1110'] }),
];

const ids = (query: Partial<RuleListQuery>) => selectRules(RULES, { page: 1, limit: 100, ...query }).map((s) => s.rule.id);

describe('selectRules', () => {
  it('orders by title, case-insensitively, with every rule when no filter is given', () => {
    expect(ids({})).toEqual(['a', 'd', 'c', 'b']);
  });

  it('applies each filter, and all of them together', () => {
    expect(ids({ search: 'SSH' })).toEqual(['a', 'd']);
    expect(ids({ category: 'WebServer' })).toEqual(['b']);
    expect(ids({ logsource_product: 'linux' })).toEqual(['a', 'd', 'c']);
    expect(ids({ severity_in: [4, 5] })).toEqual(['d', 'c', 'b']); // high = 4, critical = 5
    expect(ids({ enabled: false })).toEqual(['b']);
    expect(ids({ source: 'dir' })).toEqual(['a']);
    expect(ids({ tactic: 'credential_access' })).toEqual(['a']);
    expect(ids({ technique: 'T1110' })).toEqual(['a', 'd']); // the technique and its sub-techniques
    expect(ids({ technique: 'T1110.001' })).toEqual(['a']);
    expect(ids({ technique: 'T111' })).toEqual([]); // not a prefix of the id text
    expect(ids({ search: 'ssh', severity_in: [5], source: 'bundled' })).toEqual(['d']);
  });
});

describe('grids', () => {
  it('the 24 h count covers the day up to and including now', () => {
    const grid = lastDayGrid(NOW);
    expect(grid).toEqual({ startNs: NOW - 24n * HOUR + 1n, bucketNs: 24n * HOUR, count: 1 });
  });

  it('the timeline has 24 hourly buckets ending at the next full hour', () => {
    const grid = hourlyGrid(NOW);
    const nextHour = 1_796_043_600_000_000_000n; // 13:00
    expect(grid).toEqual({ startNs: nextHour - 24n * HOUR, bucketNs: HOUR, count: 24 });
    const body = timelineJson('r', grid, [5, ...new Array<number>(22).fill(0), 2]);
    expect(body.buckets).toHaveLength(24);
    expect(body.buckets[0]).toEqual({ bucket_start_ns: (nextHour - 24n * HOUR).toString(), count: 5 });
    expect(body.buckets[23]).toEqual({ bucket_start_ns: (nextHour - HOUR).toString(), count: 2 });
    expect(timelineJson('r', grid, undefined).buckets.every((b) => b.count === 0)).toBe(true);
  });
});

describe('response shapes', () => {
  it('a summary carries the state, the counts and ns as a string; the detail adds the YAML', () => {
    const fired = { ...RULES[1]!, matchCount: 7, lastFiredNs: 1_796_040_000_123_456_789n };
    expect(ruleSummaryJson(fired, 3)).toEqual({
      rule_id: 'a',
      title: 'SSH brute force',
      description: '',
      level: 'low',
      severity: 2,
      logsource_key: ['linux', '', 'sshd'],
      attack_tactics: ['credential_access'],
      attack_techniques: ['T1110.001'],
      enabled: true,
      source: 'dir',
      match_count_lifetime: 7,
      last_fired_ns: '1796040000123456789',
      alert_count_24h: 3,
    });
    expect(ruleDetailJson(fired, 3)).toMatchObject({
      rule_id: 'a',
      name: null,
      status: null,
      tags: [],
      falsepositives: [],
      yaml_source: 'title: SSH brute force\n',
    });
  });
});
