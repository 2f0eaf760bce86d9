/**
 * Sigma detection throughput with the whole SigmaHQ corpus loaded (rules/, rules-threat-hunting/,
 * rules-emerging-threats/ of /work/shared/data/sigma):
 * - a mixed stream: the regression events (evtx_dump JSON, converted by windows-json.ts) plus
 *   the Loghub lines (/work/shared/data/loghub/<name>/*.log) normalized by the pipeline's own
 *   normalizer, so each event carries the logsource live input would have;
 * - the Windows events alone, the heaviest path (hundreds of candidate rules per event).
 * Normalization happens before timing: only SigmaEngine.match is measured. Results whose data
 * is absent are left out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeerflowEvent } from '../main/core/event.js';
import { compileLogsourceRules } from '../main/core/logsource.js';
import { createNormalizer } from '../main/core/normalizer.js';
import { TemplateMiner } from '../main/core/template/template-miner.js';
import { SigmaEngine } from '../plugins/detectors/sigma/engine.js';
import { parseWindowsJson } from '../plugins/detectors/sigma/windows-json.js';
import { resourcesDir } from '../main/resources.js';
import { buildSigmaPack } from '../plugins/detectors/sigma/pack.js';
import { readRuleDir } from '../plugins/detectors/sigma/rule-files.js';
import { type BenchResult, measure } from './harness.js';

// The shared test data sits beside the repository (`../shared`), as for the tests.
const SIGMA_DIR = fileURLToPath(new URL('../../shared/data/sigma', import.meta.url));
const LOGHUB_DIR = fileURLToPath(new URL('../../shared/data/loghub', import.meta.url));
const BUNDLED_TARGET = 500_000;
const TARGET = 50_000;

function walk(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name), suffix) : entry.name.endsWith(suffix) ? [path.join(dir, entry.name)] : []))
    .sort();
}

function loadCorpus(): SigmaEngine {
  const engine = new SigmaEngine();
  for (const dir of ['rules', 'rules-threat-hunting', 'rules-emerging-threats']) {
    for (const file of walk(path.join(SIGMA_DIR, dir), '.yml')) engine.load(fs.readFileSync(file, 'utf8'), file);
  }
  return engine;
}

function windowsEvents(): SeerflowEvent[] {
  return walk(path.join(SIGMA_DIR, 'regression'), '.json').flatMap((file) => parseWindowsJson(fs.readFileSync(file, 'utf8')).events);
}

function loghubEvents(): SeerflowEvent[] {
  const normalize = createNormalizer({
    maxMessageLength: 32_768,
    maxEntitiesPerType: 32,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules([]),
  });
  const events: SeerflowEvent[] = [];
  const files = fs.existsSync(LOGHUB_DIR)
    ? fs.readdirSync(LOGHUB_DIR, { withFileTypes: true }).filter((entry) => entry.isDirectory()).flatMap((entry) => walk(path.join(LOGHUB_DIR, entry.name), '.log'))
    : [];
  for (const file of files) {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      if (line === '') continue;
      events.push(normalize({ sourceType: 'file', sourceId: path.basename(file), receivedNs: 0n, line }, 0n));
    }
  }
  return events;
}

export default async function (): Promise<BenchResult[]> {
  const hasCorpus = fs.existsSync(path.join(SIGMA_DIR, 'rules'));
  if (!hasCorpus) process.stderr.write(`sigma bench: ${SIGMA_DIR} not found, corpus results skipped\n`);
  const engine = hasCorpus ? loadCorpus() : new SigmaEngine();
  const windows = hasCorpus ? windowsEvents() : [];
  const loghub = loghubEvents();
  const results: BenchResult[] = [];
  let sink = 0;
  const run = (events: readonly SeerflowEvent[]) => () => {
    for (const event of events) sink += engine.match(event).length;
  };
  if (hasCorpus && loghub.length > 0) {
    // Interleave so the logsource cache and branch predictors see a realistic mix.
    const mixed: SeerflowEvent[] = [];
    const step = Math.max(1, Math.floor(loghub.length / Math.max(1, windows.length)));
    let w = 0;
    loghub.forEach((event, i) => {
      mixed.push(event);
      if (i % step === 0 && w < windows.length) mixed.push(windows[w++] as SeerflowEvent);
    });
    while (w < windows.length) mixed.push(windows[w++] as SeerflowEvent);
    results.push(measure(`sigma match, ${engine.size} rules, mixed stream (Loghub + Windows)`, mixed.length, run(mixed), TARGET));
  } else {
    process.stderr.write(`sigma bench: ${LOGHUB_DIR} not found, mixed-stream result skipped\n`);
  }
  if (hasCorpus && windows.length > 0) {
    const repeated = Array.from({ length: Math.ceil(20_000 / windows.length) }, () => windows).flat();
    results.push(measure(`sigma match, ${engine.size} rules, Windows events only`, repeated.length, run(repeated), TARGET));
  }
  // Our bundled pack alone, over the same mixed stream.
  const bundled = buildSigmaPack(await readRuleDir(path.join(resourcesDir(), 'sigma'), 'bundled', () => {})).engine;
  const stream = loghub.length > 0 ? [...loghub, ...windows] : windows;
  results.push(
    measure(`sigma match, bundled pack (${bundled.size} rules), mixed stream`, stream.length, () => {
      for (const event of stream) sink += bundled.match(event).length;
    }, BUNDLED_TARGET),
  );
  if (sink < 0) process.stderr.write('unreachable\n');
  return results;
}
