/**
 * Retention by age and by size (the original kept everything forever). Deletes run in chunks so
 * the single connection is never held for long, oldest events first; entity links go with them.
 * Alerts and their junction rows age out with the same `retention_days`.
 */
import type { Knex } from 'knex';

const CHUNK = 5000;

export interface RetentionPolicy {
  /** 0 keeps events forever. */
  retentionDays: number;
  /** 0 = no size limit. */
  maxDbBytes: number;
}

export interface RetentionResult {
  deletedEvents: number;
  deletedAlerts: number;
}

async function deleteOldestEvents(db: Knex, where: (q: Knex.QueryBuilder) => void, maxRows: number): Promise<number> {
  return db.transaction(async (trx) => {
    const victims = trx('events').select('event_id').orderBy('timestamp_ns').limit(maxRows);
    where(victims);
    const ids = (await victims).map((row: { event_id: string }) => row.event_id);
    if (ids.length === 0) return 0;
    await trx('entity_events').whereIn('event_id', ids).delete();
    await trx('events').whereIn('event_id', ids).delete();
    return ids.length;
  });
}

export async function databaseBytes(db: Knex): Promise<number> {
  const [pages] = (await db.raw('PRAGMA page_count')) as Array<{ page_count: number }>;
  const [size] = (await db.raw('PRAGMA page_size')) as Array<{ page_size: number }>;
  const [free] = (await db.raw('PRAGMA freelist_count')) as Array<{ freelist_count: number }>;
  return ((pages?.page_count ?? 0) - (free?.freelist_count ?? 0)) * (size?.page_size ?? 0);
}

export async function applyRetention(db: Knex, policy: RetentionPolicy, nowNs: bigint): Promise<RetentionResult> {
  const result: RetentionResult = { deletedEvents: 0, deletedAlerts: 0 };
  if (policy.retentionDays > 0) {
    const cutoff = (nowNs - BigInt(Math.round(policy.retentionDays * 86_400)) * 1_000_000_000n).toString();
    for (;;) {
      const n = await deleteOldestEvents(db, (q) => q.where('timestamp_ns', '<', cutoff), CHUNK);
      result.deletedEvents += n;
      if (n < CHUNK) break;
    }
    result.deletedAlerts = await db('alerts').where('last_seen_ns', '<', cutoff).delete();
  }
  if (policy.maxDbBytes > 0) {
    // Freed pages are reused by later inserts, so live bytes (pages minus free list) are what count.
    while ((await databaseBytes(db)) > policy.maxDbBytes) {
      const n = await deleteOldestEvents(db, () => {}, CHUNK);
      result.deletedEvents += n;
      if (n === 0) break;
    }
  }
  return result;
}
