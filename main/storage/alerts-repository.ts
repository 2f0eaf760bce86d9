/**
 * Stored alerts: recording with deduplication, the contract's alert search, feedback with its
 * audit log, and the aggregations behind the timelines and the ATT&CK coverage matrix.
 *
 * Dedup follows the original (reference §10.3): an alert whose dedup key is stored and whose
 * time is within the window of the stored (first-occurrence) time counts +1 and keeps the stored
 * time; otherwise the row starts over with count 1. Tactic and technique rows are rewritten only
 * when the alert is new. Deliberate differences: within the window the stored alert id, feedback
 * and ATT&CK tags are kept (the original overwrote the id, orphaning feedback and links that
 * clients held) and contributing events accumulate; `last_seen_ns` records the latest occurrence.
 * Feedback lives in the `feedback` column only, not also in the JSON, so there is one truth.
 */
import type { Knex } from 'knex';
import { normalizeTactic, normalizeTechnique } from '../core/attack.js';
import type { Alert, AlertType, Verdict } from '../core/alert.js';
import type { EntityType } from '../core/event.js';
import type { Severity } from '../core/severity.js';
import { bucketIndex, denseCounts, withinGrid, type BucketGrid } from './buckets.js';
import { beforeFirstDot, jsonText } from './dialect.js';
import { countCapped, type Page } from './paging.js';
import { nsColumn } from './ns.js';

export type FeedbackOrigin = 'dashboard' | 'cli' | 'api' | 'console';

export interface AlertQuery {
  sinceNs?: bigint;
  untilNs?: bigint;
  type?: AlertType;
  severityMin?: number;
  /** Entity UUID5, or an entity value (IP, user, host…), case-insensitive. */
  entity?: string;
  /** Canonical tactic name (see `normalizeTactic`). */
  tactic?: string;
  /** Technique id prefix: `T1110` matches `T1110` and its sub-techniques. */
  technique?: string;
  page: number;
  limit: number;
}

export interface RecordResult {
  /** True for a first occurrence or a window reset: notify, feed the kill chain. */
  isNew: boolean;
  dedupCount: number;
  /** The stored alert's id (the earlier one when this occurrence was counted into it). */
  alertId: string;
}

export interface FeedbackEntry {
  id: number;
  feedback: Verdict;
  note: string;
  origin: string;
  submittedAtNs: bigint;
}

export interface ScoreSample {
  bucket: number;
  score: number | null;
  threshold: number | null;
}

export interface RiskCell {
  bucket: number;
  ruleName: string;
  points: number;
  count: number;
}

export interface AttackCounts {
  /** Alerts per (tactic, parent technique); an alert counts once per cell. */
  cells: Array<{ tactic: string; technique: string; alertCount: number }>;
  /** Alerts per tactic, techniques or not. */
  tactics: Array<{ tactic: string; alertCount: number }>;
  /** Distinct alerts carrying any tactic or technique. */
  alertsMatched: number;
}

/** Contributing event ids kept per alert (the detail view shows 50). */
const MAX_CONTRIBUTING = 50;
/** ML alerts read for the anomaly score series (newest first). */
const MAX_SCORE_SAMPLES = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AlertRow {
  alert_id: string;
  alert_type: string;
  timestamp_ns: string;
  last_seen_ns: string;
  severity_id: number;
  rule_name: string;
  source_id: string;
  entity_id: string;
  entity_type: string;
  entity_value: string;
  dedup_key: string;
  dedup_count: number;
  risk_score: number;
  feedback: string | null;
  data: string;
}

/** What the columns do not hold. */
interface AlertData {
  description: string;
  sourceType: string;
  tactics: string[];
  techniques: string[];
  contributingEventIds: string[];
  details: Record<string, unknown>;
}

export class AlertsRepository {
  readonly #db: Knex;
  readonly #reader: Knex;

  /** `reader`: a read-only pool for queries, so API reads never wait behind the writer. */
  constructor(db: Knex, reader: Knex = db) {
    this.#db = db;
    this.#reader = reader;
  }

