/**
 * The process killed with SIGKILL during ingestion, then restarted on the same data folder: the
 * store opens cleanly, every event acknowledged over HTTP is there, and a tailed file resumes
 * where its last committed checkpoint left it: no line lost, none stored twice.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/storage/database.js';
import { eventually, tempDir } from '../support/appliance.js';
import { collect, spawnCli, watchLogs } from '../support/cli.js';

function config(logFile: string): string {
  return `
dashboard_port: 0
# The test polls /stats faster than the default list rate limit allows.
api_rate_limit_enabled: false
receivers:
  bind_addr: 127.0.0.1
  syslog_enabled: false
  otlp_grpc_enabled: false
  otlp_http_port: 0
  file_paths: [${JSON.stringify(logFile)}]
  file_poll_interval_ms: 20
  allowed_log_roots: [${JSON.stringify(path.dirname(logFile))}]
`;
}

async function start(dir: string) {
  const child = spawnCli(['start', '--config', 'seerflow.yaml'], { SEERFLOW_DATA_DIR: dir }, dir);
  const logs = watchLogs(child);
  const exited = collect(child);
  const otlp = await logs.waitFor('OTLP receiver listening');
  const started = await logs.waitFor('seerflow started');
  return { child, exited, port: otlp.http as number, api: started.url as string };
}

async function fileEventsStored(api: string): Promise<number> {
  const stats = (await (await fetch(`${api}/api/v1/stats`)).json()) as { receivers: Record<string, { stored: number }> };
  return stats.receivers.file?.stored ?? 0;
}

function post(port: number, i: number): Promise<number> {
  const body = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ body: { stringValue: `acked ${i}` } }] }] }] });
  return fetch(`http://127.0.0.1:${port}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body }).then(
    (response) => response.status,
    () => 0,
  );
}

async function storedMessages(dbFile: string): Promise<{ messages: string[]; integrity: string }> {
  const db = await openDatabase(dbFile);
  try {
    const [check] = (await db.raw('PRAGMA integrity_check')) as Array<{ integrity_check: string }>;
    const rows = (await db('events').select('message')) as Array<{ message: string }>;
    return { messages: rows.map((row) => row.message), integrity: check!.integrity_check };
  } finally {
    await db.destroy();
  }
}

describe('SIGKILL during ingestion', () => {
  it('keeps every acknowledged event and resumes the file tail exactly once', async () => {
    const dir = tempDir();
    const logDir = path.join(dir, 'logs');
    fs.mkdirSync(logDir);
    const logFile = path.join(logDir, 'app.log');
    fs.writeFileSync(path.join(dir, 'seerflow.yaml'), config(logFile));
    const fileLine = (i: number) => `file line ${i}\n`;
    // Empty at start: a file that exists at first start is tailed from its end, like `tail -f`.
    fs.writeFileSync(logFile, '');

    const first = await start(dir);
    const acked: number[] = [];
    let sent = 0;
    let appended = 0;
    // Keep both inputs busy until the kill: HTTP posts (one at a time, like a client that waits
    // for its answer) and appends to the tailed file.
    let killed = false;
    const sender = (async () => {
      while (!killed) {
        const i = sent++;
        if ((await post(first.port, i)) === 200) acked.push(i);
      }
    })();
    const appender = setInterval(() => {
      if (appended >= 20_000) return;
      fs.appendFileSync(logFile, Array.from({ length: 50 }, (_, k) => fileLine(appended + k)).join(''));
      appended += 50;
    }, 5);
    await eventually(async () => acked.length >= 200, 30_000).finally(() => first.child.kill('SIGKILL'));
    killed = true;
    clearInterval(appender);
    await sender;
    expect((await first.exited).code).toBeNull();

    // Restart: the tail resumes from its committed checkpoint and reads the rest of the file.
    const second = await start(dir);
    const dbFile = path.join(dir, 'seerflow.db');
    // More lines after the restart: once they are stored and the count settles, the tail has
    // read everything before them too (it reads in order).
    fs.appendFileSync(logFile, Array.from({ length: 100 }, (_, k) => fileLine(appended + k)).join(''));
    appended += 100;
    let before = -1;
    try {
      await eventually(async () => {
        const now = await fileEventsStored(second.api);
        const settled = now >= 100 && now === before;
        before = now;
        await new Promise((resolve) => setTimeout(resolve, 200));
        return settled;
      }, 30_000);
    } finally {
      second.child.kill('SIGTERM');
    }
    expect((await second.exited).code).toBe(0);

    const { messages, integrity } = await storedMessages(dbFile);
    expect(integrity).toBe('ok');
    const stored = new Set(messages);
    const lostAcks = acked.filter((i) => !stored.has(`acked ${i}`));
    expect(lostAcks).toEqual([]);
    const fileMessages = messages.filter((m) => m.startsWith('file line '));
    expect(fileMessages.length).toBe(appended);
    expect(new Set(fileMessages).size).toBe(appended);
  }, 90_000);
});
