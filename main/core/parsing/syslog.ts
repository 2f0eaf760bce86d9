/**
 * Syslog header parsing: one line in, a `SyslogRecord` or `undefined` out.
 *
 * Handles, in this order of precedence:
 * - RFC 5424 (`<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG`): nil values (`-`), RFC 3339
 *   timestamps with a 1–9 digit fraction kept to the nanosecond, structured data flattened into
 *   `fields` as `<sd-id>.<param-name>`, and the UTF-8 BOM that may open MSG.
 * - RFC 3164 / BSD (`<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG`), also without PRI as in
 *   /var/log/auth.log, and rsyslog's high-precision variant that puts an RFC 3339 timestamp in
 *   the BSD header. The BSD timestamp has no year and no zone: it is read as UTC in the year of
 *   `nowNs`, or the year before when that would put it more than a day in the future.
 *
 * Leaves out: header length limits, PRI-less RFC 5424, Cisco/Juniper vendor headers (they fall
 * back to "message after PRI"), time zones for BSD timestamps.
 *
 * A line with a valid PRI whose header does not parse still yields a record: the text after
 * the PRI, facility and severity from the PRI, no timestamp. A PRI above 191, or digits that are
 * not a PRI (`<>`, `<1234>`), mean facility 1 (user), severity 5 (notice), as the original did.
 * The scanner is hand-written (indexOf/charCodeAt, no regex) because it runs once per line at
 * ingest rates above a million lines per second; it never throws.
 */
import type { Fields, LogRecord } from '../event.js';
import { severityFromSyslog, severityFromText } from '../severity.js';

/** A `LogRecord` with the syslog header values it was parsed from. */
export interface SyslogRecord extends LogRecord {
  /** 0–23 (RFC 5424 §6.2.1); 1 when the PRI was absent or invalid. */
  facility: number;
  /** 0 (emergency) – 7 (debug); 5 when the PRI was absent or invalid. */
  syslogSeverity: number;
  rfc: '5424' | '3164';
}

/** user.notice: what a missing or invalid PRI means. */
const DEFAULT_PRI = 1 * 8 + 5;
const MAX_PRI = 191;

const SP = 0x20;
const DQUOTE = 0x22;
const PLUS = 0x2b;
const DASH = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const COLON = 0x3a;
const LT = 0x3c;
const EQUALS = 0x3d;
const GT = 0x3e;
const LBRACKET = 0x5b;
const BACKSLASH = 0x5c;
const RBRACKET = 0x5d;
const BOM = 0xfeff;

const NS_PER_S = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400;
/** 10^(9-k): scales a k-digit fraction to nanoseconds. */
const FRACTION_SCALE = [1e9, 1e8, 1e7, 1e6, 1e5, 1e4, 1e3, 100, 10, 1];

// ── Public API ──────────────────────────────────────────────────────────────────────────────

/**
 * Parse one syslog line.
 *
 * @param line - one message, without its framing (no trailing newline).
 * @param nowNs - the receive time in ns since the epoch; gives BSD timestamps their year.
 * @returns the record, or `undefined` when the line has no syslog shape (the caller treats it
 *   as plain text).
 */
export function parseSyslogLine(line: string, nowNs: bigint): SyslogRecord | undefined {
  if (line.charCodeAt(0) !== LT) return parseBsd(line, 0, DEFAULT_PRI, nowNs, false);

  // PRI: "<" 1*3DIGIT ">"; a longer digit run or none is a PRI we cannot use.
  let i = 1;
  let value = 0;
  while (i < 12) {
    const d = line.charCodeAt(i) - ZERO;
    if (!(d >= 0 && d <= 9)) break; // NaN past the end fails too
    value = value * 10 + d;
    i++;
  }
  if (line.charCodeAt(i) !== GT) return undefined;
  const digits = i - 1;
  const pri = digits >= 1 && digits <= 3 && value <= MAX_PRI ? value : DEFAULT_PRI;
  const start = i + 1;

  if (line.charCodeAt(start) === 0x31 && line.charCodeAt(start + 1) === SP) {
    return parse5424(line, start + 2, pri) ?? malformed(line, start, pri, '5424');
  }
  return parseBsd(line, start, pri, nowNs, true) ?? malformed(line, start, pri, '3164');
}

