/**
 * Normalizing (header parse + template + entities + logsource, one event at a time) and storing
 * (the batched writer into a SQLite file), each on one core. The issue names no target for these
 * two alone; the end-to-end bench carries the 100k events/s target.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RawEvent, SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { openDatabase } from '../main/storage/database.js';
import { BatchedWriter } from '../main/storage/writer.js';
import { type BenchResult, measure, peakRssMb } from './harness.js';
import { syslogLines } from './lines.js';

const EVENTS = 100_000;

function normalizerFor() {
  return createNormalizer({
    maxMessageLength: 32_768,
    maxEntitiesPerType: 32,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules([]),
  });
}

export default async function run(): Promise<BenchResult[]> {
  const raws: RawEvent[] = syslogLines(EVENTS).map((line, i) => ({
    sourceType: 'syslog',
    sourceId: 'syslog',
    receivedNs: 1_796_032_800_000_000_000n + BigInt(i),
    line,
  }));
  const normalize = normalizerFor();
  let events: SeerflowEvent[] = [];
  const normalizing = measure('normalize (parse+template+entities+logsource)', EVENTS, () => {
    events = raws.map((raw) => normalize(raw, raw.receivedNs));
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seerflow-bench-'));
  const db = await openDatabase(path.join(dir, 'bench.db'));
  const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 100, maxPendingEvents: EVENTS * 2 });
  const start = process.hrtime.bigint();
  for (const event of events) writer.write(event);
  await writer.flush();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await db.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
  return [normalizing, { name: 'store (batched writer, SQLite file, FTS)', items: EVENTS, seconds, peakRssMb: peakRssMb() }];
}
