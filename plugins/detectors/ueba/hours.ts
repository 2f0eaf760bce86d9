/**
 * The hour-of-day histogram of an entity's activity (UTC, on event time) and the time-of-day
 * sub-score: how unusual the event's hour is for that entity (reference §8).
 */

export const HOURS_PER_DAY = 24;
const MS_PER_HOUR = 3_600_000;

/** The UTC hour (0–23) of an event time in milliseconds since the epoch. */
export function utcHour(ms: number): number {
  const hour = Math.floor(ms / MS_PER_HOUR) % HOURS_PER_DAY;
  return hour < 0 ? hour + HOURS_PER_DAY : hour;
}

/** A fresh histogram: 24 counters, one per UTC hour (a plain array: small typed arrays cost GC time). */
export function emptyHours(): number[] {
  return Array<number>(HOURS_PER_DAY).fill(0);
}

/**
 * `max(0, 1 − hours[hour] / max(hours))`: 0 at the entity's busiest hour, 1 at an hour it has never
 * been active; 0 for an empty histogram (nothing to compare with).
 */
export function timeOfDayScore(hours: readonly number[], hour: number): number {
  let max = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) if (hours[h]! > max) max = hours[h]!;
  if (max === 0) return 0;
  return Math.max(0, 1 - hours[hour]! / max);
}