// ── Records ─────────────────────────────────────────────────────────────────────────────────

function newRecord(message: string, pri: number, rfc: '5424' | '3164'): SyslogRecord {
  const syslogSeverity = pri & 7;
  return { message, severity: severityFromSyslog(syslogSeverity), facility: pri >> 3, syslogSeverity, rfc };
}

/** A valid PRI followed by a header we could not read: keep everything after the PRI. */
function malformed(line: string, start: number, pri: number, rfc: '5424' | '3164'): SyslogRecord {
  return newRecord(line.slice(start), pri, rfc);
}

// ── RFC 5424 ────────────────────────────────────────────────────────────────────────────────

/** Parse from just after `<PRI>1 `; undefined when any header part is malformed. */
function parse5424(line: string, p: number, pri: number): SyslogRecord | undefined {
  const len = line.length;

  let timestampNs: bigint | undefined;
  let end = line.indexOf(' ', p);
  if (end < 0) return undefined;
  if (end !== p + 1 || line.charCodeAt(p) !== DASH) {
    timestampNs = parseRfc3339(line, p, end);
    if (timestampNs === undefined) return undefined;
  }
  p = end + 1;

  end = line.indexOf(' ', p);
  if (end <= p) return undefined;
  const host = nilOrSlice(line, p, end);
  p = end + 1;

  end = line.indexOf(' ', p);
  if (end <= p) return undefined;
  const app = nilOrSlice(line, p, end);
  p = end + 1;

  end = line.indexOf(' ', p);
  if (end <= p) return undefined;
  const procId = nilOrSlice(line, p, end);
  p = end + 1;

  end = line.indexOf(' ', p);
  if (end <= p) return undefined;
  const msgId = nilOrSlice(line, p, end);
  p = end + 1;

  // STRUCTURED-DATA: "-" or one or more [elements]
  let fields: Fields | undefined;
  const c = line.charCodeAt(p);
  if (c === DASH) {
    p++;
  } else if (c === LBRACKET) {
    fields = {};
    p = parseStructuredData(line, p, fields);
    if (p < 0) return undefined;
  } else {
    return undefined;
  }

  let message = '';
  if (p < len) {
    if (line.charCodeAt(p) !== SP) return undefined;
    p++;
    if (line.charCodeAt(p) === BOM) p++;
    message = line.slice(p);
  }

  const record = newRecord(message, pri, '5424');
  if (timestampNs !== undefined) record.timestampNs = timestampNs;
  if (host !== undefined) record.host = host;
  if (app !== undefined) record.app = app;
  if (procId !== undefined) record.procId = procId;
  if (msgId !== undefined) record.msgId = msgId;
  if (fields !== undefined) record.fields = fields;
  return record;
}

function nilOrSlice(line: string, start: number, end: number): string | undefined {
  return end === start + 1 && line.charCodeAt(start) === DASH ? undefined : line.slice(start, end);
}

/**
 * SD-ELEMENTs from `p` (at a `[`) into `fields`; returns the index after the last `]`, or -1.
 * Values unescape `\"`, `\\` and `\]`; any other backslash is kept (RFC 5424 §6.3.3). A
 * repeated parameter name keeps its last value.
 */
function parseStructuredData(line: string, p: number, fields: Fields): number {
  const len = line.length;
  while (line.charCodeAt(p) === LBRACKET) {
    p++;
    let q = p;
    for (; q < len; q++) {
      const c = line.charCodeAt(q);
      if (c === SP || c === RBRACKET) break;
      if (c === EQUALS || c === DQUOTE) return -1;
    }
    if (q === p || q >= len) return -1;
    const prefix = line.slice(p, q) + '.';
    p = q;

    while (line.charCodeAt(p) === SP) {
      p++;
      q = p;
      for (; q < len; q++) {
        const c = line.charCodeAt(q);
        if (c === EQUALS) break;
        if (c === SP || c === RBRACKET || c === DQUOTE) return -1;
      }
      if (q === p || q >= len || line.charCodeAt(q + 1) !== DQUOTE) return -1;
      const name = line.slice(p, q);
      p = q + 2;

      let value = '';
      let segment = p;
      for (; p < len; p++) {
        const c = line.charCodeAt(p);
        if (c === DQUOTE) break;
        if (c === BACKSLASH) {
          const next = line.charCodeAt(p + 1);
          if (next === DQUOTE || next === BACKSLASH || next === RBRACKET) {
            value += line.slice(segment, p);
            segment = p + 1; // the escaped character starts the next segment
            p++; // and is never a terminator
          }
        }
      }
      if (p >= len) return -1;
      fields[prefix + name] = value + line.slice(segment, p);
      p++;
    }
    if (line.charCodeAt(p) !== RBRACKET) return -1;
    p++;
  }
  return p;
}

