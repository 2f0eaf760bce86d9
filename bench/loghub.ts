/**
 * Loghub grouping-accuracy benchmark of our template miner against Drain's published figures.
 *
 * For each dataset in `../shared/data/loghub/benchmark.json` (relative to the repo root): parse each
 * line of `<Sys>_2k.log` with the dataset's header `format`, feed only `<Content>` to a miner built
 * with that dataset's masks (each replaced by `<*>`, instead of our default masks), `st` and `depth`,
 * and score the clusters against `<Sys>_2k.log_structured.csv`. This mirrors logpai/logparser's
 * Drain benchmark (its `generate_logformat_regex`, preprocessing and `evaluator.get_accuracy`).
 *
 * Run: `npx tsx bench/loghub.ts` (prints a markdown table; exits 0 when the data is absent).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TemplateMiner } from '../main/core/template/template-miner.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the Loghub samples live: `../shared/data/loghub` beside the repo. */
export const LOGHUB_DIR = path.resolve(repoRoot, '../shared/data/loghub');

export interface DatasetSettings {
  /** Header format, e.g. `<Date> <Time> <Level> <Component>: <Content>`; may hold regex syntax. */
  format: string;
  /** Regex sources replaced by `<*>` before mining. */
  masks: string[];
  /** Similarity threshold. */
  st: number;
  depth: number;
  /** Drain's published grouping accuracy on this sample. */
  drain_ga: number;
}

export interface DatasetResult {
  dataset: string;
  lines: number;
  /** Lines whose header did not match `format` (their whole text was mined). */
  unparsed: number;
  clusters: number;
  ga: number;
  drainGa: number;
}

/** Whether the Loghub samples are present. */
export function hasLoghubData(dir: string = LOGHUB_DIR): boolean {
  return existsSync(path.join(dir, 'benchmark.json'));
}

export function loadBenchmark(dir: string = LOGHUB_DIR): Record<string, DatasetSettings> {
  const parsed = JSON.parse(readFileSync(path.join(dir, 'benchmark.json'), 'utf8')) as {
    datasets: Record<string, DatasetSettings>;
  };
  return parsed.datasets;
}

/**
 * A line regex from a header format: each `<Field>` becomes a lazy named group, runs of spaces
 * become `\s+`, and the rest is kept as regex source (as logparser does).
 */
export function formatToRegex(format: string): RegExp {
  const parts = format.split(/(<[^<>]+>)/);
  let source = '';
  parts.forEach((part, i) => {
    source += i % 2 === 0 ? part.replace(/ +/g, '\\s+') : `(?<${part.slice(1, -1)}>.*?)`;
  });
  return new RegExp(`^${source}$`);
}

/** RFC 4180 CSV: quoted fields may hold commas, `""` and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Grouping accuracy: the share of lines whose predicted group holds exactly the lines that share
 * its ground-truth label (logparser's `get_accuracy`). `truth[i]` and `predicted[i]` label line i.
 */
export function groupingAccuracy(truth: readonly string[], predicted: readonly (string | number)[]): number {
  if (truth.length !== predicted.length) {
    throw new Error(`groupingAccuracy: ${truth.length} truth labels but ${predicted.length} predictions`);
  }
  if (truth.length === 0) return 0;
  const truthSize = new Map<string, number>();
  for (const label of truth) truthSize.set(label, (truthSize.get(label) ?? 0) + 1);
  const groups = new Map<string | number, number[]>();
  predicted.forEach((label, i) => {
    const members = groups.get(label);
    if (members === undefined) groups.set(label, [i]);
    else members.push(i);
  });
  let correct = 0;
  for (const members of groups.values()) {
    const label = truth[members[0] as number] as string;
    if (members.every((i) => truth[i] === label) && truthSize.get(label) === members.length) correct += members.length;
  }
  return correct / truth.length;
}

/** Mine one dataset and score it. */
export function evaluateDataset(name: string, settings: DatasetSettings, dir: string = LOGHUB_DIR): DatasetResult {
  const base = path.join(dir, name, `${name}_2k.log`);
  const lines = readFileSync(base, 'utf8').split(/\r\n|\r|\n/);
  if (lines.at(-1) === '') lines.pop();

  const rows = parseCsv(readFileSync(`${base}_structured.csv`, 'utf8'));
  const header = rows[0] ?? [];
  const eventColumn = header.indexOf('EventId');
  if (eventColumn < 0) throw new Error(`${name}: no EventId column in the structured CSV`);
  const truth = rows.slice(1).map((row) => row[eventColumn] ?? '');
  if (truth.length !== lines.length) {
    throw new Error(`${name}: ${lines.length} log lines but ${truth.length} ground-truth rows`);
  }

  const regex = formatToRegex(settings.format);
  const miner = new TemplateMiner({
    masks: settings.masks.map((pattern) => ({ pattern, replacement: '<*>' })),
    simThreshold: settings.st,
    depth: settings.depth,
    maxClusters: 1_000_000, // logparser's Drain keeps every cluster
  });
  let unparsed = 0;
  const predicted = lines.map((line) => {
    const content = regex.exec(line.trim())?.groups?.Content;
    if (content === undefined) unparsed++;
    return miner.learn(content ?? line).templateId;
  });

  return {
    dataset: name,
    lines: lines.length,
    unparsed,
    clusters: miner.clusterCount,
    ga: groupingAccuracy(truth, predicted),
    drainGa: settings.drain_ga,
  };
}

export function evaluateAll(dir: string = LOGHUB_DIR): DatasetResult[] {
  return Object.entries(loadBenchmark(dir)).map(([name, settings]) => evaluateDataset(name, settings, dir));
}

export function formatTable(results: readonly DatasetResult[]): string {
  const f = (x: number): string => x.toFixed(4);
  const signed = (x: number): string => (x >= 0 ? '+' : '') + x.toFixed(4);
  const out = ['| dataset | our GA | Drain GA | delta | clusters |', '|---|---:|---:|---:|---:|'];
  for (const r of results) {
    const note = r.unparsed > 0 ? ` (${r.unparsed} lines unparsed)` : '';
    out.push(`| ${r.dataset}${note} | ${f(r.ga)} | ${f(r.drainGa)} | ${signed(r.ga - r.drainGa)} | ${r.clusters} |`);
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const ours = mean(results.map((r) => r.ga));
  const drain = mean(results.map((r) => r.drainGa));
  out.push(`| **average** | **${f(ours)}** | **${f(drain)}** | **${signed(ours - drain)}** | |`);
  return out.join('\n');
}

function main(): void {
  if (!hasLoghubData()) {
    console.log(`Loghub samples not found at ${LOGHUB_DIR}; nothing to benchmark.`);
    return;
  }
  console.log(formatTable(evaluateAll()));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
