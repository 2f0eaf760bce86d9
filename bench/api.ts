/**
 * `npm run bench:api`: API latency with a realistic store — 1M events and 100k alerts seeded into
 * a SQLite file — measured with autocannon against the real server (rate limits off), reporting
 * p50/p95/p99 per route. Targets from the issue: p95 ≤ 50 ms for the lists, ≤ 10 ms for /health.
 * Sizes can be lowered for a quick run: `npm run bench:api -- 100000 10000`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { WebSocket } from 'ws';
import pino from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { validateConfig } from '../main/config/load.js';
import type { Alert } from '../main/core/alert.js';
import { systemClockNs } from '../main/core/clock.js';
import type { RawEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { createServer, stopServer } from '../main/server.js';
import { AlertsRepository } from '../main/storage/alerts-repository.js';
import { openDatabase } from '../main/storage/database.js';
import { BatchedWriter } from '../main/storage/writer.js';
import { syslogLines } from './lines.js';

const [EVENTS = 1_000_000, ALERTS = 100_000] = process.argv.slice(2).map(Number);
const SECONDS = 10;
const CHUNK = 50_000;

async function seed(file: string, nowNs: bigint): Promise<void> {
  const db = await openDatabase(file);
  const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 100, maxPendingEvents: CHUNK * 2 });
  const normalize = createNormalizer({
    maxMessageLength: 32_768,
    maxEntitiesPerType: 32,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules([]),
  });
  const lines = syslogLines(CHUNK);
  const spanNs = 7n * 86_400_000_000_000n;
  for (let done = 0; done < EVENTS; done += CHUNK) {
    for (let i = 0; i < CHUNK && done + i < EVENTS; i++) {
      const n = done + i;
      const raw: RawEvent = { sourceType: 'syslog', sourceId: 'syslog', receivedNs: nowNs - (spanNs * BigInt(EVENTS - n)) / BigInt(EVENTS), line: lines[i]! };
      const event = normalize(raw, raw.receivedNs);
      event.timestampNs = raw.receivedNs;
      writer.write(event);
    }
    await writer.flush();
    process.stderr.write(`\rseeded ${Math.min(done + CHUNK, EVENTS)} events`);
  }
  const alerts = new AlertsRepository(db);
  const types = ['ml', 'sigma', 'correlation', 'ueba', 'ioc'] as const;
  for (let i = 0; i < ALERTS; i++) {
    const ts = nowNs - (spanNs * BigInt(ALERTS - i)) / BigInt(ALERTS);
    const alert: Alert = {
      alertId: uuidv7(),
      alertType: types[i % 5]!,
      timestampNs: ts,
      lastSeenNs: ts,
      severity: (i % 7) as Alert['severity'],
      ruleName: `rule-${i % 50}`,
      description: `synthetic alert ${i}`,
      sourceType: 'syslog',
      sourceId: 'syslog',
      entityId: uuidv7(),
      entityType: 'ip',
      entityValue: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      dedupKey: `bench:${i}`,
      dedupCount: 1,
      riskScore: (i % 100) / 100,
      feedback: null,
      tactics: ['credential_access'],
      techniques: ['T1110.001'],
      contributingEventIds: [],
      details: {},
    };
    await alerts.record(alert, 900_000_000_000n);
    if (i % 10_000 === 0) process.stderr.write(`\rseeded ${i} alerts      `);
  }
  process.stderr.write('\n');
  await db.destroy();
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

async function measure(url: string): Promise<{ p50: number; p95: number; p99: number; rps: number; errors: number }> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url, connections: 10, duration: SECONDS }, (error, done) => (error ? reject(error) : resolve(done)));
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  latencies.sort((a, b) => a - b);
  const errors = result.errors + result.non2xx;
  const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10;
  return { p50: ms(50), p95: ms(95), p99: ms(99), rps: result.requests.average, errors };
}

/**
 * 20 raw stream clients while 10k events/s are fed to the pipeline for 10 s: how many receive
 * every event without a drop (their status frames report drops).
 */
