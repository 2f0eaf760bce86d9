/**
 * Per-rule Sigma state that outlives a restart (`sigma_rule_state`): enabled or not, lifetime
 * match count, last time it fired. Counts arrive as deltas, batched by the detector plugin.
 * Appliances sharing a PostgreSQL store follow each other's toggles through `togglesSince`.
 */
import type { Knex } from 'knex';
import { greatest } from './dialect.js';
import { nsColumn, nsParam } from './ns.js';

export interface RuleState {
  ruleId: string;
  enabled: boolean;
  matchCount: number;
  lastFiredNs: bigint | null;
}

/** A rule's enabled state as stored, for appliances that share the store to follow. */
export interface RuleToggle {
  ruleId: string;
  enabled: boolean;
}

export interface RuleDelta {
  matches: number;
  lastFiredNs: bigint;
}

export class SigmaRulesRepository {
  readonly #db: Knex;
  readonly #reader: Knex;

  constructor(db: Knex, reader: Knex = db) {
    this.#db = db;
    this.#reader = reader;
  }

  async loadAll(): Promise<Map<string, RuleState>> {
    const rows = (await this.#reader('sigma_rule_state').select(
      'rule_id',
      'enabled',
      'match_count_lifetime',
      nsColumn(this.#reader, 'last_fired_ns'),
    )) as Array<{ rule_id: string; enabled: number | boolean; match_count_lifetime: number; last_fired_ns: string | null }>;
    return new Map(
      rows.map((row) => [
        row.rule_id,
        {
          ruleId: row.rule_id,
          enabled: Boolean(row.enabled),
          matchCount: Number(row.match_count_lifetime),
          lastFiredNs: row.last_fired_ns === null ? null : BigInt(row.last_fired_ns),
        },
      ]),
    );
  }

  async setEnabled(ruleId: string, enabled: boolean, nowNs: bigint): Promise<void> {
    await this.#db('sigma_rule_state')
      .insert({ rule_id: ruleId, enabled, updated_at_ns: nowNs.toString() })
      .onConflict('rule_id')
      .merge(['enabled', 'updated_at_ns']);
  }

  /** Rows written after `sinceNs` (by `updated_at_ns`, which count flushes also bump). */
  async togglesSince(sinceNs: bigint): Promise<RuleToggle[]> {
    const rows = (await this.#reader('sigma_rule_state')
      .select('rule_id', 'enabled')
      .where('updated_at_ns', '>', nsParam(sinceNs))) as Array<{ rule_id: string; enabled: number | boolean }>;
    return rows.map((row) => ({ ruleId: row.rule_id, enabled: Boolean(row.enabled) }));
  }

  async addMatches(deltas: ReadonlyMap<string, RuleDelta>, nowNs: bigint): Promise<void> {
    if (deltas.size === 0) return;
    const now = nowNs.toString();
    await this.#db.transaction(async (trx) => {
      for (const [ruleId, delta] of deltas) {
        await trx('sigma_rule_state')
          .insert({ rule_id: ruleId, match_count_lifetime: delta.matches, last_fired_ns: delta.lastFiredNs.toString(), updated_at_ns: now })
          .onConflict('rule_id')
          .merge({
            match_count_lifetime: trx.raw('sigma_rule_state.match_count_lifetime + excluded.match_count_lifetime'),
            last_fired_ns: greatest(trx, 'COALESCE(sigma_rule_state.last_fired_ns, 0)', 'excluded.last_fired_ns'),
            updated_at_ns: now,
          });
      }
    });
  }
}
