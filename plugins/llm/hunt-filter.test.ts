import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER, filterToJson, rangeInWords, validateFilter } from './hunt-filter.js';

const NOW = 1_796_032_800_000_000_000n; // 2026-11-30T10:00:00Z
const HOUR = 3_600_000_000_000n;

describe('validateFilter', () => {
  it('defaults to the last 24 h and keeps what is valid', () => {
    const { filter, rejected } = validateFilter({ ...EMPTY_FILTER, source: ' syslog ', severity_min: 4, text: ' Failed password ', alert_types: ['sigma', 'sigma'] }, NOW);
    expect(rejected).toEqual([]);
    expect(filterToJson(filter)).toEqual({
      since: '2026-11-29T10:00:00.000Z',
      until: '2026-11-30T10:00:00.000Z',
      since_ns: (NOW - 24n * HOUR).toString(),
      until_ns: NOW.toString(),
      source: 'syslog',
      severity_min: 4,
      entity: null,
      text: 'Failed password',
      alert_types: ['sigma'],
      tactic: null,
    });
  });

  it('uses a named range, or explicit ISO times', () => {
    expect(validateFilter({ ...EMPTY_FILTER, last: '1h' }, NOW).filter.sinceNs).toBe(NOW - HOUR);
    const { filter } = validateFilter({ ...EMPTY_FILTER, since: '2026-11-30T08:00:00Z', until: '2026-11-30T09:00:00+00:00' }, NOW);
    expect([filter.sinceNs, filter.untilNs]).toEqual([NOW - 2n * HOUR, NOW - HOUR]);
  });

  it('drops and reports what fails, one key at a time', () => {
    const { filter, rejected } = validateFilter({ ...EMPTY_FILTER, since: 'yesterday', source: 'a b', entity: 'web01' }, NOW);
    expect(rejected).toEqual([
      { field: 'since', value: 'yesterday', reason: 'not an ISO-8601 time' },
      { field: 'source', value: 'a b', reason: 'not a source name' },
    ]);
    expect(filter).toMatchObject({ sinceNs: NOW - 24n * HOUR, entity: 'web01' });
    expect(filter.source).toBeUndefined();
  });

  it('falls back to the default window when since is after until', () => {
    const { filter, rejected } = validateFilter({ ...EMPTY_FILTER, since: '2026-11-30T09:00:00Z', until: '2026-11-30T08:00:00Z' }, NOW);
    expect(rejected.map((r) => r.field)).toEqual(['since']);
    expect([filter.sinceNs, filter.untilNs]).toEqual([NOW - 24n * HOUR, NOW]);
  });
});

describe('rangeInWords', () => {
  it('finds the smallest named range covering "last/past N units"', () => {
    expect(rangeInWords('failed logins in the last hour')).toBe('1h');
    expect(rangeInWords('past 3 days on web01')).toBe('7d');
    expect(rangeInWords('last 10 minutes')).toBe('15m');
    expect(rangeInWords('last 2 months')).toBe('30d');
    expect(rangeInWords('what did 10.0.0.5 do')).toBeNull();
  });
});