  /**
   * Store `alert`, or count it into the stored alert with the same dedup key when its time is
   * within `dedupWindowNs` of that alert's (first-occurrence) time. Runs inside `trx` when
   * given (the batched writer's flush), else in a transaction of its own.
   */
  async record(alert: Alert, dedupWindowNs: bigint, trx?: Knex.Transaction): Promise<RecordResult> {
    const incoming = canonical(alert);
    // Several appliances may share the store: the row is locked while it is counted into
    // (FOR UPDATE; SQLite has one writer anyway), and an insert that loses a race to another
    // appliance's counts into the row that won.
    const lockStored = (trx: Knex.Transaction) =>
      trx('alerts as a').select(this.#columns()).where('a.dedup_key', incoming.dedupKey).forUpdate().first() as Promise<AlertRow | undefined>;
    const run = async (trx: Knex.Transaction): Promise<RecordResult> => {
      let row = await lockStored(trx);
      if (!row) {
        const inserted = await trx('alerts').insert(alertToRow(incoming, 1)).onConflict('dedup_key').ignore().returning('alert_id');
        if (inserted.length > 0) {
          await writeAttackRows(trx, incoming);
          return { isNew: true, dedupCount: 1, alertId: incoming.alertId };
        }
        row = (await lockStored(trx))!;
      }
      const stored = rowToAlert(row);
      const distance = incoming.timestampNs - stored.timestampNs;
      if ((distance < 0n ? -distance : distance) <= dedupWindowNs) {
        const dedupCount = stored.dedupCount + 1;
        const merged: Alert = {
          ...incoming,
          alertId: stored.alertId,
          timestampNs: stored.timestampNs,
          lastSeenNs: maxNs(stored.lastSeenNs, incoming.lastSeenNs),
          feedback: stored.feedback,
          tactics: stored.tactics,
          techniques: stored.techniques,
          contributingEventIds: [...new Set([...stored.contributingEventIds, ...incoming.contributingEventIds])].slice(
            -MAX_CONTRIBUTING,
          ),
        };
        await trx('alerts').where('dedup_key', incoming.dedupKey).update(alertToRow(merged, dedupCount));
        return { isNew: false, dedupCount, alertId: stored.alertId };
      }
      // Outside the window: a new occurrence replaces the stored one.
      await trx('alerts').where('dedup_key', incoming.dedupKey).update(alertToRow(incoming, 1));
      await trx('alert_tactics').where('dedup_key', incoming.dedupKey).delete();
      await trx('alert_techniques').where('dedup_key', incoming.dedupKey).delete();
      await writeAttackRows(trx, incoming);
      return { isNew: true, dedupCount: 1, alertId: incoming.alertId };
    };
    return trx ? run(trx) : this.#db.transaction(run);
  }

  /**
   * Record `alerts` in order inside `trx` and return those that are new (first occurrence or
   * window reset), to be announced: the batched writer's `AlertRecorder`.
   */
  async recordBatch(trx: Knex.Transaction, alerts: Alert[], dedupWindowNs: (alert: Alert) => bigint): Promise<Alert[]> {
    const fresh: Alert[] = [];
    for (const alert of alerts) {
      const result = await this.record(alert, dedupWindowNs(alert), trx);
      if (result.isNew) fresh.push({ ...canonical(alert), dedupCount: 1 });
    }
    return fresh;
  }

  /** The contract's alert search: newest first, with the total. */
  async query(query: AlertQuery): Promise<Page<Alert>> {
    const filtered = () => this.#filtered(query);
    const counted = await countCapped(this.#reader, filtered());
    const rows = (await filtered()
      .select(this.#columns())
      .orderBy([
        { column: 'a.timestamp_ns', order: 'desc' },
        { column: 'a.alert_id', order: 'desc' },
      ])
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)) as AlertRow[];
    return { items: rows.map(rowToAlert), ...counted };
  }

  async get(alertId: string): Promise<Alert | undefined> {
    const row = (await this.#reader('alerts as a').select(this.#columns()).where('a.alert_id', alertId).first()) as
      | AlertRow
      | undefined;
    return row ? rowToAlert(row) : undefined;
  }

  /** Set the alert's verdict and append to its audit log, atomically. False when the alert is unknown. */
  async submitFeedback(alertId: string, verdict: Verdict, note: string, origin: FeedbackOrigin, nowNs: bigint): Promise<boolean> {
    return this.#db.transaction(async (trx) => {
      const updated = await trx('alerts').where('alert_id', alertId).update({ feedback: verdict });
      if (updated === 0) return false;
      await trx('alert_feedback_events').insert({
        alert_id: alertId,
        feedback: verdict,
        note,
        origin,
        submitted_at_ns: nowNs.toString(),
      });
      return true;
    });
  }

  /** The feedback audit log of one alert, newest first. */
  async listFeedback(alertId: string, page: number, limit: number): Promise<Page<FeedbackEntry>> {
    const db = this.#reader;
    const [countRow] = await db('alert_feedback_events').where('alert_id', alertId).count<{ n: number }[]>({ n: '*' });
    const rows = (await db('alert_feedback_events')
      .select('id', 'feedback', 'note', 'origin', nsColumn(db, 'submitted_at_ns'))
      .where('alert_id', alertId)
      .orderBy([
        { column: 'submitted_at_ns', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit)
      .offset((page - 1) * limit)) as Array<{ id: number; feedback: Verdict; note: string; origin: string; submitted_at_ns: string }>;
    return {
      items: rows.map((r) => ({ id: r.id, feedback: r.feedback, note: r.note, origin: r.origin, submittedAtNs: BigInt(r.submitted_at_ns) })),
      total: Number(countRow?.n ?? 0),
    };
  }

  /** Alerts per bucket of `grid` (by first-occurrence time), optionally of one source or entity. */
  /** Alerts whose latest occurrence is at or after `sinceNs` (ns exact: a decimal string bound). */
  async countSince(sinceNs: bigint): Promise<number> {
    const [row] = await this.#reader('alerts').where('last_seen_ns', '>=', sinceNs.toString()).count<{ n: number }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }

  async countBucketed(grid: BucketGrid, filter: { source?: string; entityId?: string } = {}): Promise<number[]> {
    const db = this.#reader;
    const builder = withinGrid(db('alerts as a'), 'a.timestamp_ns', grid);
    this.#whereSource(builder, filter.source);
    if (filter.entityId) builder.where('a.entity_id', filter.entityId);
    const rows = (await builder
      .select(bucketIndex(db, 'a.timestamp_ns', grid).wrap('', ' AS bucket'))
      .count({ n: '*' })
      .groupBy('bucket')) as Array<{ bucket: number; n: number }>;
    return denseCounts(grid, rows);
  }

  /**
   * `details.score` and `details.threshold` of the ML alerts in `grid`, newest first, at most
   * 10 000 (`truncated` says when more were there).
   */
  async scoreSamples(grid: BucketGrid, source?: string): Promise<{ samples: ScoreSample[]; truncated: boolean }> {
    const db = this.#reader;
    const builder = withinGrid(db('alerts as a'), 'a.timestamp_ns', grid).where('a.alert_type', 'ml');
    this.#whereSource(builder, source);
    const rows = (await builder
      .select(bucketIndex(db, 'a.timestamp_ns', grid).wrap('', ' AS bucket'), 'a.data')
      .orderBy('a.timestamp_ns', 'desc')
      .limit(MAX_SCORE_SAMPLES + 1)) as Array<{ bucket: number; data: string }>;
    const samples = rows.slice(0, MAX_SCORE_SAMPLES).map((row) => {
      const details = (JSON.parse(row.data) as AlertData).details;
      return { bucket: row.bucket, score: finiteOrNull(details.score), threshold: finiteOrNull(details.threshold) };
    });
    return { samples, truncated: rows.length > MAX_SCORE_SAMPLES };
  }

  /**
   * Sigma alerts per rule id (`details.rule_id`) and bucket of `grid`, by first-occurrence time,
   * in one grouped query: every rule's (the rule list's 24 h counts, a one-bucket grid) or only
   * `ruleId`'s (its hourly timeline). Rules without alerts in the grid are absent.
   */
  async countBySigmaRule(grid: BucketGrid, ruleId?: string): Promise<Map<string, number[]>> {
    const db = this.#reader;
    // A fresh expression each time: `wrap` changes the raw it is called on.
    const rule = () => jsonText(db, 'a.data', ['details', 'rule_id']);
    const builder = withinGrid(db('alerts as a'), 'a.timestamp_ns', grid).where('a.alert_type', 'sigma');
    if (ruleId !== undefined) builder.whereRaw('? = ?', [rule(), ruleId]);
    const rows = (await builder
      .select(rule().wrap('', ' AS rule_id'), bucketIndex(db, 'a.timestamp_ns', grid).wrap('', ' AS bucket'))
      .count({ n: '*' })
      .groupBy('rule_id', 'bucket')) as Array<{ rule_id: string | null; bucket: number; n: number }>;
    const byRule = new Map<string, Array<{ bucket: number; n: number }>>();
    for (const row of rows) {
      if (row.rule_id === null) continue;
      const list = byRule.get(row.rule_id) ?? [];
      list.push(row);
      byRule.set(row.rule_id, list);
    }
    return new Map([...byRule].map(([id, list]) => [id, denseCounts(grid, list)]));
  }

  /** Σ risk score and alert count per (bucket, rule) for one entity's alerts in `grid`. */
  async riskBucketed(entityId: string, grid: BucketGrid): Promise<RiskCell[]> {
    const db = this.#reader;
    const rows = (await withinGrid(db('alerts as a'), 'a.timestamp_ns', grid)
      .where('a.entity_id', entityId)
      .select(bucketIndex(db, 'a.timestamp_ns', grid).wrap('', ' AS bucket'), 'a.rule_name')
      .sum({ points: 'a.risk_score' })
      .count({ n: '*' })
      .groupBy('bucket', 'a.rule_name')) as Array<{ bucket: number; rule_name: string; points: number; n: number }>;
    return rows.map((r) => ({ bucket: r.bucket, ruleName: r.rule_name, points: Number(r.points), count: Number(r.n) }));
  }

  /** ATT&CK tag counts of the alerts whose first occurrence lies in [sinceNs, untilNs]. */
  async attackCounts(sinceNs: bigint, untilNs: bigint): Promise<AttackCounts> {
    const db = this.#reader;
    const since = sinceNs.toString();
    const until = untilNs.toString();
    const parent = beforeFirstDot(db, 'k.technique');
    const cells = (await db('alert_tactics as t')
      .join('alert_techniques as k', 'k.dedup_key', 't.dedup_key')
      .whereBetween('t.timestamp_ns', [since, until])
      .select('t.tactic', parent.wrap('', ' AS parent'))
      .countDistinct({ n: 't.dedup_key' })
      // Grouped by the alias: `technique` would name the raw column here.
      .groupBy('t.tactic', 'parent')) as Array<{ tactic: string; parent: string; n: number }>;
    const tactics = (await db('alert_tactics')
      .whereBetween('timestamp_ns', [since, until])
      .select('tactic')
      .count({ n: '*' })
      .groupBy('tactic')) as Array<{ tactic: string; n: number }>;
    const tagged = db('alert_tactics')
      .select('dedup_key')
      .whereBetween('timestamp_ns', [since, until])
      .union((u) => u.select('dedup_key').from('alert_techniques').whereBetween('timestamp_ns', [since, until]));
    const [matched] = (await db.from(tagged.as('tagged')).count({ n: '*' })) as Array<{ n: number }>;
    return {
      cells: cells.map((c) => ({ tactic: c.tactic, technique: c.parent, alertCount: Number(c.n) })),
      tactics: tactics.map((t) => ({ tactic: t.tactic, alertCount: Number(t.n) })),
      alertsMatched: Number(matched?.n ?? 0),
    };
  }

  #columns(): Array<string | Knex.Raw> {
    const db = this.#reader;
    return [
      'a.alert_id',
      'a.alert_type',
      nsColumn(db, 'a.timestamp_ns'),
      nsColumn(db, 'a.last_seen_ns'),
      'a.severity_id',
      'a.rule_name',
      'a.source_id',
      'a.entity_id',
      'a.entity_type',
      'a.entity_value',
      'a.dedup_key',
      'a.dedup_count',
      'a.risk_score',
      'a.feedback',
      'a.data',
    ];
  }

  /** Source type (kept in the JSON) or source id, as the event search matches a source. */
  #whereSource(builder: Knex.QueryBuilder, source: string | undefined): void {
    if (!source) return;
    builder.where((w) =>
      w.where('a.source_id', source).orWhereRaw('? = ?', [jsonText(this.#reader, 'a.data', ['sourceType']), source]),
    );
  }

  #filtered(query: AlertQuery): Knex.QueryBuilder {
    const db = this.#reader;
    const builder = db('alerts as a');
    const since = query.sinceNs?.toString();
    const until = query.untilNs?.toString();
    const inWindow = (b: Knex.QueryBuilder, column: string) => {
      if (since !== undefined) b.where(column, '>=', since);
      if (until !== undefined) b.where(column, '<=', until);
      return b;
    };
    inWindow(builder, 'a.timestamp_ns');
    if (query.type) builder.where('a.alert_type', query.type);
    if (query.severityMin !== undefined) builder.where('a.severity_id', '>=', query.severityMin);
    if (query.entity) {
      const entity = query.entity.trim().toLowerCase();
      if (UUID.test(entity)) builder.where('a.entity_id', entity);
      else {
        const ids = db('entities').select('entity_id').whereRaw('lower(value) = ?', [entity]);
        builder.where((w) => w.whereRaw('lower(a.entity_value) = ?', [entity]).orWhereIn('a.entity_id', ids));
      }
    }
    if (query.tactic) {
      builder.whereIn('a.dedup_key', inWindow(db('alert_tactics').select('dedup_key').where('tactic', query.tactic), 'timestamp_ns'));
    }
    if (query.technique) {
      const prefix = `${query.technique.toUpperCase().replace(/[\\%_]/g, '\\$&')}%`;
      const techniques = db('alert_techniques').select('dedup_key').whereRaw(`technique LIKE ? ESCAPE '\\'`, [prefix]);
      builder.whereIn('a.dedup_key', inWindow(techniques, 'timestamp_ns'));
    }
    return builder;
  }
}

/** Tags in canonical form (detectors should already emit them so; the store makes sure). */
function canonical(alert: Alert): Alert {
  return {
    ...alert,
    lastSeenNs: maxNs(alert.lastSeenNs, alert.timestampNs),
    tactics: [...new Set(alert.tactics.map((t) => normalizeTactic(t).name))],
    techniques: [...new Set(alert.techniques.map((t) => normalizeTechnique(t).id))],
    contributingEventIds: alert.contributingEventIds.slice(-MAX_CONTRIBUTING),
  };
}

async function writeAttackRows(trx: Knex.Transaction, alert: Alert): Promise<void> {
  const ts = alert.timestampNs.toString();
  const key = alert.dedupKey;
  if (alert.tactics.length > 0) {
    await trx('alert_tactics').insert(alert.tactics.map((tactic) => ({ dedup_key: key, tactic, timestamp_ns: ts })));
  }
  if (alert.techniques.length > 0) {
    await trx('alert_techniques').insert(alert.techniques.map((technique) => ({ dedup_key: key, technique, timestamp_ns: ts })));
  }
}

function alertToRow(alert: Alert, dedupCount: number): AlertRow {
  const data: AlertData = {
    description: alert.description,
    sourceType: alert.sourceType,
    tactics: alert.tactics,
    techniques: alert.techniques,
    contributingEventIds: alert.contributingEventIds,
    details: alert.details,
  };
  return {
    alert_id: alert.alertId,
    alert_type: alert.alertType,
    timestamp_ns: alert.timestampNs.toString(),
    last_seen_ns: alert.lastSeenNs.toString(),
    severity_id: alert.severity,
    rule_name: alert.ruleName,
    source_id: alert.sourceId,
    entity_id: alert.entityId,
    entity_type: alert.entityType,
    entity_value: alert.entityValue,
    dedup_key: alert.dedupKey,
    dedup_count: dedupCount,
    risk_score: alert.riskScore,
    feedback: alert.feedback,
    // Detector details may carry bigint (ns times): keep them exact as decimal strings.
    data: JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)),
  };
}

function rowToAlert(row: AlertRow): Alert {
  const data = JSON.parse(row.data) as AlertData;
  return {
    alertId: row.alert_id,
    alertType: row.alert_type as AlertType,
    timestampNs: BigInt(row.timestamp_ns),
    lastSeenNs: BigInt(row.last_seen_ns),
    severity: row.severity_id as Severity,
    ruleName: row.rule_name,
    description: data.description,
    sourceType: data.sourceType,
    sourceId: row.source_id,
    entityId: row.entity_id,
    entityType: row.entity_type as EntityType | '',
    entityValue: row.entity_value,
    dedupKey: row.dedup_key,
    dedupCount: row.dedup_count,
    riskScore: row.risk_score,
    feedback: row.feedback as Verdict | null,
    tactics: data.tactics,
    techniques: data.techniques,
    contributingEventIds: data.contributingEventIds,
    details: data.details,
  };
}

function maxNs(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
