/**
 * Relative windows (`range`) and their bucket sizes (`resolution`), shared by the anomaly
 * timeline and the entity risk history (reference §11.2): 1h → 1m; 6h → 1m, 5m; 24h → 5m, 15m;
 * 7d → 15m, 1h; the first is the default. Grids are aligned to the resolution and end with the
 * bucket that holds `now`, so consecutive polls line up.
 */
import Joi from 'joi';
import type { BucketGrid } from '../../../main/storage/buckets.js';

const MINUTE = 60_000_000_000n;

export const RANGES = ['1h', '6h', '24h', '7d'] as const;
export const RESOLUTIONS = ['1m', '5m', '15m', '1h'] as const;
export type Range = (typeof RANGES)[number];
export type Resolution = (typeof RESOLUTIONS)[number];

const RANGE_NS: Record<Range, bigint> = { '1h': 60n * MINUTE, '6h': 360n * MINUTE, '24h': 1440n * MINUTE, '7d': 10_080n * MINUTE };
const RESOLUTION_NS: Record<Resolution, bigint> = { '1m': MINUTE, '5m': 5n * MINUTE, '15m': 15n * MINUTE, '1h': 60n * MINUTE };
const ALLOWED: Record<Range, readonly Resolution[]> = {
  '1h': ['1m'],
  '6h': ['1m', '5m'],
  '24h': ['5m', '15m'],
  '7d': ['15m', '1h'],
};

/** Query keys `range` (default 1h) and `resolution` (default: the range's first; 422 for a bad pair). */
export const windowQuery = {
  range: Joi.string()
    .valid(...RANGES)
    .default('1h'),
  // Not `.valid()`: a value in a valid() list skips every later rule, the pair check included.
  resolution: Joi.string()
    .default((parent: { range: Range }) => ALLOWED[parent.range][0])
    .custom((value: Resolution, helpers) => {
      const allowed = ALLOWED[(helpers.state.ancestors[0] as { range: Range }).range];
      return allowed.includes(value) ? value : helpers.error('any.only', { valids: allowed });
    }),
};

export interface WindowQuery {
  range: Range;
  resolution: Resolution;
}

/** The grid of `range` in `resolution` buckets whose last bucket holds `nowNs`. */
export function gridFor({ range, resolution }: WindowQuery, nowNs: bigint): BucketGrid {
  const bucketNs = RESOLUTION_NS[resolution];
  const endNs = (nowNs / bucketNs + 1n) * bucketNs;
  const count = Number(RANGE_NS[range] / bucketNs);
  return { startNs: endNs - BigInt(count) * bucketNs, bucketNs, count };
}

/** Start of bucket `index` of `grid`, as the decimal string the wire carries. */
export function bucketStart(grid: BucketGrid, index: number): string {
  return (grid.startNs + BigInt(index) * grid.bucketNs).toString();
}
