/**
 * The warm-up latch: an entity is scored only once it has been observed over `warmup_days` (first
 * to last event, event time) and for `warmup_min_events` events; once warm it stays warm
 * (reference §8). `warmup_days` 0 lets replays of short samples warm up on events alone.
 */

const NS_PER_DAY = 86_400_000_000_000n;

export interface WarmupPolicy {
  /** `ueba.warmup_days` (≥ 0, may be fractional). */
  readonly days: number;
  /** `ueba.warmup_min_events` (≥ 1). */
  readonly minEvents: number;
  /** `days` in nanoseconds. */
  readonly spanNs: bigint;
}

/** The API's `warming_up` answer: how far an entity is from being scored. */
export interface WarmupProgress {
  events_observed: number;
  events_required: number;
  days_observed: number;
  days_required: number;
}

export function warmupPolicy(days: number, minEvents: number): WarmupPolicy {
  return { days, minEvents, spanNs: BigInt(Math.round(days * 86_400_000)) * 1_000_000n };
}

export function isWarm(policy: WarmupPolicy, firstSeenNs: bigint, lastSeenNs: bigint, events: number): boolean {
  return events >= policy.minEvents && lastSeenNs - firstSeenNs >= policy.spanNs;
}

/** Days observed are rounded down to 0.01 so a report never claims more than was seen. */
export function warmupProgress(policy: WarmupPolicy, firstSeenNs: bigint, lastSeenNs: bigint, events: number): WarmupProgress {
  const days = Number(((lastSeenNs - firstSeenNs) * 100n) / NS_PER_DAY) / 100;
  return { events_observed: events, events_required: policy.minEvents, days_observed: days, days_required: policy.days };
}
