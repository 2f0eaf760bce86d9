/**
 * An entity's activity volume: EMAs of its event counts per minute and per hour of event time,
 * over the minutes (hours) in which it was active, and the volume sub-score, which compares the
 * event's minute so far with the per-minute EMA.
 *
 * The original's EMA observed a constant 1.0 per event, so its volume score was always 0
 * (reference §17.11); here a bucket's count is folded into its EMA when the entity's next event
 * opens a later bucket. Idle buckets are skipped rather than folded in as zeros: an entity seen
 * once a day would otherwise look like a burst at every event. An event older than the open
 * bucket counts in the open bucket (late lines never reopen a closed one).
 */

const MS_PER_MINUTE = 60_000;
const MS_PER_HOUR = 3_600_000;

/** One bucket size's running state: the EMA of closed buckets and the open bucket's count. */
export interface VolumeSeries {
  /** EMA of closed active buckets' counts; 0 until the first bucket closes. */
  ema: number;
  /** Index (since the epoch) of the open bucket; −1 before the first event. */
  bucket: number;
  count: number;
}

export function emptySeries(): VolumeSeries {
  return { ema: 0, bucket: -1, count: 0 };
}

/** The EMA once a bucket holding `count` events closes (the first closed bucket seeds it). */
function folded(ema: number, count: number, alpha: number): number {
  return ema > 0 ? (1 - alpha) * ema + alpha * count : count;
}

function observeSeries(series: VolumeSeries, bucket: number, alpha: number): void {
  if (bucket > series.bucket) {
    if (series.count > 0) series.ema = folded(series.ema, series.count, alpha);
    series.bucket = bucket;
    series.count = 1;
  } else {
    series.count++;
  }
}

export class Volume {
  readonly #alpha: number;
  readonly perMinute: VolumeSeries;
  readonly perHour: VolumeSeries;

  /** `alpha`: `ueba.ema_alpha`, in (0, 1]. */
  constructor(alpha: number, perMinute = emptySeries(), perHour = emptySeries()) {
    this.#alpha = alpha;
    this.perMinute = perMinute;
    this.perHour = perHour;
  }

  /** Count one event at `ms` (event time, ms since the epoch). */
  observe(ms: number): void {
    observeSeries(this.perMinute, Math.floor(ms / MS_PER_MINUTE), this.#alpha);
    observeSeries(this.perHour, Math.floor(ms / MS_PER_HOUR), this.#alpha);
  }

  /**
   * How far the event's minute (this event included) exceeds the usual active minute, in Poisson
   * standard deviations: λ = the per-minute EMA as it stands when this event arrives, c = events
   * in the event's minute, z = (c − λ)/√λ, score = clip(z/3, 0, 1). 0 until a minute has closed.
   * Read-only.
   */
  score(ms: number): number {
    const series = this.perMinute;
    const bucket = Math.floor(ms / MS_PER_MINUTE);
    const opens = bucket > series.bucket;
    const lambda = opens && series.count > 0 ? folded(series.ema, series.count, this.#alpha) : series.ema;
    if (lambda <= 0) return 0;
    const count = opens ? 1 : series.count + 1;
    const z = (count - lambda) / Math.sqrt(lambda);
    return Math.min(1, Math.max(0, z / 3));
  }
}
