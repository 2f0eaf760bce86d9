/**
 * Pages of query results and their totals. Totals are counted up to `MAX_COUNTED` rows: an exact
 * count of a million matches would cost a scan on every page view, and nobody pages that far
 * (bench/api: a 10,000 cap still cost 30–150 ms per page on broad filters of 1M events).
 */
import type { Knex } from 'knex';

export interface Page<T> {
  items: T[];
  /** Exact up to `MAX_COUNTED`; beyond it `totalCapped` is set and `total` is that cap. */
  total: number;
  totalCapped?: boolean;
}

export const MAX_COUNTED = 1000;

/** Rows `filtered` selects, counted up to `MAX_COUNTED` (+1 to know the cap was passed). */
export async function countCapped(db: Knex, filtered: Knex.QueryBuilder): Promise<{ total: number; totalCapped?: boolean }> {
  const [row] = await db
    .from(filtered.clearSelect().select(db.raw('1')).limit(MAX_COUNTED + 1).as('matches'))
    .count<{ n: number }[]>({ n: '*' });
  const counted = Number(row?.n ?? 0);
  return counted > MAX_COUNTED ? { total: MAX_COUNTED, totalCapped: true } : { total: counted };
}
