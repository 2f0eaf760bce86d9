/**
 * Structured input (JSON lines, webhook bodies) → `LogRecord`, keeping every field.
 *
 * Nested objects flatten to dot-paths (`user.name`), arrays become JSON text, and the number of
 * fields, their depth and their length are bounded so hostile input cannot blow up memory. The
 * message, time, severity, host and app come from the usual keys, or from an explicit mapping
 * (`{ message: 'alert.text' }`) when one is configured.
 */
import type { Fields, LogRecord } from '../event.js';
import { severityFromOtel, severityFromSyslog, severityFromText, type Severity } from '../severity.js';
import { parseTimestampNs } from '../time.js';
import { setField } from './set-field.js';
import { flattenWindowsEvent, isWindowsEvent, windowsSeverity } from './windows-event.js';

const MAX_FIELDS = 256;
const MAX_DEPTH = 8;
const MAX_VALUE_CHARS = 8192;

const MESSAGE_KEYS = ['message', 'msg', 'MESSAGE', 'Message', 'log', '@message', 'text', 'body', 'event.original'];
const TIME_KEYS = ['@timestamp', 'timestamp', 'time', 'ts', 'datetime', 'UtcTime', 'TimeCreated', 'EventTime', '__REALTIME_TIMESTAMP'];
const SEVERITY_KEYS = ['level', 'severity', 'log.level', 'levelname', 'Severity', 'PRIORITY', 'SeverityValue'];
const HOST_KEYS = ['host.name', 'hostname', 'host', 'Computer', 'Hostname', '_HOSTNAME', 'agent.hostname'];
const APP_KEYS = ['app', 'service.name', 'service', 'program', 'appname', 'SYSLOG_IDENTIFIER', 'logger', 'Provider_Name', 'SourceName'];

/**
 * Flatten a JSON value into `fields` under `prefix`: objects to dot-paths, arrays to JSON text,
 * bounded in field count (256), depth (8) and value length (8192 characters).
 */
export function flattenInto(fields: Fields, value: unknown, prefix: string, depth = 0): void {
  if (Object.keys(fields).length >= MAX_FIELDS) return;
  if (value === null || typeof value === 'boolean' || typeof value === 'number') {
    if (prefix) setField(fields, prefix, value);
  } else if (typeof value === 'string') {
    if (prefix) setField(fields, prefix, value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value);
  } else if (Array.isArray(value) || depth >= MAX_DEPTH) {
    if (prefix) setField(fields, prefix, JSON.stringify(value).slice(0, MAX_VALUE_CHARS));
  } else if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      flattenInto(fields, item, prefix ? `${prefix}.${key}` : key, depth + 1);
    }
  }
}

function firstString(fields: Fields, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = fields[key];
    if (typeof value === 'string' && value !== '') return value;
    if (typeof value === 'number') return String(value);
  }
  return undefined;
}

function severityOf(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) {
    const n = Number(value);
    // journald PRIORITY is syslog 0–7; larger numbers are OTLP-style severity numbers.
    return n <= 7 ? severityFromSyslog(n) : severityFromOtel(n);
  }
  return severityFromText(value);
}

/** Map of event part → dot-path in the body, e.g. `{ message: 'alert.text' }`. */
export type FieldMapping = Record<string, string>;

const MAX_SUMMARY_CHARS = 2048;

/**
 * An evtx_dump record: Sigma's flat field names, the computer as host, the provider as app, the
 * record's own time and level; its message names the channel and event id, then the event data
 * values (so free-text search finds a command line or a path).
 */
function windowsRecord(object: Record<string, unknown>): LogRecord {
  const fields = flattenWindowsEvent(object);
  const text = (key: string) => (typeof fields[key] === 'string' || typeof fields[key] === 'number' ? String(fields[key]) : '');
  const system = new Set(['Channel', 'EventID', 'Computer', 'Provider_Name', 'TimeCreated_SystemTime', 'Level', 'EventRecordID']);
  const data = Object.entries(fields)
    .filter(([key, value]) => !system.has(key) && !key.includes('_') && typeof value === 'string' && value !== '')
    .map(([, value]) => value as string);
  return {
    message: `${text('Channel')} ${text('EventID')}: ${data.join(' ')}`.trim().slice(0, MAX_SUMMARY_CHARS),
    timestampNs: parseTimestampNs(fields['TimeCreated_SystemTime']),
    severity: windowsSeverity(fields['Level']),
    host: text('Computer') || undefined,
    app: text('Provider_Name') || undefined,
    fields,
  };
}

/** A JSON object → record. `mapping` paths win over the usual keys. */
export function recordFromObject(object: Record<string, unknown>, mapping: FieldMapping = {}): LogRecord {
  if (isWindowsEvent(object)) return windowsRecord(object);
  const fields: Fields = {};
  flattenInto(fields, object, '');
  const pick = (part: string, keys: string[]) => {
    const mapped = mapping[part];
    return mapped !== undefined ? firstString(fields, [mapped]) : firstString(fields, keys);
  };
  const timestamp = mapping.timestamp ? fields[mapping.timestamp] : TIME_KEYS.map((k) => fields[k]).find((v) => v !== undefined);
  return {
    message: pick('message', MESSAGE_KEYS) ?? JSON.stringify(object).slice(0, MAX_VALUE_CHARS * 4),
    timestampNs: timestamp === undefined || timestamp === null ? undefined : parseTimestampNs(timestamp),
    severity: severityOf(pick('severity', SEVERITY_KEYS)),
    host: pick('host', HOST_KEYS),
    app: pick('app', APP_KEYS),
    fields,
  };
}

/** A line that is a JSON object → record; anything else → undefined. */
export function parseJsonLine(line: string): LogRecord | undefined {
  if (line.charCodeAt(0) !== 0x7b /* { */) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  return value && typeof value === 'object' && !Array.isArray(value)
    ? recordFromObject(value as Record<string, unknown>)
    : undefined;
}