/**
 * RFC 3339 `YYYY-MM-DDThh:mm:ss[.f{1,9}](Z|±hh:mm)` filling exactly [start, end) → ns since
 * the epoch, or undefined when it is not one.
 */
function parseRfc3339(line: string, start: number, end: number): bigint | undefined {
  if (end - start < 20) return undefined;
  const year = digits4(line, start);
  const month = digits2(line, start + 5);
  const day = digits2(line, start + 8);
  const hour = digits2(line, start + 11);
  const minute = digits2(line, start + 14);
  const second = digits2(line, start + 17);
  if (
    year < 0 ||
    line.charCodeAt(start + 4) !== DASH ||
    line.charCodeAt(start + 7) !== DASH ||
    (line.charCodeAt(start + 10) | 0x20) !== 0x74 || // T or t
    line.charCodeAt(start + 13) !== COLON ||
    line.charCodeAt(start + 16) !== COLON ||
    !isValidDate(year, month, day) ||
    !isValidTime(hour, minute, second)
  ) {
    return undefined;
  }

  let p = start + 19;
  let fractionNs = 0;
  if (line.charCodeAt(p) === DOT) {
    const first = ++p;
    let fraction = 0;
    for (; p < end; p++) {
      const d = line.charCodeAt(p) - ZERO;
      if (!(d >= 0 && d <= 9)) break;
      fraction = fraction * 10 + d;
    }
    const count = p - first;
    if (count < 1 || count > 9) return undefined;
    fractionNs = fraction * (FRACTION_SCALE[count] as number);
  }

  let offsetSeconds = 0;
  const zone = line.charCodeAt(p);
  if ((zone | 0x20) === 0x7a) {
    // Z or z
    if (p + 1 !== end) return undefined;
  } else if (zone === PLUS || zone === DASH) {
    const offsetHour = digits2(line, p + 1);
    const offsetMinute = digits2(line, p + 4);
    if (p + 6 !== end || line.charCodeAt(p + 3) !== COLON || offsetHour < 0 || offsetHour > 23) return undefined;
    if (offsetMinute < 0 || offsetMinute > 59) return undefined;
    offsetSeconds = (offsetHour * 3600 + offsetMinute * 60) * (zone === PLUS ? 1 : -1);
  } else {
    return undefined;
  }

  const seconds =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second - offsetSeconds;
  return toNs(seconds, fractionNs);
}

// ── RFC 3164 / BSD ──────────────────────────────────────────────────────────────────────────

/**
 * Parse a BSD header from `p`: a timestamp (`Mmm dd hh:mm:ss[.fff]`, or RFC 3339 as rsyslog
 * writes it), then HOST and TAG. A first token that ends in `:` or holds `[` is the TAG of a
 * sender that left out the host. Without a PRI (`hasPri` false) the line must look like syslog:
 * a BSD timestamp with a host or a tag, or an RFC 3339 timestamp with a `TAG:`, and a host that
 * is not a level word.
 */
