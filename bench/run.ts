/**
 * `npm run bench`: runs every `bench/*.bench.ts` (or those named on the command line, e.g.
 * `npm run bench -- syslog-parse`) and prints one markdown table: items/s, target, peak RSS.
 * Template-mining accuracy on Loghub is separate: `npm run bench:loghub`.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type BenchResult, rate } from './harness.js';

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
  const module = (await import(new URL(file, import.meta.url).href)) as { default: () => Promise<BenchResult[]> };
  results.push(...(await module.default()));
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
