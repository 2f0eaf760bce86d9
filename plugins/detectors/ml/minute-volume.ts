/**
 * Event counts per one-minute bucket of event time (never the wall clock), for the volume
 * models. An event in a later minute closes the open bucket, then the skipped minutes are handed
 * over as empty buckets; an event in an earlier minute (late) is not counted.
 */

/** The minute (since the epoch) holding `timestampNs`. */
export function minuteOf(timestampNs: bigint): number {
  return Math.floor(Number(timestampNs) / 60e9);
}

export abstract class MinuteVolume {
  /** The open bucket's minute; -1 before the first event. */
  minute = -1;
  /** Events counted in the open bucket. */
  count = 0;

  /** Counts an event of `minute`. */
  observe(minute: number): void {
    if (minute < this.minute) return;
    if (minute > this.minute) {
      if (this.minute >= 0) {
        this.closeBucket(this.minute, this.count);
        const gap = minute - this.minute - 1;
        if (gap > 0) this.fillGap(minute, gap);
      }
      this.minute = minute;
      this.count = 0;
      this.openBucket(minute);
    }
    this.count++;
  }

  /** Score of an event of `minute`, from the model as it stands (no change). */
  abstract score(minute: number): number;
  protected abstract closeBucket(minute: number, count: number): void;
  /** `buckets` empty minutes just before `nextMinute`. */
  protected abstract fillGap(nextMinute: number, buckets: number): void;
  protected abstract openBucket(minute: number): void;
}
