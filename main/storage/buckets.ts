/**
 * Time buckets in SQL: a grid of equal buckets, the bucket index of a ns column in it, and
 * per-bucket event counts (the anomaly timeline's event series). Alert series live in the
 * alerts repository and use the same index expression.
 */
import type { Knex } from 'knex';

/** `count` buckets of `bucketNs` each, the first starting at `startNs`; the end is exclusive. */
export interface BucketGrid {
  startNs: bigint;
  bucketNs: bigint;
  count: number;
}

export function gridEndNs(grid: BucketGrid): bigint {
  return grid.startNs + grid.bucketNs * BigInt(grid.count);
}

/** The 0-based bucket of `column` (a ns column) within `grid`, as an SQL integer expression. */
export function bucketIndex(db: Knex, column: string, grid: BucketGrid): Knex.Raw {
  return db.raw('(?? - CAST(? AS BIGINT)) / CAST(? AS BIGINT)', [column, grid.startNs.toString(), grid.bucketNs.toString()]);
}

/** Restrict `builder` to rows whose `column` falls inside `grid`. */
export function withinGrid(builder: Knex.QueryBuilder, column: string, grid: BucketGrid): Knex.QueryBuilder {
  return builder.where(column, '>=', grid.startNs.toString()).where(column, '<', gridEndNs(grid).toString());
}

/** Dense per-bucket counts from grouped `(bucket, n)` rows. */
export function denseCounts(grid: BucketGrid, rows: Array<{ bucket: number; n: number }>): number[] {
  const counts = new Array<number>(grid.count).fill(0);
  for (const row of rows) if (row.bucket >= 0 && row.bucket < grid.count) counts[row.bucket] = Number(row.n);
  return counts;
}

