/**
 * Reading and moving the timestamps of the demo's lines, so a replay happens "now": the RFC 5424
 * header time (`<38>1 2026-11-30T09:38:10.000Z host …`) and the common/combined log format time
 * (`[30/Nov/2026:09:48:07 +0000]`). Only the formats `story.ts` writes; anything else has no time
 * (NaN) and is left as it is.
 */

const RFC5424 = /^(<\d{1,3}>1 )(\S+)/;
const CLF = /\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})\]/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function clfMs(match: RegExpExecArray): number {
  const [, day, month, year, h, m, s, sign, zh, zm] = match;
  const offsetMin = (sign === '-' ? -1 : 1) * (Number(zh) * 60 + Number(zm));
  return Date.UTC(Number(year), MONTHS.indexOf(month!), Number(day), Number(h), Number(m), Number(s)) - offsetMin * 60_000;
}

function formatClf(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

/** The line's event time in epoch milliseconds; NaN when it carries none this module reads. */
export function lineTimeMs(line: string): number {
  const header = RFC5424.exec(line);
  if (header) return Date.parse(header[2]!);
  const clf = CLF.exec(line);
  return clf ? clfMs(clf) : Number.NaN;
}

/** The line with its timestamp moved by `shiftMs` (UTC out); unchanged when it has none. */
export function shiftLine(line: string, shiftMs: number): string {
  const header = RFC5424.exec(line);
  if (header) {
    const ms = Date.parse(header[2]!);
    return Number.isNaN(ms) ? line : `${header[1]}${new Date(ms + shiftMs).toISOString()}${line.slice(header[0].length)}`;
  }
  const clf = CLF.exec(line);
  if (!clf) return line;
  return line.slice(0, clf.index) + formatClf(clfMs(clf) + shiftMs) + line.slice(clf.index + clf[0].length);
}