function parseBsd(line: string, p: number, pri: number, nowNs: bigint, hasPri: boolean): SyslogRecord | undefined {
  let timestampNs: bigint | undefined;
  let isIsoTimestamp = false;
  let end: number;

  const month = monthAt(line, p);
  if (month > 0) {
    // "Mmm dd", "Mmm  d" or "Mmm d"
    let day: number;
    let timeAt: number;
    const c4 = line.charCodeAt(p + 4) - ZERO;
    const c5 = line.charCodeAt(p + 5) - ZERO;
    if (line.charCodeAt(p + 4) === SP && c5 >= 1 && c5 <= 9) {
      day = c5;
      timeAt = p + 6;
    } else if (c4 >= 0 && c4 <= 9 && c5 >= 0 && c5 <= 9) {
      day = c4 * 10 + c5;
      timeAt = p + 6;
    } else if (c4 >= 1 && c4 <= 9) {
      day = c4;
      timeAt = p + 5;
    } else {
      return undefined;
    }
    if (line.charCodeAt(timeAt) !== SP) return undefined;
    timeAt++;
    const hour = digits2(line, timeAt);
    const minute = digits2(line, timeAt + 3);
    const second = digits2(line, timeAt + 6);
    if (
      line.charCodeAt(timeAt + 2) !== COLON ||
      line.charCodeAt(timeAt + 5) !== COLON ||
      !isValidTime(hour, minute, second) ||
      day > 31
    ) {
      return undefined;
    }
    end = timeAt + 8;
    let fractionNs = 0;
    if (line.charCodeAt(end) === DOT) {
      const first = ++end;
      let fraction = 0;
      for (; end < first + 9; end++) {
        const d = line.charCodeAt(end) - ZERO;
        if (!(d >= 0 && d <= 9)) break;
        fraction = fraction * 10 + d;
      }
      if (end === first) return undefined;
      fractionNs = fraction * (FRACTION_SCALE[end - first] as number);
    }
    timestampNs = bsdTimestamp(month, day, hour * 3600 + minute * 60 + second, fractionNs, nowNs);
    if (timestampNs === undefined) return undefined;
  } else {
    if (digits4(line, p) < 0 || line.charCodeAt(p + 4) !== DASH) return undefined;
    end = line.indexOf(' ', p);
    if (end < 0) return undefined;
    timestampNs = parseRfc3339(line, p, end);
    if (timestampNs === undefined) return undefined;
    isIsoTimestamp = true;
  }

  const len = line.length;
  if (end < len && line.charCodeAt(end) !== SP) return undefined;
  p = end + 1;

  // HOST, unless the first token is already the TAG (senders that omit the host)
  let host: string | undefined;
  let tokenEnd = line.indexOf(' ', p);
  if (tokenEnd < 0) tokenEnd = len;
  if (tokenEnd > p && !looksLikeTag(line, p, tokenEnd)) {
    host = line.slice(p, tokenEnd);
    p = tokenEnd + 1;
  }

  // TAG[PID]: or TAG:
  let app: string | undefined;
  let procId: string | undefined;
  let messageAt = p;
  let q = p;
  for (; q < len; q++) {
    const c = line.charCodeAt(q);
    if (c === COLON || c === LBRACKET || c === SP) break;
  }
  if (q > p && q < len) {
    const stop = line.charCodeAt(q);
    if (stop === COLON && (q + 1 === len || line.charCodeAt(q + 1) === SP)) {
      app = line.slice(p, q);
      messageAt = q + 1;
    } else if (stop === LBRACKET) {
      let r = q + 1;
      for (; r < len; r++) {
        const c = line.charCodeAt(r);
        if (c === RBRACKET || c === SP) break;
      }
      if (line.charCodeAt(r) === RBRACKET) {
        const after = line.charCodeAt(r + 1);
        if (after === COLON || after === SP || r + 1 === len) {
          app = line.slice(p, q);
          if (r > q + 1) procId = line.slice(q + 1, r);
          messageAt = after === COLON ? r + 2 : r + 1;
        }
      }
    }
    if (app !== undefined && line.charCodeAt(messageAt) === SP) messageAt++;
  }
  // Without a PRI, demand more evidence that this is syslog and not an application log line
  // such as `2026-11-30T10:00:00Z ERROR worker: failed`.
  if (!hasPri) {
    if (app === undefined && (isIsoTimestamp || host === undefined)) return undefined;
    if (host !== undefined && severityFromText(host) !== undefined) return undefined;
  }

  const record = newRecord(messageAt < len ? line.slice(messageAt) : '', pri, '3164');
  record.timestampNs = timestampNs;
  if (host !== undefined) record.host = host;
  if (app !== undefined) record.app = app;
  if (procId !== undefined) record.procId = procId;
  return record;
}

