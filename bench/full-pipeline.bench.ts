/**
 * The full pipeline in one process, as `seerflow start` runs it: normalize, every default
 * detector (the bundled Sigma pack, ML, UEBA, correlation) and SQLite persistence, fed 1M syslog
 * events (a pool of 50k synthetic lines, cycled) as fast as the ingest queue takes them.
 * Reports sustained events/s, the p99 of one event's detection time, RSS after the run, and each
 * detector's share (its `process` wrapped in a timer). Targets from the issue, on one core:
 * ≥ 50,000 events/s and RSS ≤ 300 MB.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { validateConfig } from '../main/config/load.js';
import { systemClockNs } from '../main/core/clock.js';
import type { Detector } from '../main/core/detector.js';
import type { RawEvent } from '../main/core/event.js';
import { keepHeapNearLiveSet } from '../main/core/heap.js';
import { Pipeline } from '../main/core/pipeline.js';
import { createServer, stopServer } from '../main/server.js';
import { type BenchResult, peakRssMb } from './harness.js';
import { syslogLines } from './lines.js';

const EVENTS = Number(process.env.SEERFLOW_BENCH_EVENTS ?? 1_000_000);
const POOL = 50_000;
const CHUNK = 1000;
const IN_FLIGHT = 8;

const costs = new Map<string, number>();
const perEvent: number[] = [];
let current = 0;

/** Times each detector's `process`; the last registered one (correlation) closes an event's sum. */
function timed(detector: Detector, closesEvent: () => boolean): Detector {
  costs.set(detector.name, 0);
  return {
    name: detector.name,
    process(event, raised) {
      const start = performance.now();
      try {
        return detector.process(event, raised);
      } finally {
        const spent = performance.now() - start;
        costs.set(detector.name, costs.get(detector.name)! + spent);
        current += spent;
        if (closesEvent()) {
          if (perEvent.length < 2_000_000) perEvent.push(current);
          current = 0;
        }
      }
    },
    flush: detector.flush?.bind(detector),
    health: detector.health?.bind(detector),
  };
}

export default async function run(): Promise<BenchResult[]> {
  const added: string[] = [];
  const addDetector = Pipeline.prototype.addDetector;
  Pipeline.prototype.addDetector = function (this: Pipeline, detector: Detector) {
    added.push(detector.name);
    addDetector.call(this, timed(detector, () => detector.name === added[added.length - 1]));
  };

  keepHeapNearLiveSet();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-full-'));
  const config = validateConfig(
    {
      dashboard_port: 0,
      storage: { data_dir: dir, retention_days: 0 },
      receivers: { syslog_enabled: false, otlp_http_enabled: false, otlp_grpc_enabled: false },
    },
    {},
  );
  const server = await createServer({ config, logger: pino({ level: 'silent' }), clock: systemClockNs });
  await server.initialize();
  const { pipeline, writer } = server.seerflow;
  const lines = syslogLines(POOL);

  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < EVENTS; i += CHUNK) {
    const raws: RawEvent[] = [];
    for (let k = i; k < Math.min(EVENTS, i + CHUNK); k++) raws.push({ sourceType: 'syslog', sourceId: 'bench', receivedNs: systemClockNs(), line: lines[k % POOL]! });
    let durable = pipeline.submit(raws);
    while (!durable) {
      await Promise.race(inFlight);
      durable = pipeline.submit(raws);
    }
    const tracked: Promise<void> = durable.then(() => void inFlight.delete(tracked));
    inFlight.add(tracked);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  await pipeline.drain();
  const seconds = (performance.now() - start) / 1000;
  const memory = process.memoryUsage();
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
  const rssAfterMb = mb(memory.rss);
  const stored = writer.stats.committedEvents;
  const alerts = server.seerflow.alerts.published;
  await stopServer(server);
  fs.rmSync(dir, { recursive: true, force: true });
  Pipeline.prototype.addDetector = addDetector;

  perEvent.sort((a, b) => a - b);
  const p = (q: number) => perEvent[Math.min(perEvent.length - 1, Math.floor(q * perEvent.length))] ?? 0;
  const detectionMs = [...costs.values()].reduce((a, b) => a + b, 0);
  console.log(`full pipeline: ${stored.toLocaleString('en-US')} events stored in ${seconds.toFixed(1)} s, ${alerts} new alerts`);
  console.log(`memory after the run: RSS ${rssAfterMb} MB, JS heap ${mb(memory.heapUsed)} MB, outside the heap (SQLite cache and mmap, buffers) the rest`);
  console.log(`per-event detection time: p50 ${(p(0.5) * 1000).toFixed(1)} µs, p99 ${(p(0.99) * 1000).toFixed(1)} µs, max ${(p(1) * 1000).toFixed(0)} µs`);
  console.log(`share of wall time: detectors ${((detectionMs / 1000 / seconds) * 100).toFixed(0)} % (the rest: parsing, templates, entities, SQLite)`);
  for (const [name, ms] of [...costs].sort((a, b) => b[1] - a[1])) {
    console.log(`  ${name}: ${((ms * 1000) / EVENTS).toFixed(1)} µs/event, ${((ms / 1000 / seconds) * 100).toFixed(0)} % of wall time`);
  }
  return [
    {
      name: `full pipeline: bundled Sigma + ML + UEBA + correlation + SQLite (RSS after ${EVENTS.toLocaleString('en-US')}: ${rssAfterMb} MB; target ≤ 300)`,
      items: stored,
      seconds,
      target: 50_000,
      peakRssMb: peakRssMb(),
    },
  ];
}
