/**
 * A bounded per-minute summary of the blended scores and the upper threshold, per source, for
 * the anomaly timeline (the original kept a ring of the last 10 080 one-minute buckets in memory,
 * reference §11.2): per minute of event time, the max, sum and count of scores and the latest
 * threshold. Fixed memory per source (a ring of typed arrays), at most `maxSources` sources; not
 * persisted (it describes recent activity).
 */

export interface SummaryBucket {
  max: number | null;
  sum: number;
  count: number;
  /** Latest upper threshold in the bucket; null while calibrating or when the bucket is empty. */
  threshold: number | null;
}

class Ring {
  readonly minute: Float64Array;
  readonly max: Float64Array;
  readonly sum: Float64Array;
  readonly count: Uint32Array;
  readonly threshold: Float64Array;

  constructor(size: number) {
    this.minute = new Float64Array(size).fill(-1);
    this.max = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.count = new Uint32Array(size);
    this.threshold = new Float64Array(size);
  }
}

export class ScoreSummary {
  readonly minutes: number;
  readonly maxSources: number;
  readonly #rings = new Map<string, Ring>();
  #lastSource = '';
  #last: Ring | undefined;

  constructor(minutes = 10_080, maxSources = 50) {
    this.minutes = minutes;
    this.maxSources = maxSources;
  }

  get sources(): string[] {
    return [...this.#rings.keys()];
  }

  record(source: string, minute: number, score: number, threshold: number): void {
    let ring = source === this.#lastSource ? this.#last : this.#rings.get(source);
    if (!ring) {
      if (this.#rings.size >= this.maxSources) return;
      ring = new Ring(this.minutes);
      this.#rings.set(source, ring);
    }
    this.#lastSource = source;
    this.#last = ring;
    const slot = minute % this.minutes;
    if (ring.minute[slot] !== minute) {
      if (ring.minute[slot]! > minute) return; // older than what the ring holds
      ring.minute[slot] = minute;
      ring.max[slot] = score;
      ring.sum[slot] = 0;
      ring.count[slot] = 0;
    }
    if (score > ring.max[slot]!) ring.max[slot] = score;
    ring.sum[slot]! += score;
    ring.count[slot]!++;
    ring.threshold[slot] = threshold;
  }

  /**
   * `count` buckets of `bucketMinutes` from `startMinute`, for one source or all (max of maxima,
   * sums and counts added, the highest threshold).
   */
  buckets(startMinute: number, bucketMinutes: number, count: number, source?: string): SummaryBucket[] {
    const out: SummaryBucket[] = Array.from({ length: count }, () => ({ max: null, sum: 0, count: 0, threshold: null }));
    const rings = source === undefined ? [...this.#rings.values()] : [this.#rings.get(source)].filter((r) => r !== undefined);
    const endMinute = startMinute + bucketMinutes * count;
    for (const ring of rings) {
      for (let minute = Math.max(startMinute, endMinute - this.minutes); minute < endMinute; minute++) {
        const slot = minute % this.minutes;
        if (ring.minute[slot] !== minute) continue;
        const bucket = out[Math.floor((minute - startMinute) / bucketMinutes)]!;
        bucket.max = bucket.max === null ? ring.max[slot]! : Math.max(bucket.max, ring.max[slot]!);
        bucket.sum += ring.sum[slot]!;
        bucket.count += ring.count[slot]!;
        const threshold = ring.threshold[slot]!;
        if (Number.isFinite(threshold)) bucket.threshold = bucket.threshold === null ? threshold : Math.max(bucket.threshold, threshold);
      }
    }
    return out;
  }
}
