/** Output helpers for CLI commands: aligned text tables, CSV, relative time windows. */

/** `30m`, `1h`, `7d` → nanoseconds. */
export function parseDuration(text: string): bigint {
  const match = /^(\d+)\s*(s|m|h|d)$/.exec(text.trim());
  if (!match) throw new Error(`bad duration "${text}": use a number and s, m, h or d (e.g. 30m, 24h, 7d)`);
  const unit = { s: 1n, m: 60n, h: 3600n, d: 86_400n }[match[2] as 's' | 'm' | 'h' | 'd'];
  return BigInt(match[1]!) * unit * 1_000_000_000n;
}

/** An ISO-8601 timestamp `duration` before `nowNs`. */
export function isoBefore(duration: string, nowNs: bigint): string {
  return new Date(Number((nowNs - parseDuration(duration)) / 1_000_000n)).toISOString();
}

export function nsToIso(ns: string | bigint): string {
  return new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
}

/** Rows as an aligned table (columns in the order of `columns`), each cell cut to 80 chars. */
export function table(rows: Array<Record<string, unknown>>, columns: string[]): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(',') : String(value);
    return text.length > 80 ? `${text.slice(0, 79)}…` : text;
  };
  const cells = rows.map((row) => columns.map((c) => cell(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns), ...cells.map(line)].join('\n');
}

/** RFC 4180 CSV: fields quoted when they hold a comma, quote or newline. */
export function csvRow(values: unknown[]): string {
  return values
    .map((value) => {
      const text =
        value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
    })
    .join(',');
}
