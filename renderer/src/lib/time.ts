/** Nanosecond wire timestamps (decimal strings) → dates and the short forms the screens show. */

/** Milliseconds since the epoch of a `*_ns` string (precision below 1 ms is dropped). */
export function nsToMs(ns: string | null | undefined): number {
  if (!ns) return 0;
  return Number(BigInt(ns) / 1_000_000n);
}

/** `HH:MM:SS` in local time. */
export function clockTime(ns: string | null | undefined): string {
  return ns ? new Date(nsToMs(ns)).toLocaleTimeString([], { hour12: false }) : '—';
}

/** `2026-11-30 10:20:00` in local time. */
export function dateTime(ns: string | null | undefined): string {
  if (!ns) return '—';
  const d = new Date(nsToMs(ns));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** "now", "12s ago", "5m ago", "3h ago", "2d ago" relative to `nowMs`. */
export function ago(ns: string | null | undefined, nowMs = Date.now()): string {
  if (!ns) return '—';
  const seconds = Math.max(0, Math.round((nowMs - nsToMs(ns)) / 1000));
  if (seconds < 5) return 'now';
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

/** `3d 4h`, `2h 5m`, `42s` for an uptime in seconds. */
export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

/** ISO-8601 of `nowMs − hours`, for `since` query parameters. */
export function isoHoursAgo(hours: number, nowMs = Date.now()): string {
  return new Date(nowMs - hours * 3_600_000).toISOString();
}
