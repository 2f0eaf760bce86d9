/**
 * Opens the store: knex over sqlite3 with one connection (SQLite has one writer; WAL lets the
 * file be read by other processes meanwhile), the PRAGMAs of the original (reference §10.1),
 * and the migrations applied; or knex over PostgreSQL (`storage.backend: postgresql`), shared by
 * several appliances. Migrations are imported, not read from a directory, so the bundled build
 * carries them.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { SeerflowConfig } from '../config/types.js';
import * as initial from './migrations/001_initial.js';
import * as instances from './migrations/002_instances.js';

const MIGRATIONS = [initial, instances];

/** Template ids per appliance in a shared store (the `templates.template_id` column is 32-bit). */
export const TEMPLATE_ID_BLOCK = 2 ** 24;
/** Appliances one shared store can hold (2^31 / TEMPLATE_ID_BLOCK). */
const MAX_INSTANCES = 128;

const PRAGMAS = [
  'PRAGMA page_size = 8192',
  'PRAGMA journal_mode = WAL',
  'PRAGMA synchronous = NORMAL',
  // Checkpoint every 16k pages (128 MiB) instead of 1k: frequent checkpoints rewrote the same hot
  // index pages over and over and cost a fifth of the insert throughput (measured).
  'PRAGMA wal_autocheckpoint = 16384',
  'PRAGMA foreign_keys = ON',
  'PRAGMA cache_size = -64000',
  'PRAGMA temp_store = MEMORY',
  // No memory map (the original: 256 MiB per connection): mapped pages of a growing file counted
  // up to 256 MB more RSS per connection, and reads through the page cache were as fast (measured).
  'PRAGMA mmap_size = 0',
  'PRAGMA busy_timeout = 5000',
];

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

/** Key of the PostgreSQL advisory lock that serialises migrations across appliances. */
const MIGRATION_LOCK_KEY = 0x5ee2f10;

// Like node-sqlite3, hand 64-bit integers (counts, sums) over as numbers; nanosecond columns are
// read as text (`ns.ts`) on both backends, so they stay exact.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);
pg.types.setTypeParser(pg.types.builtins.NUMERIC, Number);

const migrationSource: Knex.MigrationSource<(typeof MIGRATIONS)[number]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration,
};

/**
 * A read-only pool on the same file, for API queries: in WAL mode readers don't block the writer
 * nor wait for its transactions, so pages stay fast while a large flush commits. Open after
 * `openDatabase` (which migrates). An in-memory store has a single connection: it is returned.
 */
export function openReader(filename: string, writer: Knex, connections = 2): Knex {
  if (filename === ':memory:') return writer;
  return knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 0,
      max: connections,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
        const pragmas = ['PRAGMA query_only = ON', 'PRAGMA busy_timeout = 5000', 'PRAGMA cache_size = -32000', 'PRAGMA mmap_size = 0'];
        connection.exec(pragmas.join(';'), (error) => done(error, connection));
      },
    },
    log: { warn: () => {}, deprecate: () => {} },
  });
}

/** Open (creating if needed) the SQLite store at `filename` (`:memory:` allowed) and migrate it. */
export async function openDatabase(filename: string): Promise<Knex> {
  if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
  const db = knexFactory({
    client: 'sqlite3',
    connection: { filename },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      // A :memory: database lives and dies with its connection: never let the pool recycle it.
      idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
        connection.exec(PRAGMAS.join(';'), (error) => done(error, connection));
      },
    },
    log: { warn: () => {}, deprecate: () => {} },
  });
  try {
    await db.migrate.latest({ migrationSource });
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}

export interface Store {
  /** Writes (and reads on PostgreSQL, whose readers never block the writer). */
  db: Knex;
  /** The read pool for API queries. */
  reader: Knex;
  /** This appliance's place among those sharing the store (0 when it is alone). */
  ordinal: number;
}

/** Open the store the configuration names, migrated. */
export async function openStore(storage: SeerflowConfig['storage'], nowNs: bigint): Promise<Store> {
  if (storage.backend === 'postgresql') return openPostgres(storage, nowNs);
  const db = await openDatabase(storage.sqlite_path);
  return { db, reader: openReader(storage.sqlite_path, db), ordinal: 0 };
}

/**
 * Open a PostgreSQL store, migrate it and register this appliance. Appliances that start
 * together take turns: both steps run under a session advisory lock, so the second finds the
 * migrations applied and takes the next ordinal.
 */
export async function openPostgres(storage: SeerflowConfig['storage'], nowNs: bigint): Promise<Store> {
  const url = storage.postgresql_url!;
  const timeoutMs = Math.round(storage.postgresql_command_timeout_s * 1000);
  const db = knexFactory({
    client: 'pg',
    connection: { connectionString: url, statement_timeout: timeoutMs, application_name: `seerflow:${storage.instance_id}` },
    pool: { min: storage.postgresql_pool_min_size, max: storage.postgresql_pool_max_size },
    acquireConnectionTimeout: timeoutMs,
    log: { warn: () => {}, deprecate: () => {} },
  });
  const lock = new pg.Client({ connectionString: url });
  try {
    await lock.connect();
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await db.migrate.latest({ migrationSource });
    const ordinal = await register(db, storage.instance_id, nowNs);
    return { db, reader: db, ordinal };
  } catch (error) {
    await db.destroy();
    throw error;
  } finally {
    await lock.end().catch(() => {});
  }
}

/** This appliance's ordinal: the one it registered before, else the next free one. */
async function register(db: Knex, instanceId: string, nowNs: bigint): Promise<number> {
  const known = (await db('instances').select('ordinal').where('instance_id', instanceId).first()) as { ordinal: number } | undefined;
  if (known) return known.ordinal;
  const [row] = (await db('instances').max({ top: 'ordinal' })) as Array<{ top: number | null }>;
  const ordinal = (row?.top ?? -1) + 1;
  if (ordinal >= MAX_INSTANCES) throw new Error(`the store already holds ${MAX_INSTANCES} appliances (table instances); reuse an instance_id`);
  await db('instances').insert({ instance_id: instanceId, ordinal, registered_at_ns: nowNs.toString() });
  return ordinal;
}
