import { describe, expect, it } from 'vitest';
import { ScoreSummary } from './score-summary.js';

describe('ScoreSummary', () => {
  it('keeps per source and minute the max, sum, count and latest threshold, and groups minutes into buckets', () => {
    const summary = new ScoreSummary(60, 2);
    summary.record('syslog', 100, 0.5, Number.NaN);
    summary.record('syslog', 100, 2.5, 3);
    summary.record('syslog', 103, 1, 3.5);
    summary.record('file', 101, 4, 2);
    expect(summary.buckets(100, 5, 1, 'syslog')).toEqual([{ max: 2.5, sum: 4, count: 3, threshold: 3.5 }]);
    expect(summary.buckets(100, 1, 2)).toEqual([
      { max: 2.5, sum: 3, count: 2, threshold: 3 },
      { max: 4, sum: 4, count: 1, threshold: 2 },
    ]);
    expect(summary.buckets(100, 1, 1, 'stdin')).toEqual([{ max: null, sum: 0, count: 0, threshold: null }]);
  });

  it('forgets minutes older than its ring and ignores sources beyond its bound', () => {
    const summary = new ScoreSummary(60, 1);
    summary.record('syslog', 10, 1, 1);
    summary.record('syslog', 70, 2, 1); // same slot, a full ring later
    summary.record('file', 70, 9, 9);
    expect(summary.buckets(10, 1, 1)[0]!.count).toBe(0);
    expect(summary.buckets(70, 1, 1)).toEqual([{ max: 2, sum: 2, count: 1, threshold: 1 }]);
    expect(summary.sources).toEqual(['syslog']);
  });
});
