/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line, e.g.
 * `npm run bench -- syslog-parse`), each in a fresh process so one bench's heap (a loaded rule
 * corpus, a million indicators) does not slow the next, and prints one markdown table: items/s,
 * target, peak RSS of that process. Loghub accuracy and API latency are separate:
 * `npm run bench:loghub`, `npm run bench:api`.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchResult, rate } from './harness.js';

const RESULT_PREFIX = 'BENCH_RESULTS ';
const single = process.env.SEERFLOW_BENCH_FILE;

if (single) {
  // Child: run one bench file and hand its results to the parent on one line.
  const module = (await import(new URL(single, import.meta.url).href)) as { default: () => Promise<BenchResult[]> };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(await module.default())}\n`);
} else {
  const dir = fileURLToPath(new URL('.', import.meta.url));
  const wanted = process.argv.slice(2);
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => wanted.length === 0 || wanted.some((w) => f.includes(w)))
    .sort();
  const results: BenchResult[] = [];
  for (const file of files) {
    process.stderr.write(`running ${file}…\n`);
    const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
      env: { ...process.env, SEERFLOW_BENCH_FILE: file },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    const line = output.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (line) results.push(...(JSON.parse(line.slice(RESULT_PREFIX.length)) as BenchResult[]));
    process.stdout.write(output.split('\n').filter((l) => l && !l.startsWith(RESULT_PREFIX)).map((l) => `${l}\n`).join(''));
  }
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  console.log('| benchmark | items | items/s | target | meets | peak RSS (MB) |');
  console.log('|---|---:|---:|---:|:-:|---:|');
  for (const r of results) {
    const perSecond = rate(r);
    const meets = r.target === undefined ? '' : perSecond >= r.target ? 'yes' : 'no';
    console.log(
      `| ${r.name} | ${fmt(r.items)} | ${fmt(perSecond)} | ${r.target ? fmt(r.target) : '—'} | ${meets} | ${r.peakRssMb ?? ''} |`,
    );
  }
}
