import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeAlert } from '../../test/support/make-alert.js';
import { AlertsRepository } from './alerts-repository.js';
import { openDatabase } from './database.js';
import { FeedbackPatternsRepository, patternKey } from './feedback-patterns.js';

const S = 1_000_000_000n;
const T0 = 1_796_032_800_000_000_000n;

let db: Knex;
let alerts: AlertsRepository;
let patterns: FeedbackPatternsRepository;
beforeEach(async () => {
  db = await openDatabase(':memory:');
  alerts = new AlertsRepository(db);
  patterns = new FeedbackPatternsRepository(db);
});
afterEach(async () => {
  await db.destroy();
});

/** An alert of `rule` with verdicts given at T0 + the offsets (seconds), in order. */
async function judged(rule: string, verdicts: Array<['tp' | 'fp', bigint]>, entityType: 'ip' | 'user' = 'ip') {
  const alert = makeAlert({ ruleName: rule, entityType });
  await alerts.record(alert, 900n * S);
  for (const [verdict, at] of verdicts) await alerts.submitFeedback(alert.alertId, verdict, '', 'api', T0 + at * S);
  return alert.alertId;
}

describe('patternKey', () => {
  it('lower-cases and keeps exactly two colons', () => {
    expect(patternKey('sigma', 'SSH: Brute Force!', 'ip')).toBe('sigma:ssh--brute-force-:ip');
    expect(patternKey('ml', 'hst:syslog', '')).toBe('ml:hst-syslog:');
  });
});

describe('FeedbackPatternsRepository', () => {
  it('counts TP alerts per pattern, at the minimum and above, most TPs first, ids by latest verdict', async () => {
    const a = await judged('SSH brute force', [['tp', 1n]]);
    const b = await judged('SSH brute force', [['tp', 3n]]);
    const c = await judged('SSH brute force', [['tp', 2n]]);
    await judged('SSH brute force', [['tp', 1n]], 'user'); // another entity type: another pattern
    const d = await judged('Port scan', [['tp', 5n]]);
    const e = await judged('Port scan', [['tp', 6n]]);
    expect(await patterns.list({ minTp: 2 })).toEqual([
      { patternKey: 'sigma:ssh-brute-force:ip', alertType: 'sigma', ruleName: 'SSH brute force', entityType: 'ip', tpCount: 3, mostRecentTpNs: T0 + 3n * S, alertIds: [b, c, a] },
      { patternKey: 'sigma:port-scan:ip', alertType: 'sigma', ruleName: 'Port scan', entityType: 'ip', tpCount: 2, mostRecentTpNs: T0 + 6n * S, alertIds: [e, d] },
    ]);
    expect((await patterns.list({ minTp: 3 })).map((p) => p.patternKey)).toEqual(['sigma:ssh-brute-force:ip']);
  });

  it('counts an alert once, and only while its current verdict is TP', async () => {
    await judged('SSH brute force', [['tp', 1n], ['tp', 2n]]);
    await judged('SSH brute force', [['tp', 1n], ['fp', 2n]]);
    expect((await patterns.list({ minTp: 1 })).map((p) => p.tpCount)).toEqual([1]);
  });

  it('keeps only verdicts inside the window', async () => {
    await judged('SSH brute force', [['tp', 1n]]);
    await judged('SSH brute force', [['tp', 100n]]);
    expect((await patterns.get('sigma:ssh-brute-force:ip', { minTp: 1, sinceNs: T0 + 50n * S }))?.tpCount).toBe(1);
    expect(await patterns.get('sigma:ssh-brute-force:ip', { minTp: 2, sinceNs: T0 + 50n * S })).toBeUndefined();
  });
});
