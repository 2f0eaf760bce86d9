/**
 * `seerflow query events|alerts|timeline` and `seerflow export events|alerts`: read the running
 * appliance through its API. Query prints one page (a table, or JSON with `--json`); export
 * pages through everything in the window as NDJSON or CSV, to stdout or `--output`.
 */
import fs from 'node:fs';
import { systemClockNs } from '../core/clock.js';
import type { ApiClient } from './api-client.js';
import { csvRow, isoBefore, nsToIso, parseDuration, table } from './output.js';

interface Page {
  items: Array<Record<string, unknown>>;
  meta: { total: number; page: number; limit: number };
}

export interface QueryOptions {
  last?: string;
  source?: string;
  severity?: string;
  template?: string;
  entity?: string;
  q?: string;
  type?: string;
  tactic?: string;
  technique?: string;
  limit: string;
  json?: boolean;
}

const EVENT_COLUMNS = ['time', 'severity', 'source_id', 'host', 'app', 'template_id', 'message'];
const ALERT_COLUMNS = ['time', 'severity_text', 'alert_type', 'rule_name', 'entity_value', 'dedup_count', 'alert_id'];

function withTime(rows: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return rows.map((row) => ({ ...row, time: nsToIso(row.timestamp_ns as string) }));
}

function since(options: QueryOptions): string | undefined {
  return options.last ? isoBefore(options.last, systemClockNs()) : undefined;
}

function eventQuery(options: QueryOptions) {
  return {
    since: since(options),
    source: options.source,
    severity: options.severity,
    template_id: options.template,
    entity: options.entity,
    q: options.q,
  };
}

function alertQuery(options: QueryOptions) {
  return {
    since: since(options),
    type: options.type,
    severity: options.severity,
    entity: options.entity,
    tactic: options.tactic,
    technique: options.technique,
  };
}

function print(rows: Array<Record<string, unknown>>, columns: string[], options: QueryOptions, total: number): void {
  if (options.json) {
    for (const row of rows) process.stdout.write(`${JSON.stringify(row)}\n`);
    return;
  }
  process.stdout.write(`${table(withTime(rows), columns)}\n(${rows.length} of ${total})\n`);
}

export async function queryCommand(api: ApiClient, what: 'events' | 'alerts', options: QueryOptions): Promise<void> {
  const limit = Math.min(Number(options.limit), 1000);
  const query = what === 'events' ? eventQuery(options) : alertQuery(options);
  const page = await api.get<Page>(`/${what}`, { ...query, limit });
  print(page.items, what === 'events' ? EVENT_COLUMNS : ALERT_COLUMNS, options, page.meta.total);
}

export async function timelineCommand(api: ApiClient, entity: string, options: QueryOptions): Promise<void> {
  const body = await api.get<{ events: Array<Record<string, unknown>>; total: number }>(
    `/entities/${encodeURIComponent(entity)}/timeline`,
    {
      start_ns: options.last ? (systemClockNs() - parseDuration(options.last)).toString() : undefined,
      source_type: options.source,
      severity_min: options.severity,
      limit: Math.min(Number(options.limit), 10_000),
    },
  );
  print(body.events, EVENT_COLUMNS, options, body.total);
}

export interface ExportOptions extends QueryOptions {
  format: 'ndjson' | 'csv';
  output?: string;
}

export async function exportCommand(api: ApiClient, what: 'events' | 'alerts', options: ExportOptions): Promise<number> {
  const out = options.output ? fs.createWriteStream(options.output) : process.stdout;
  const max = Number(options.limit);
  const query = what === 'events' ? eventQuery(options) : alertQuery(options);
  let written = 0;
  let columns: string[] | undefined;
  for (let page = 1; written < max; page++) {
    const body = await api.get<Page>(`/${what}`, { ...query, page, limit: Math.min(1000, max - written) });
    for (const row of body.items) {
      if (options.format === 'csv') {
        if (!columns) {
          columns = Object.keys(row);
          out.write(`${csvRow(columns)}\n`);
        }
        out.write(`${csvRow(columns.map((c) => row[c]))}\n`);
      } else {
        out.write(`${JSON.stringify(row)}\n`);
      }
    }
    written += body.items.length;
    if (body.items.length === 0 || page * body.meta.limit >= body.meta.total) break;
  }
  if (out !== process.stdout) await new Promise((resolve) => (out as fs.WriteStream).end(resolve));
  return written;
}
