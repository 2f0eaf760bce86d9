/**
 * End to end: syslog over real UDP into a running appliance (receiver → queue → normalize →
 * batched writer → SQLite file) until every accepted event is stored. The sender is a separate
 * process, paced so the kernel's socket buffer is not the bottleneck being measured; drops (if
 * any) are reported. Target from the issue: 100,000 events/s.
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

export default async function run(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-e2e-'));
  const config = validateConfig(
    {
      dashboard_port: 0,
      storage: { data_dir: dir },
      receivers: {
        bind_addr: '127.0.0.1',
        syslog_udp_port: 0,
        syslog_tcp_enabled: false,
        otlp_http_enabled: false,
        otlp_grpc_enabled: false,
        queue_maxsize: 100_000,
      },
    },
    {},
  );
  const server = await createServer({ config, logger: pino({ level: 'silent' }), clock: systemClockNs });
  await server.start();
  const { pipeline, writer } = server.seerflow;
  const port = server.seerflow.listeners.get('syslog_udp')!;

  const sender = fork(fileURLToPath(new URL('./udp-sender.ts', import.meta.url)), [String(port), String(EVENTS)], {
    execArgv: ['--import', 'tsx'],
  });
  const start = process.hrtime.bigint();
  await new Promise((resolve) => sender.on('exit', resolve));
  // Everything received is queued; wait until it is all committed.
  const counters = pipeline.counters('syslog');
  while (counters.stored + counters.dropped < counters.received || pipeline.queueDepth > 0) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await writer.whenDurable();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const stored = counters.stored;
  const lost = EVENTS - stored;
  await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
  return [
    {
      name: `end-to-end syslog UDP → stored (${lost} of ${EVENTS} not stored)`,
      items: stored,
      seconds,
      target: TARGET,
      peakRssMb: peakRssMb(),
    },
  ];
}
