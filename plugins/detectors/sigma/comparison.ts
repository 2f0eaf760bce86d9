/**
 * Numeric comparisons (lt, lte, gt, gte) and the time modifiers (minute, hour, day, week, month,
 * year) of the modifiers appendix. Field values read as decimal or 0x-hex numbers; dates as ISO
 * 8601 text (UTC unless the text names a zone, `2024-01-02 10:00:00` included) or epoch seconds
 * or milliseconds. A value that does not read as a number or date never matches.
 */
import type { FieldValue } from '../../../main/core/event.js';
import type { ValueTest } from './modifiers.js';

export type Comparison = 'lt' | 'lte' | 'gt' | 'gte';
export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

export const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** A field text as a number: decimal or 0x-hex; NaN otherwise. */
export function toNumber(text: string): number {
  const trimmed = text.trim();
  if (DECIMAL.test(trimmed)) return Number(trimmed);
  if (/^0x[0-9a-f]+$/i.test(trimmed)) return Number.parseInt(trimmed.slice(2), 16);
  return Number.NaN;
}

/** A test comparing what `read` makes of a field value with the expected number (equality without a comparison). */
export function compareTest(comparison: Comparison | undefined, expected: number, read: (text: string, raw: FieldValue) => number): ValueTest {
  switch (comparison) {
    case 'lt':
      return (raw, text) => read(text, raw) < expected;
    case 'lte':
      return (raw, text) => read(text, raw) <= expected;
    case 'gt':
      return (raw, text) => read(text, raw) > expected;
    case 'gte':
      return (raw, text) => read(text, raw) >= expected;
    default:
      return (raw, text) => read(text, raw) === expected;
  }
}

const NAIVE_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/** Epoch milliseconds of a field value: ISO text (UTC unless it names a zone) or epoch seconds/ms. */
export function timeOf(raw: FieldValue, text: string): number {
  if (typeof raw === 'number') return raw > 1e12 ? raw : raw * 1000;
  const trimmed = text.trim();
  if (NAIVE_DATE_TIME.test(trimmed)) return Date.parse(`${trimmed.replace(' ', 'T')}Z`);
  if (/^\d{9,13}(\.\d+)?$/.test(trimmed)) return timeOf(Number(trimmed), trimmed);
  return Date.parse(trimmed);
}

/** The UTC minute, hour, day, ISO week, month or year of a field value; NaN when it is no date. */
export function timePartOf(raw: FieldValue, text: string, part: TimePart): number {
  const ms = timeOf(raw, text);
  if (!Number.isFinite(ms)) return Number.NaN;
  const date = new Date(ms);
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'month':
      return date.getUTCMonth() + 1;
    case 'year':
      return date.getUTCFullYear();
    case 'week':
      return isoWeek(date);
  }
}

/** ISO 8601 week number (1–53). */
function isoWeek(date: Date): number {
  const day = (date.getUTCDay() + 6) % 7; // Monday = 0
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day + 3));
  const firstThursday = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
  const firstDay = (firstThursday.getUTCDay() + 6) % 7;
  firstThursday.setUTCDate(firstThursday.getUTCDate() - firstDay + 3);
  return 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86_400_000));
}
