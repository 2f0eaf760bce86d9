/**
 * The few SQL expressions that differ between SQLite and PostgreSQL, in one place; everything
 * else in the repositories is portable knex.
 */
import type { Knex } from 'knex';

export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** The text at `path` inside a JSON text column (`json_extract` / `#>>`). */
export function jsonText(db: Knex, column: string, path: readonly string[]): Knex.Raw {
  return isPostgres(db)
    ? db.raw(`(??::jsonb #>> ?)`, [column, `{${path.join(',')}}`])
    : db.raw(`json_extract(??, ?)`, [column, `$.${path.join('.')}`]);
}

/** The larger of two SQL expressions, as text: SQLite's scalar MAX, PostgreSQL's GREATEST. */
export function largerOf(db: Knex, a: string, b: string): string {
  return `${isPostgres(db) ? 'GREATEST' : 'MAX'}(${a}, ${b})`;
}

/** The smaller of two SQL expressions, as text: SQLite's scalar MIN, PostgreSQL's LEAST. */
export function smallerOf(db: Knex, a: string, b: string): string {
  return `${isPostgres(db) ? 'LEAST' : 'MIN'}(${a}, ${b})`;
}

/** `largerOf` as a knex expression; `bindings` fill its `?`/`??` placeholders. */
export function greatest(db: Knex, a: string, b: string, bindings: readonly string[] = []): Knex.Raw {
  return db.raw(largerOf(db, a, b), [...bindings]);
}

/** The part of `column` before its first `.` (a sub-technique's parent), or all of it. */
export function beforeFirstDot(db: Knex, column: string): Knex.Raw {
  return isPostgres(db)
    ? db.raw(`split_part(??, '.', 1)`, [column])
    : db.raw(`CASE WHEN instr(??, '.') > 0 THEN substr(??, 1, instr(??, '.') - 1) ELSE ?? END`, [column, column, column, column]);
}
