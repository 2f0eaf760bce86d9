/**
 * A private PostgreSQL server for tests: a throw-away cluster (initdb) in a temp dir on a free
 * loopback port, without durability (fsync off), gone after `stop()`. Debian's `postgresql`
 * package provides the binaries; `.ci/run` installs it. PostgreSQL refuses to run as root, so as
 * root the cluster runs as the package's `postgres` user. Without the binaries the tests that
 * need it skip locally (with a message) and fail in CI.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './net.js';

const START_TIMEOUT_MS = 30_000;

/** The folder holding initdb and postgres: Debian's newest /usr/lib/postgresql/N/bin, else PATH. */
export function findPostgresBin(): string | undefined {
  const debian = '/usr/lib/postgresql';
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const dirs = [...versions.map((v) => path.join(debian, v, 'bin')), ...(process.env.PATH ?? '').split(path.delimiter)];
  return dirs.find((dir) => fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'postgres')));
}

/** Run PostgreSQL tests when the binaries exist; in CI they must run, so a missing binary fails there. */
export const canRunPostgres = findPostgresBin() !== undefined || Boolean(process.env.CI);
export const POSTGRES_MISSING = 'PostgreSQL binaries not found (apt-get install -y postgresql): skipping the PostgreSQL backend tests.';

export interface TestPostgres {
  /** A fresh database on this server (a copy of `template` when given); its URL. */
  createDatabase(template?: string): Promise<string>;
  /** Shut the server down (clients are disconnected), keeping its data, then start it again. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** Who runs the server: root cannot, so the `postgres` user does (its uid/gid), else ourselves. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  return { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL not found: install it (apt-get install -y postgresql)');
  const user = runAs();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-pg-'));
  if (user) fs.chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  execFileSync(path.join(bin, 'initdb'), ['-D', data, '-U', 'seerflow', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], {
    stdio: 'pipe',
    ...user,
  });
  const port = await freePort();
  const options = ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'];
  const admin = `postgres://seerflow@127.0.0.1:${port}/postgres`;

  /** Start the server on the data dir and port; resolves once it accepts connections. */
  const run = async () => {
    const child = spawn(path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1', ...options], {
      stdio: ['ignore', 'ignore', 'pipe'],
      ...user,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const halt = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT'); // fast shutdown: disconnects clients
        await exited;
      }
    };
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      const client = new pg.Client({ connectionString: admin });
      try {
        await client.connect();
        await client.end();
        return halt;
      } catch {
        await client.end().catch(() => {});
        if (child.exitCode !== null || Date.now() > deadline) {
          await halt();
          throw new Error(`postgres did not start on port ${port}: ${stderr.trim() || 'no output'}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };

  let halt: (() => Promise<void>) | undefined;
  try {
    halt = await run();
  } catch (error) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await halt?.();
      fs.rmSync(dir, { recursive: true, force: true });
    })());

  let databases = 0;
  return {
    async createDatabase(template?: string) {
      const name = `seerflow_test_${++databases}`;
      const client = new pg.Client({ connectionString: admin });
      await client.connect();
      try {
        await client.query(template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgres://seerflow@127.0.0.1:${port}/${name}`;
    },
    async pause() {
      await halt?.();
      halt = undefined;
    },
    async resume() {
      halt = await run();
    },
    stop,
  };
}
