/**
 * Exact nanosecond columns. Values go in as decimal strings (SQLite's INTEGER affinity and
 * PostgreSQL's bigint both store them exactly) and come out through `CAST(col AS TEXT)`, since
 * node-sqlite3 returns INTEGER columns as doubles (exact only up to 2^53 ≈ 104 days of ns).
 */
import type { Knex } from 'knex';

/** A select list entry that reads `column` exactly, as text, under the same name. */
export function nsColumn(db: Knex, column: string, alias = column.split('.').pop()!): Knex.Raw {
  return db.raw('CAST(?? AS TEXT) AS ??', [column, alias]);
}

export function nsParam(ns: bigint): string {
  return ns.toString();
}
