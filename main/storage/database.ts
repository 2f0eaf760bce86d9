/**
 * Opens the store: knex over sqlite3 with one connection (SQLite has one writer; WAL lets the
 * file be read by other processes meanwhile), the PRAGMAs of the original (reference §10.1),
 * and the migrations applied. Migrations are imported, not read from a directory, so the
 * bundled build carries them.
 */
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import * as initial from './migrations/001_initial.js';

const MIGRATIONS = [initial];

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
  'PRAGMA mmap_size = 268435456',
  'PRAGMA busy_timeout = 5000',
];

interface SqliteConnection {
  exec(sql: string, callback: (error: Error | null) => void): void;
}

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
        const pragmas = ['PRAGMA query_only = ON', 'PRAGMA busy_timeout = 5000', 'PRAGMA cache_size = -32000', 'PRAGMA mmap_size = 268435456'];
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
