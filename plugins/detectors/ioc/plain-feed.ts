/**
 * Plain blocklists, as they are usually published:
 *
 * - `lines`: one indicator per line, its type detected (`detectIndicator`: URL, IPv4/IPv6
 *   address or CIDR, `ip:port`, MD5/SHA-1/SHA-256, domain) unless the feed names one. `#` starts
 *   a comment line; text after ` #` or ` ;` on a line is a comment too (Spamhaus DROP writes
 *   `1.2.3.0/24 ; SBL123`). Hosts-file lines (`0.0.0.0 evil.example`) give their domain.
 * - `csv`: one indicator per row in a configured column, by 1-based index or by header name. The
 *   header is the first row that is not a comment, or, when the name is not there, the last
 *   comment line before the data (abuse.ch comments its header out: `# id,dateadded,url,…`).
 *   Quoted fields follow RFC 4180 (doubled quotes inside quotes); a row stays on one line.
 *
 * A line that gives no indicator is counted as rejected, with its first few line numbers kept
 * for the feed's status. Pure: no I/O.
 */
import { canonicalIndicator, detectIndicator, type IndicatorType } from './indicator.js';

export interface PlainFeedFormat {
  format: 'lines' | 'csv';
  /** Forces every value to this type instead of detecting it. */
  indicatorType: IndicatorType | 'auto';
  /** CSV: a 1-based column number or a header name. */
  csvColumn: number | string;
  csvDelimiter: string;
}

export interface PlainIndicator {
  type: IndicatorType;
  value: string;
}

export interface PlainFeedResult {
  indicators: PlainIndicator[];
  /** Lines that were neither blank, comments nor indicators. */
  rejected: number;
  /** The first MAX_REJECTED_SAMPLES of them: 1-based line number and a cut of the text. */
  rejectedSamples: Array<{ line: number; text: string }>;
}

export const MAX_REJECTED_SAMPLES = 5;

export class PlainFeedError extends Error {
  override name = 'PlainFeedError';
  constructor(
    message: string,
    readonly code: 'csv_column',
  ) {
    super(message);
  }
}

/** Parses a whole feed body. Throws PlainFeedError only when a named CSV column is nowhere. */
export function parsePlainFeed(text: string, format: PlainFeedFormat): PlainFeedResult {
  const result: PlainFeedResult = { indicators: [], rejected: 0, rejectedSamples: [] };
  const lines = text.split(/\r?\n/);
  const reject = (index: number, line: string) => {
    result.rejected++;
    if (result.rejectedSamples.length < MAX_REJECTED_SAMPLES) result.rejectedSamples.push({ line: index + 1, text: line.slice(0, 120) });
  };
  const take = (raw: string, index: number, line: string) => {
    const indicator = toIndicator(raw, format.indicatorType);
    if (indicator) result.indicators.push(indicator);
    else reject(index, line);
  };

  if (format.format === 'lines') {
    lines.forEach((line, index) => {
      const token = lineToken(line);
      if (token !== undefined) take(token, index, line);
    });
    return result;
  }

  const { column, firstData } = locateColumn(lines, format);
  for (let index = firstData; index < lines.length; index++) {
    const line = lines[index] as string;
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith('#')) continue;
    const cell = splitCsvRow(line, format.csvDelimiter)[column];
    if (cell === undefined || cell.trim().length === 0) reject(index, line);
    else take(cell, index, line);
  }
  return result;
}

function toIndicator(raw: string, type: IndicatorType | 'auto'): PlainIndicator | undefined {
  if (type === 'auto') return detectIndicator(raw);
  const value = canonicalIndicator(type, raw);
  return value === undefined ? undefined : { type, value };
}

const HOSTS_SINKS = new Set(['0.0.0.0', '127.0.0.1', '::', '::1']);

/** The indicator text of one `lines` line, or undefined for blanks and comments. */
function lineToken(line: string): string | undefined {
  let text = line.trim();
  if (text.length === 0 || text.startsWith('#') || text.startsWith(';') || text.startsWith('//')) return undefined;
  const comment = text.search(/\s[#;]/);
  if (comment !== -1) text = text.slice(0, comment).trim();
  const parts = text.split(/\s+/);
  if (parts.length === 2 && HOSTS_SINKS.has(parts[0] as string)) return parts[1];
  return text; // several other tokens: the whole text, which detection then rejects
}

/** The 0-based column to read and the index of the first line after the header (if any). */
function locateColumn(lines: string[], format: PlainFeedFormat): { column: number; firstData: number } {
  if (typeof format.csvColumn === 'number') return { column: format.csvColumn - 1, firstData: 0 };
  const wanted = format.csvColumn.trim().toLowerCase();
  let lastComment: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const trimmed = (lines[index] as string).trim();
    if (trimmed.length === 0) continue;
    if (trimmed.startsWith('#')) {
      lastComment = trimmed.replace(/^#+\s*/, '');
      continue;
    }
    const header = findColumn(trimmed, wanted, format.csvDelimiter);
    if (header !== -1) return { column: header, firstData: index + 1 };
    const commented = lastComment === undefined ? -1 : findColumn(lastComment, wanted, format.csvDelimiter);
    if (commented !== -1) return { column: commented, firstData: index };
    break;
  }
  throw new PlainFeedError(`CSV column "${format.csvColumn}" is not in the header row`, 'csv_column');
}

function findColumn(row: string, wanted: string, delimiter: string): number {
  return splitCsvRow(row, delimiter).findIndex((cell) => cell.trim().toLowerCase() === wanted);
}

/** One CSV row's cells (RFC 4180 quoting, on one line). */
export function splitCsvRow(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"') {
        if (line[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell.trim().length === 0) {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += c;
  }
  cells.push(cell);
  return cells;
}
