/**
 * The storage tests run against both backends: SQLite (a file in a temp dir) always, and
 * PostgreSQL (a private server for the test file, a fresh database per test) where its binaries
 * are installed; elsewhere they skip PostgreSQL with a message.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Knex } from 'knex';
import { afterAll } from 'vitest';
import { openDatabase, openPostgres } from '../../main/storage/database.js';
import { canRunPostgres, POSTGRES_MISSING, startPostgres, type TestPostgres } from './postgres.js';

export interface StoreBackend {
  name: 'sqlite' | 'postgresql';
  /** A new, migrated, empty store. */
  open(): Promise<Knex>;
  /** Destroy a store `open` returned and whatever it left on disk. */
  close(db: Knex): Promise<void>;
}

export const sqliteBackend: StoreBackend = {
  name: 'sqlite',
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-store-'));
    return openDatabase(path.join(dir, 'seerflow.db'));
  },
  async close(db) {
    const file = (db.client.config.connection as { filename: string }).filename;
    await db.destroy();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  },
};

/** Settings of a test store on the PostgreSQL server at `url`. */
export function postgresStorage(url: string, instanceId = 'test') {
  return {
    backend: 'postgresql' as const,
    data_dir: '',
    sqlite_path: '',
    postgresql_url: url,
    postgresql_pool_min_size: 0,
    postgresql_pool_max_size: 4,
    postgresql_command_timeout_s: 30,
    instance_id: instanceId,
    retention_days: 0,
    max_db_bytes: 0,
    writer_batch_rows: 500,
    writer_flush_ms: 20,
  };
}

function postgres(): StoreBackend {
  let server: Promise<TestPostgres> | undefined;
  // Migrated once, then copied for each test (CREATE DATABASE … TEMPLATE is much faster).
  let template: Promise<string> | undefined;
  afterAll(async () => {
    if (server) await (await server).stop();
  });
  const migratedTemplate = async (pg: TestPostgres) => {
    const url = await pg.createDatabase();
    await (await openPostgres(postgresStorage(url), 0n)).db.destroy();
    return new URL(url).pathname.slice(1);
  };
  return {
    name: 'postgresql',
    async open() {
      server ??= startPostgres();
      const pg = await server;
      template ??= migratedTemplate(pg);
      const url = await pg.createDatabase(await template);
      return (await openPostgres(postgresStorage(url), 0n)).db;
    },
    close: (db) => db.destroy(),
  };
}

export function storeBackends(): StoreBackend[] {
  if (!canRunPostgres) console.warn(POSTGRES_MISSING);
  return canRunPostgres ? [sqliteBackend, postgres()] : [sqliteBackend];
}
