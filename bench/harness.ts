/**
 * Tiny benchmark harness: each `bench/*.bench.ts` default-exports a function returning results;
 * `bench/run.ts` runs them all and prints one table. Figures are per core (one thread).
 */
export interface BenchResult {
  name: string;
  /** Items processed (lines, events…). */
  items: number;
  seconds: number;
  /** Target in items/s from the issue, when one is named. */
  target?: number;
  peakRssMb?: number;
}

/** Run `fn` over `items` once to warm up, then time `rounds` passes and keep the best. */
export function measure(name: string, items: number, fn: () => void, target?: number, rounds = 3): BenchResult {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    best = Math.min(best, seconds);
  }
  return { name, items, seconds: best, target, peakRssMb: peakRssMb() };
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function rate(result: BenchResult): number {
  return result.items / result.seconds;
}