/** `sshd[123]:`, `kernel:`: a first token that is a TAG, not a HOST. */
function looksLikeTag(line: string, start: number, end: number): boolean {
  if (line.charCodeAt(end - 1) === COLON) return true;
  for (let i = start + 1; i < end; i++) if (line.charCodeAt(i) === LBRACKET) return true;
  return false;
}

/** jan…dec (any case) → 1…12 when followed by a space, else 0. */
function monthAt(line: string, p: number): number {
  if (line.charCodeAt(p + 3) !== SP) return 0;
  const key =
    ((line.charCodeAt(p) | 0x20) << 16) | ((line.charCodeAt(p + 1) | 0x20) << 8) | (line.charCodeAt(p + 2) | 0x20);
  return MONTHS.get(key) ?? 0;
}

const MONTHS = new Map<number, number>(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((name, i) => [
    (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
    i + 1,
  ]),
);

// The year of the last `nowNs` seen: receivers pass one clock reading per line, so caching
// the year boundaries spares a calendar computation per line.
let cachedNowNs = -1n;
let cachedNowSeconds = 0;
let cachedYear = 1970;
let cachedYearStart = 0;
let cachedYearEnd = 0;

/** A BSD timestamp (UTC, no year) → ns, in the year of `nowNs` unless > 1 day ahead of it. */
function bsdTimestamp(
  month: number,
  day: number,
  secondOfDay: number,
  fractionNs: number,
  nowNs: bigint,
): bigint | undefined {
  if (nowNs !== cachedNowNs) {
    cachedNowNs = nowNs;
    cachedNowSeconds = Number(nowNs / NS_PER_S);
    if (cachedNowSeconds < cachedYearStart || cachedNowSeconds >= cachedYearEnd) {
      cachedYear = yearOfEpochSeconds(cachedNowSeconds);
      cachedYearStart = daysFromCivil(cachedYear, 1, 1) * SECONDS_PER_DAY;
      cachedYearEnd = daysFromCivil(cachedYear + 1, 1, 1) * SECONDS_PER_DAY;
    }
  }
  let year = cachedYear;
  let seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + secondOfDay;
  if (seconds > cachedNowSeconds + SECONDS_PER_DAY) {
    year--;
    seconds = daysFromCivil(year, month, day) * SECONDS_PER_DAY + secondOfDay;
  }
  if (!isValidDate(year, month, day)) return undefined; // Feb 29 outside a leap year
  if (!Number.isSafeInteger(seconds)) return undefined; // a nonsensical clock
  return toNs(seconds, fractionNs);
}

// ── Calendar arithmetic ─────────────────────────────────────────────────────────────────────

/** Days since 1970-01-01 of a proleptic Gregorian date (any year, unlike Date.UTC's 0–99). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const shiftedMonth = month > 2 ? month - 3 : month + 9; // March = 0, so leap days fall last
  const dayOfYear = Math.floor((153 * shiftedMonth + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function yearOfEpochSeconds(seconds: number): number {
  return new Date(Math.floor(seconds / SECONDS_PER_DAY) * SECONDS_PER_DAY * 1000).getUTCFullYear();
}

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const max = month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month] as number);
  return day <= max;
}

/** Leap seconds (:60) are rejected, as RFC 5424 §6.2.3 requires. */
function isValidTime(hour: number, minute: number, second: number): boolean {
  return hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
}

/** Whole seconds since the epoch plus a nanosecond fraction → exact ns. */
function toNs(seconds: number, fractionNs: number): bigint {
  const whole = BigInt(seconds) * NS_PER_S;
  return fractionNs === 0 ? whole : whole + BigInt(fractionNs);
}

/** Two ASCII digits at `p` → 0–99, or -1. */
function digits2(line: string, p: number): number {
  const a = line.charCodeAt(p) - ZERO;
  const b = line.charCodeAt(p + 1) - ZERO;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function digits4(line: string, p: number): number {
  const high = digits2(line, p);
  const low = digits2(line, p + 2);
  return high >= 0 && low >= 0 ? high * 100 + low : -1;
}
