import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeBackends } from '../../test/support/store-backends.js';
import { makeAlert } from '../../test/support/make-alert.js';
import { makeEvent } from '../../test/support/make-event.js';
import { AlertsRepository } from './alerts-repository.js';
import { EventsRepository } from './events-repository.js';
import { BatchedWriter } from './writer.js';

const S = 1_000_000_000n;
const T0 = 1_796_032_800_000_000_000n;
const WINDOW = 900n * S;

let db: Knex;
let alerts: AlertsRepository;
describe.each(storeBackends())('$name store', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    alerts = new AlertsRepository(db);
  });
  afterEach(async () => {
    await backend.close(db);
  });

  describe('record: dedup (reference §10.3)', () => {
    it('counts a repeat within the window into the stored alert, keeping its time and id', async () => {
      const first = makeAlert({ dedupKey: 'k', timestampNs: T0, contributingEventIds: ['e1'] });
      expect(await alerts.record(first, WINDOW)).toEqual({ isNew: true, dedupCount: 1, alertId: first.alertId });
      const again = makeAlert({ dedupKey: 'k', timestampNs: T0 + 10n * S, contributingEventIds: ['e2'], description: 'again' });
      expect(await alerts.record(again, WINDOW)).toEqual({ isNew: false, dedupCount: 2, alertId: first.alertId });

      const stored = await alerts.get(first.alertId);
      expect(stored).toMatchObject({
        timestampNs: T0,
        lastSeenNs: T0 + 10n * S,
        dedupCount: 2,
        description: 'again',
        contributingEventIds: ['e1', 'e2'],
      });
      expect(await alerts.get(again.alertId)).toBeUndefined();
    });

    it('starts over outside the window: count 1, new time, new id, tags rewritten', async () => {
      await alerts.record(makeAlert({ dedupKey: 'k', timestampNs: T0, tactics: ['execution'], techniques: ['T1059'] }), WINDOW);
      const later = makeAlert({ dedupKey: 'k', timestampNs: T0 + 901n * S, tactics: ['credential-access'], techniques: ['t1110'] });
      expect(await alerts.record(later, WINDOW)).toEqual({ isNew: true, dedupCount: 1, alertId: later.alertId });

      const page = await alerts.query({ page: 1, limit: 10 });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({ alertId: later.alertId, timestampNs: T0 + 901n * S, dedupCount: 1 });
      expect(await db('alert_tactics').select('tactic')).toEqual([{ tactic: 'credential_access' }]);
      expect(await db('alert_techniques').select('technique')).toEqual([{ technique: 'T1110' }]);
    });

    it('measures the window from the first occurrence, not the latest', async () => {
      await alerts.record(makeAlert({ dedupKey: 'k', timestampNs: T0 }), WINDOW);
      expect((await alerts.record(makeAlert({ dedupKey: 'k', timestampNs: T0 + 600n * S }), WINDOW)).dedupCount).toBe(2);
      expect(await alerts.record(makeAlert({ dedupKey: 'k', timestampNs: T0 + 1200n * S }), WINDOW)).toMatchObject({
        isNew: true,
        dedupCount: 1,
      });
    });

    it('runs inside a caller transaction', async () => {
      const alert = makeAlert();
      await db.transaction((trx) => alerts.record(alert, WINDOW, trx));
      expect((await alerts.get(alert.alertId))?.ruleName).toBe('SSH brute force');
    });

    it('records a batch in a caller transaction and returns only the new alerts', async () => {
      const first = makeAlert({ dedupKey: 'k', tactics: ['Credential Access'] });
      const repeat = makeAlert({ dedupKey: 'k', timestampNs: first.timestampNs + S });
      const other = makeAlert({ dedupKey: 'other' });
      const fresh = await db.transaction((trx) => alerts.recordBatch(trx, [first, repeat, other], () => WINDOW));
      expect(fresh.map((a) => a.alertId)).toEqual([first.alertId, other.alertId]);
      expect(fresh[0]!.tactics).toEqual(['credential_access']);
      expect((await alerts.get(first.alertId))?.dedupCount).toBe(2);
    });

    it('keeps ns times exact beyond 2^53 and bigint details as strings', async () => {
      const alert = makeAlert({ timestampNs: 1_796_032_800_123_456_789n, details: { windowStartNs: 1_796_032_800_000_000_001n, score: 0.9 } });
      await alerts.record(alert, WINDOW);
      const stored = await alerts.get(alert.alertId);
      expect(stored?.timestampNs).toBe(1_796_032_800_123_456_789n);
      expect(stored?.details).toEqual({ windowStartNs: '1796032800000000001', score: 0.9 });
    });
  });

  describe('query', () => {
    beforeEach(async () => {
      await alerts.record(makeAlert({ alertType: 'ml', severity: 2, timestampNs: T0, tactics: [], techniques: [], entityValue: 'web01', entityId: '22222222-2222-5222-8222-222222222222' }), WINDOW);
      await alerts.record(makeAlert({ alertType: 'sigma', severity: 4, timestampNs: T0 + 1n * S, tactics: ['credential_access'], techniques: ['T1110.001'] }), WINDOW);
      await alerts.record(makeAlert({ alertType: 'correlation', severity: 5, timestampNs: T0 + 2n * S, tactics: ['lateral_movement'], techniques: ['T1021'] }), WINDOW);
    });

    const types = async (query: Parameters<AlertsRepository['query']>[0]) =>
      (await alerts.query(query)).items.map((a) => a.alertType);

    it('returns newest first with the total, paged', async () => {
      expect(await types({ page: 1, limit: 10 })).toEqual(['correlation', 'sigma', 'ml']);
      const page2 = await alerts.query({ page: 2, limit: 2 });
      expect(page2.items.map((a) => a.alertType)).toEqual(['ml']);
      expect(page2.total).toBe(3);
    });

    it('filters by window, type, minimum severity', async () => {
      expect(await types({ sinceNs: T0 + 1n * S, untilNs: T0 + 1n * S, page: 1, limit: 10 })).toEqual(['sigma']);
      expect(await types({ type: 'ml', page: 1, limit: 10 })).toEqual(['ml']);
      expect(await types({ severityMin: 4, page: 1, limit: 10 })).toEqual(['correlation', 'sigma']);
    });

    it('filters by entity uuid or value (case-insensitive)', async () => {
      expect(await types({ entity: '22222222-2222-5222-8222-222222222222', page: 1, limit: 10 })).toEqual(['ml']);
      expect(await types({ entity: 'WEB01', page: 1, limit: 10 })).toEqual(['ml']);
      expect(await types({ entity: '203.0.113.7', page: 1, limit: 10 })).toEqual(['correlation', 'sigma']);
    });

    it('filters by tactic and by technique prefix', async () => {
      expect(await types({ tactic: 'credential_access', page: 1, limit: 10 })).toEqual(['sigma']);
      expect(await types({ technique: 'T1110', page: 1, limit: 10 })).toEqual(['sigma']);
      expect(await types({ technique: 't1110.001', page: 1, limit: 10 })).toEqual(['sigma']);
      expect(await types({ technique: 'T1110.002', page: 1, limit: 10 })).toEqual([]);
      expect((await alerts.query({ technique: 'T10', page: 1, limit: 10 })).total).toBe(1);
    });
  });

  describe('feedback', () => {
    it('sets the verdict and appends to the audit log in one go; unknown alert → false', async () => {
      const alert = makeAlert();
      await alerts.record(alert, WINDOW);
      expect(await alerts.submitFeedback(alert.alertId, 'tp', 'confirmed', 'console', T0 + 1n)).toBe(true);
      expect(await alerts.submitFeedback(alert.alertId, 'fp', '', 'cli', T0 + 2n)).toBe(true);
      expect(await alerts.submitFeedback('nope', 'tp', '', 'api', T0)).toBe(false);

      expect((await alerts.get(alert.alertId))?.feedback).toBe('fp');
      const log = await alerts.listFeedback(alert.alertId, 1, 10);
      expect(log.total).toBe(2);
      expect(log.items.map(({ feedback, note, origin, submittedAtNs }) => ({ feedback, note, origin, submittedAtNs }))).toEqual([
        { feedback: 'fp', note: '', origin: 'cli', submittedAtNs: T0 + 2n },
        { feedback: 'tp', note: 'confirmed', origin: 'console', submittedAtNs: T0 + 1n },
      ]);
      expect((await alerts.listFeedback(alert.alertId, 2, 1)).items.map((e) => e.feedback)).toEqual(['tp']);
      expect(await db('alert_feedback_events').where('alert_id', 'nope').count({ n: '*' })).toEqual([{ n: 0 }]);
    });

    it('keeps the verdict when a repeat is counted into the alert', async () => {
      const alert = makeAlert({ dedupKey: 'k' });
      await alerts.record(alert, WINDOW);
      await alerts.submitFeedback(alert.alertId, 'tp', '', 'api', T0);
      await alerts.record(makeAlert({ dedupKey: 'k', timestampNs: alert.timestampNs + S }), WINDOW);
      expect(await alerts.get(alert.alertId)).toMatchObject({ feedback: 'tp', dedupCount: 2 });
    });
  });

  describe('aggregations', () => {
    const grid = { startNs: T0, bucketNs: 60n * S, count: 3 };

    it('counts alerts and events per bucket, densely, by source', async () => {
      await alerts.record(makeAlert({ timestampNs: T0 + 5n * S }), WINDOW);
      await alerts.record(makeAlert({ timestampNs: T0 + 125n * S, sourceId: '/var/log/auth.log', sourceType: 'file' }), WINDOW);
      await alerts.record(makeAlert({ timestampNs: T0 + 200n * S }), WINDOW); // past the grid
      expect(await alerts.countBucketed(grid)).toEqual([1, 0, 1]);
      expect(await alerts.countBucketed(grid, { source: 'file' })).toEqual([0, 0, 1]);
      expect(await alerts.countBucketed(grid, { source: '/var/log/auth.log' })).toEqual([0, 0, 1]);

      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 5 });
      for (const offset of [0n, 61n, 62n, 179n, 180n]) writer.write(makeEvent({ timestampNs: T0 + offset * S }));
      await writer.flush();
      expect(await new EventsRepository(db).countBucketed(grid)).toEqual([1, 2, 1]);
      expect(await new EventsRepository(db).countBucketed(grid, 'otlp_http')).toEqual([0, 0, 0]);
    });

    it('reads ML scores and thresholds per bucket', async () => {
      await alerts.record(makeAlert({ alertType: 'ml', timestampNs: T0 + 70n * S, details: { score: 0.9, threshold: 0.7 } }), WINDOW);
      await alerts.record(makeAlert({ alertType: 'ml', timestampNs: T0 + 80n * S, details: {} }), WINDOW);
      await alerts.record(makeAlert({ alertType: 'sigma', timestampNs: T0 + 90n * S, details: { score: 1 } }), WINDOW);
      const { samples, truncated } = await alerts.scoreSamples(grid);
      expect(truncated).toBe(false);
      expect(samples).toEqual([
        { bucket: 1, score: null, threshold: null },
        { bucket: 1, score: 0.9, threshold: 0.7 },
      ]);
    });

    it('sums risk per bucket and rule for one entity', async () => {
      const entityId = '33333333-3333-5333-8333-333333333333';
      await alerts.record(makeAlert({ entityId, ruleName: 'a', riskScore: 0.5, timestampNs: T0 + 1n * S }), WINDOW);
      await alerts.record(makeAlert({ entityId, ruleName: 'a', riskScore: 0.25, timestampNs: T0 + 2n * S }), WINDOW);
      await alerts.record(makeAlert({ entityId, ruleName: 'b', riskScore: 0.1, timestampNs: T0 + 130n * S }), WINDOW);
      await alerts.record(makeAlert({ ruleName: 'other entity', timestampNs: T0 + 1n * S }), WINDOW);
      const cells = await alerts.riskBucketed(entityId, grid);
      expect(cells.sort((x, y) => x.bucket - y.bucket)).toEqual([
        { bucket: 0, ruleName: 'a', points: 0.75, count: 2 },
        { bucket: 2, ruleName: 'b', points: 0.1, count: 1 },
      ]);
    });

    it('counts Sigma alerts per rule id and bucket, in one query or for one rule', async () => {
      const sigma = (ruleId: string, offsetS: bigint) =>
        alerts.record(makeAlert({ alertType: 'sigma', timestampNs: T0 + offsetS * S, details: { rule_id: ruleId } }), WINDOW);
      await sigma('r1', 1n);
      await sigma('r1', 2n);
      await sigma('r1', 130n);
      await sigma('r2', 65n);
      await sigma('r2', 200n); // past the grid
      await alerts.record(makeAlert({ alertType: 'correlation', timestampNs: T0, details: { rule_id: 'r1' } }), WINDOW);
      await alerts.record(makeAlert({ alertType: 'sigma', timestampNs: T0, details: {} }), WINDOW);
      expect(await alerts.countBySigmaRule(grid)).toEqual(
        new Map([
          ['r1', [2, 0, 1]],
          ['r2', [0, 1, 0]],
        ]),
      );
      expect(await alerts.countBySigmaRule(grid, 'r2')).toEqual(new Map([['r2', [0, 1, 0]]]));
      expect(await alerts.countBySigmaRule(grid, 'r3')).toEqual(new Map());
    });

    it('counts ATT&CK cells with sub-techniques rolled up to their parent, once per alert', async () => {
      await alerts.record(makeAlert({ timestampNs: T0, tactics: ['credential_access'], techniques: ['T1110.001', 'T1110.003'] }), WINDOW);
      await alerts.record(makeAlert({ timestampNs: T0, tactics: ['TA0006', 'lurking'], techniques: ['T1110'] }), WINDOW);
      await alerts.record(makeAlert({ timestampNs: T0, tactics: ['discovery'], techniques: [] }), WINDOW);
      await alerts.record(makeAlert({ timestampNs: T0 - 1n, tactics: ['impact'], techniques: ['T1485'] }), WINDOW); // before
      const counts = await alerts.attackCounts(T0, T0 + S);
      expect(counts.cells.sort((a, b) => a.tactic.localeCompare(b.tactic))).toEqual([
        { tactic: 'credential_access', technique: 'T1110', alertCount: 2 },
        { tactic: 'lurking', technique: 'T1110', alertCount: 1 },
      ]);
      expect(counts.tactics.sort((a, b) => a.tactic.localeCompare(b.tactic))).toEqual([
        { tactic: 'credential_access', alertCount: 2 },
        { tactic: 'discovery', alertCount: 1 },
        { tactic: 'lurking', alertCount: 1 },
      ]);
      expect(counts.alertsMatched).toBe(3);
    });

    it('counts alerts whose last occurrence is at or after a bound, exactly at ns resolution', async () => {
      await alerts.record(makeAlert({ dedupKey: 'a', timestampNs: T0 - 1n, lastSeenNs: T0 - 1n }), WINDOW);
      await alerts.record(makeAlert({ dedupKey: 'b', timestampNs: T0, lastSeenNs: T0 }), WINDOW);
      await alerts.record(makeAlert({ dedupKey: 'c', timestampNs: T0 + 1n, lastSeenNs: T0 + 1n }), WINDOW);
      expect(await alerts.countSince(T0)).toBe(2);
      expect(await alerts.countSince(T0 + 2n)).toBe(0);
      expect(await alerts.countSince(0n)).toBe(3);
    });
  });
});
