/**
 * True-positive verdicts counted per pattern (reference §12, rule suggestions; §13 "TPs feed rule
 * suggestions"). A pattern is `alert_type:rule_name:entity_type`, each part lower-cased with
 * characters outside `[a-z0-9_.-]` replaced by `-`, so a key always has exactly two colons. An
 * alert counts once, when its current verdict is TP; its time is its latest TP verdict, and an
 * optional window keeps only verdicts since then.
 */
import type { Knex } from 'knex';
import type { AlertType } from '../core/alert.js';

export interface FeedbackPattern {
  patternKey: string;
  alertType: AlertType;
  ruleName: string;
  entityType: string;
  tpCount: number;
  mostRecentTpNs: bigint;
  /** The pattern's TP alerts, latest verdict first (at most `MAX_ALERT_IDS`). */
  alertIds: string[];
}

export interface PatternQuery {
  minTp: number;
  /** Only verdicts at or after this time; absent = all time. */
  sinceNs?: bigint;
}

/** Alert ids kept per pattern. */
export const MAX_ALERT_IDS = 50;
/** TP alerts read at most (newest verdicts first): patterns are built from these. */
const MAX_TP_ALERTS = 50_000;

export function patternKey(alertType: string, ruleName: string, entityType: string): string {
  const part = (text: string) => text.toLowerCase().replace(/[^a-z0-9_.-]/g, '-');
  return `${part(alertType)}:${part(ruleName)}:${part(entityType)}`;
}

export class FeedbackPatternsRepository {
  readonly #db: Knex;

  constructor(reader: Knex) {
    this.#db = reader;
  }

  /** Patterns with at least `minTp` TP alerts, most TPs first (then the latest verdict). */
  async list(query: PatternQuery): Promise<FeedbackPattern[]> {
    const db = this.#db;
    const builder = db('alerts as a')
      .join('alert_feedback_events as f', function () {
        this.on('f.alert_id', '=', 'a.alert_id').andOn('f.feedback', '=', db.raw('?', ['tp']));
      })
      .where('a.feedback', 'tp')
      .groupBy('a.alert_id', 'a.alert_type', 'a.rule_name', 'a.entity_type')
      .select('a.alert_id', 'a.alert_type', 'a.rule_name', 'a.entity_type', db.raw('CAST(MAX(f.submitted_at_ns) AS TEXT) AS tp_ns'))
      .orderByRaw('MAX(f.submitted_at_ns) DESC')
      .limit(MAX_TP_ALERTS);
    if (query.sinceNs !== undefined) builder.where('f.submitted_at_ns', '>=', query.sinceNs.toString());
    const rows = (await builder) as Array<{ alert_id: string; alert_type: AlertType; rule_name: string; entity_type: string; tp_ns: string }>;
    const patterns = new Map<string, FeedbackPattern>();
    for (const row of rows) {
      const key = patternKey(row.alert_type, row.rule_name, row.entity_type);
      const pattern = patterns.get(key);
      if (!pattern) {
        patterns.set(key, {
          patternKey: key,
          alertType: row.alert_type,
          ruleName: row.rule_name,
          entityType: row.entity_type,
          tpCount: 1,
          mostRecentTpNs: BigInt(row.tp_ns),
          alertIds: [row.alert_id],
        });
        continue;
      }
      pattern.tpCount++;
      if (pattern.alertIds.length < MAX_ALERT_IDS) pattern.alertIds.push(row.alert_id);
    }
    return [...patterns.values()]
      .filter((p) => p.tpCount >= query.minTp)
      .sort((a, b) => b.tpCount - a.tpCount || (a.mostRecentTpNs > b.mostRecentTpNs ? -1 : a.mostRecentTpNs < b.mostRecentTpNs ? 1 : 0));
  }

  /** One pattern, when it is eligible. */
  async get(key: string, query: PatternQuery): Promise<FeedbackPattern | undefined> {
    return (await this.list(query)).find((p) => p.patternKey === key);
  }
}
