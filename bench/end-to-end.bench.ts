/**
 * End to end into a running appliance (receiver → queue → normalize → batched writer → SQLite
 * file with its full-text index and entity links), timed until every accepted event is stored:
 * - syslog over UDP sent at the target rate (100,000 events/s): how many are stored, how
 *   many are lost, and the rate actually achieved;
 * - syslog over TCP as fast as the appliance accepts (TCP backpressure, nothing lost): the
 *   sustainable ingest-to-store rate.
 * The sender is a separate process.
 */
import { fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { validateConfig } from '../main/config/load.js';
import { systemClockNs } from '../main/core/clock.js';
import { createServer, stopServer } from '../main/server.js';
import { type BenchResult, peakRssMb } from './harness.js';

const EVENTS = 200_000;
const TARGET = 100_000;

async function run1(transport: 'udp' | 'tcp'): Promise<BenchResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-e2e-'));
  const config = validateConfig(
    {
      dashboard_port: 0,
      storage: { data_dir: dir, retention_days: 0 },
      receivers: {
        bind_addr: '127.0.0.1',
        syslog_udp_port: 0,
        syslog_tcp_port: 0,
        otlp_http_enabled: false,
        otlp_grpc_enabled: false,
        queue_maxsize: 100_000,
      },
    },
    {},
  );
  const server = await createServer({ config, logger: pino({ level: 'silent' }), clock: systemClockNs });
  await server.start();
  const { pipeline, writer, listeners } = server.seerflow;
  const port = listeners.get(transport === 'udp' ? 'syslog_udp' : 'syslog_tcp')!;
  const sender = fork(
    fileURLToPath(new URL('./syslog-sender.ts', import.meta.url)),
    [String(port), String(EVENTS), String(transport === 'udp' ? TARGET : 0)],
    { execArgv: ['--import', 'tsx'] },
  );
  const start = process.hrtime.bigint();
  await new Promise((resolve) => sender.on('exit', resolve));
  const counters = pipeline.counters('syslog');
  await pipeline.drain();
  await writer.whenDurable();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const { stored } = counters;
  await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
  const name =
    transport === 'udp'
      ? `end-to-end syslog UDP sent at ${TARGET.toLocaleString('en-US')}/s → stored (${EVENTS - stored} of ${EVENTS} lost)`
      : 'end-to-end syslog TCP, as fast as accepted → stored (lossless)';
  return { name, items: stored, seconds, target: TARGET, peakRssMb: peakRssMb() };
}

export default async function run(): Promise<BenchResult[]> {
  return [await run1('udp'), await run1('tcp')];
}
