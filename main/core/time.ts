/**
 * Timestamps from structured input → exact nanoseconds since the epoch.
 *
 * Accepts ISO-8601 / RFC 3339 (`2026-11-30T10:00:00.123456789Z`, `+02:00` offsets, a space for
 * `T`, no zone = UTC) with up to nine fraction digits kept exactly, and epoch numbers whose unit
 * is told by magnitude (s, ms, µs, ns). Anything else → undefined.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9})\d*)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseIsoNs(text: string): bigint | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let ms = Date.UTC(Number(y), month - 1, day, hour, minute, Math.min(second, 59));
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== day) return undefined;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000;
  }
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0'));
}

/** Epoch seconds, ms, µs or ns (by magnitude), as number or digit string. */
export function parseEpochNs(value: number | string): bigint | undefined {
  if (typeof value === 'string') {
    if (/^\d{16,19}$/.test(value)) return BigInt(value);
    if (!/^\d+(\.\d+)?$/.test(value)) return undefined;
    value = Number(value);
  }
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value < 1e11) return BigInt(Math.round(value * 1e6)) * 1000n; // seconds, µs precision
  if (value < 1e14) return BigInt(Math.round(value * 1e3)) * 1000n; // milliseconds
  if (value < 1e17) return BigInt(Math.round(value)) * 1000n; // microseconds
  return BigInt(Math.round(value)); // nanoseconds (beyond 2^53 only exact as a string)
}

export function parseTimestampNs(value: unknown): bigint | undefined {
  if (typeof value === 'number') return parseEpochNs(value);
  if (typeof value !== 'string') return undefined;
  return parseIsoNs(value) ?? parseEpochNs(value);
}
