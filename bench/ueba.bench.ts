/**
 * The `ueba` detector alone, on one core:
 * - syslog-like events (the pipeline bench's lines: sshd, sudo, cron, PAM… naming users, hosts
 *   and addresses), re-timed one every 36 s so that 100k events span 41 days and every user
 *   passes the default warm-up (7 days, 50 events) and is then scored;
 * - a churn of 100k distinct users against `max_entities` 10,000, so that nearly every event
 *   creates a baseline and evicts another;
 * - memory: heap held by 100,000 baselines (the default `max_entities`) of users seen 4 times
 *   each from 2 addresses with 2 templates, after a full collection.
 * Events are normalized (entities extracted, templates mined) before timing: only
 * `UebaDetector.process` is timed, each pass on a fresh detector.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { validateConfig } from '../main/config/load.js';
import type { UebaConfig } from '../main/config/sections/ueba.js';
import { entityRef } from '../main/core/entity/identity.js';
import type { SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { UebaDetector } from '../plugins/detectors/ueba/detector.js';
import { type BenchResult, measure } from './harness.js';
import { syslogLines } from './lines.js';

const EVENTS = 100_000;
const START_NS = 1_796_032_800_000_000_000n;
const SPACING_NS = 36_000_000_000n;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

function config(overrides: Partial<UebaConfig> = {}): UebaConfig {
  return validateConfig({ ueba: overrides }, {}).ueba;
}

function syslogEvents(): SeerflowEvent[] {
  const normalize = createNormalizer({ maxMessageLength: 32_768, maxEntitiesPerType: 32, miner: new TemplateMiner(), logsourceRules: compileLogsourceRules([]) });
  return syslogLines(EVENTS).map((line, i) => {
    const event = normalize({ sourceType: 'syslog', sourceId: 'bench', receivedNs: START_NS, line }, START_NS);
    return { ...event, timestampNs: START_NS + BigInt(i) * SPACING_NS };
  });
}

function churnEvents(template: SeerflowEvent): SeerflowEvent[] {
  const host = entityRef('host', 'bastion')!;
  return Array.from({ length: EVENTS }, (_, i) => ({
    ...template,
    timestampNs: START_NS + BigInt(i) * 1_000_000_000n,
    entities: [entityRef('ip', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`)!, entityRef('user', `user${i}`)!, host],
  }));
}

/** Heap bytes per baseline: 100k users, each with 4 events from 2 addresses and 2 templates; and the time taken. */
function bytesPerBaseline(template: SeerflowEvent): { bytes: number; seconds: number } {
  const users = 100_000;
  const events = Array.from({ length: 4 }, (_, k) => ({ ...template, templateId: k % 2 }));
  gc();
  const before = process.memoryUsage().heapUsed;
  const detector = new UebaDetector({ config: config() });
  const started = process.hrtime.bigint();
  for (let i = 0; i < users; i++) {
    const user = entityRef('user', `user${i}`)!;
    for (let k = 0; k < 4; k++) {
      const event = events[k]!;
      event.timestampNs = START_NS + BigInt(i * 4 + k) * 1_000_000_000n;
      event.entities = [entityRef('ip', `10.${k % 2}.${(i >> 8) & 255}.${i & 255}`)!, user];
      detector.process(event);
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  gc();
  const bytes = (process.memoryUsage().heapUsed - before) / users;
  if (detector.stats().entities_tracked !== users) throw new Error('ueba bench: baselines were evicted');
  return { bytes, seconds };
}

export default async function run(): Promise<BenchResult[]> {
  const syslog = syslogEvents();
  const churn = churnEvents(syslog[0]!);
  let last: UebaDetector | undefined;
  const pass = (events: SeerflowEvent[], overrides: Partial<UebaConfig>) => () => {
    last = new UebaDetector({ config: config(overrides) });
    for (const event of events) last.process(event);
  };
  const results = [measure('ueba: syslog events over 41 days (default config)', syslog.length, pass(syslog, {}))];
  const warm = last!.stats();
  results.push(measure('ueba: 100k distinct users, max_entities 10,000 (evicting)', churn.length, pass(churn, { max_entities: 10_000 })));
  const { bytes, seconds } = bytesPerBaseline(syslog[0]!);
  const memory = `${Math.round(bytes)} B per baseline, ${((bytes * 100_000) / 1_048_576).toFixed(0)} MB at max_entities 100,000`;
  results.push({ ...measure(`ueba: 100k users × 4 events, growing to 100k baselines (${memory})`, 400_000, () => undefined, undefined, 1), seconds });
  process.stderr.write(`ueba: syslog pass: ${JSON.stringify(warm)}; churn pass: ${JSON.stringify(last!.stats())}\n`);
  return results;
}