async function streamClientsKeepingUp(): Promise<string> {
  const CLIENTS = 20;
  const RATE = 10_000;
  const url = `${server.info.uri.replace('http', 'ws')}/api/v1/ws/raw`;
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, () => {
      const socket = new WebSocket(url);
      const state = { received: 0, dropped: 0, socket };
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as { type: string; events?: unknown[]; data?: { dropped_events?: number } };
        if (frame.type === 'event') state.received++;
        else if (frame.type === 'batch') state.received += frame.events!.length;
        else if (frame.type === 'status') state.dropped = frame.data!.dropped_events ?? 0;
      });
      return new Promise<typeof state>((resolve) => socket.once('open', () => resolve(state)));
    }),
  );
  const lines = syslogLines(RATE);
  const started = performance.now();
  for (let second = 0; second < SECONDS; second++) {
    for (let slice = 0; slice < 100; slice++) {
      const raws = lines.slice(slice * (RATE / 100), (slice + 1) * (RATE / 100)).map(
        (line): RawEvent => ({ sourceType: 'syslog', sourceId: 'syslog', receivedNs: systemClockNs(), line }),
      );
      while (!server.seerflow.pipeline.hasRoom(raws.length)) await new Promise((resolve) => setTimeout(resolve, 1));
      void server.seerflow.pipeline.submit(raws);
      const due = started + second * 1000 + (slice + 1) * 10;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
    }
  }
  await server.seerflow.pipeline.drain();
  // Let the last ticks and a status frame arrive.
  await new Promise((resolve) => setTimeout(resolve, (config.ws_status_interval_s + 1) * 1000));
  const sent = RATE * SECONDS;
  const keptUp = clients.filter((c) => c.dropped === 0 && c.received === sent).length;
  for (const c of clients) c.socket.close();
  const worst = Math.min(...clients.map((c) => c.received));
  const dropped = clients.reduce((sum, c) => sum + c.dropped, 0);
  return `stream: ${keptUp} of ${CLIENTS} raw clients received all ${sent.toLocaleString('en-US')} events fed at ${RATE.toLocaleString('en-US')}/s without a drop (target: all ${CLIENTS}; fewest received: ${worst.toLocaleString('en-US')}; drops reported: ${dropped.toLocaleString('en-US')})`;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-api-bench-'));
const nowNs = systemClockNs();
await seed(path.join(dir, 'seerflow.db'), nowNs);
const config = validateConfig(
  {
    dashboard_port: 0,
    api_rate_limit_enabled: false,
    storage: { data_dir: dir, retention_days: 0 },
    receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
  },
  {},
);
const server = await createServer({ config, logger: pino({ level: 'silent' }), clock: systemClockNs });
await server.start();
const base = `${server.info.uri}/api/v1`;
const routes: Array<[string, string, number]> = [
  ['/alerts', `${base}/alerts`, 50],
  ['/alerts?type=sigma&severity=4', `${base}/alerts?type=sigma&severity=4`, 50],
  ['/events', `${base}/events`, 50],
  ['/events?severity=3&source=syslog', `${base}/events?severity=3&source=syslog`, 50],
  ['/events?q=Failed password', `${base}/events?q=${encodeURIComponent('Failed password')}`, 50],
  ['/entities/search?q=10.1', `${base}/entities/search?q=10.1`, 50],
  ['/health', `${base}/health`, 10],
];
console.log(`| route (${EVENTS.toLocaleString('en-US')} events, ${ALERTS.toLocaleString('en-US')} alerts) | p50 ms | p95 ms | p99 ms | req/s | errors | p95 target | meets |`);
console.log('|---|---:|---:|---:|---:|---:|---:|:-:|');
for (const [name, url, target] of routes) {
  const r = await measure(url);
  console.log(`| ${name} | ${r.p50} | ${r.p95} | ${r.p99} | ${Math.round(r.rps)} | ${r.errors} | ${target} | ${r.p95 <= target && r.errors === 0 ? 'yes' : 'no'} |`);
}
console.log();
console.log(await streamClientsKeepingUp());
await stopServer(server);
fs.rmSync(dir, { recursive: true, force: true });
