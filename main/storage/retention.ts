/**
 * Retention by age and by size (the original kept everything forever). Both come down to one
 * operation, "delete what is older than T": by age T is now − retention_days; by size T is the
 * time of the oldest few thousand events, repeated until the store fits. Deletes run in chunks
 * so the single connection is never held for long. Entity links are deleted through their
 * primary key (entity, time) for the entities that existed before T, so no extra index is needed.
 */
import type { Knex } from 'knex';
import { isPostgres } from './dialect.js';

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

/**
 * Live bytes: on SQLite the pages in use (freed pages are reused by later inserts, so they don't
 * count); on PostgreSQL the database's size on disk.
 */
export async function databaseBytes(db: Knex): Promise<number> {
  if (isPostgres(db)) {
    const { rows } = (await db.raw('SELECT pg_database_size(current_database()) AS bytes')) as { rows: Array<{ bytes: number }> };
    return rows[0]?.bytes ?? 0;
  }
  const [pages] = (await db.raw('PRAGMA page_count')) as Array<{ page_count: number }>;
  const [size] = (await db.raw('PRAGMA page_size')) as Array<{ page_size: number }>;
  const [free] = (await db.raw('PRAGMA freelist_count')) as Array<{ freelist_count: number }>;
  return ((pages?.page_count ?? 0) - (free?.freelist_count ?? 0)) * (size?.page_size ?? 0);
}

/** Delete events, their entity links and alerts older than `cutoff` (ns, decimal string). */
async function deleteOlderThan(db: Knex, cutoff: string): Promise<RetentionResult> {
  let deletedEvents = 0;
  for (;;) {
    const n = await db.transaction(async (trx): Promise<number> => {
      const seqs = trx('events').select('seq').where('timestamp_ns', '<', cutoff).orderBy('timestamp_ns').limit(CHUNK);
      return await trx('events').whereIn('seq', seqs).delete();
    });
    deletedEvents += n;
    if (n < CHUNK) break;
  }
  await db('entity_events')
    .whereIn('entity_id', db('entities').select('entity_id').where('first_seen_ns', '<', cutoff))
    .where('timestamp_ns', '<', cutoff)
    .delete();
  const deletedAlerts = await db('alerts').where('last_seen_ns', '<', cutoff).delete();
  return { deletedEvents, deletedAlerts };
}

export async function applyRetention(db: Knex, policy: RetentionPolicy, nowNs: bigint): Promise<RetentionResult> {
  const total: RetentionResult = { deletedEvents: 0, deletedAlerts: 0 };
  const add = (r: RetentionResult) => {
    total.deletedEvents += r.deletedEvents;
    total.deletedAlerts += r.deletedAlerts;
  };
  if (policy.retentionDays > 0) {
    add(await deleteOlderThan(db, (nowNs - BigInt(Math.round(policy.retentionDays * 86_400)) * 1_000_000_000n).toString()));
  }
  if (policy.maxDbBytes > 0) {
    while ((await databaseBytes(db)) > policy.maxDbBytes) {
      const [edge] = await db('events').select(db.raw('CAST(timestamp_ns AS TEXT) AS ts')).orderBy('timestamp_ns').offset(CHUNK - 1).limit(1);
      const [last] = edge ? [] : await db('events').select(db.raw('CAST(MAX(timestamp_ns) AS TEXT) AS ts'));
      const cutoffTs = (edge as { ts?: string } | undefined)?.ts ?? (last as { ts?: string } | undefined)?.ts;
      if (!cutoffTs) break;
      // Strictly older than the edge, plus the edge itself: everything up to and including it.
      const before = total.deletedEvents;
      add(await deleteOlderThan(db, (BigInt(cutoffTs) + 1n).toString()));
      if (total.deletedEvents === before) break;
    }
  }
  return total;
}
