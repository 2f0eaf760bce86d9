/**
 * OTLP logs decoding: an `ExportLogsServiceRequest` (protobuf or OTLP/JSON) → `LogRecord[]`.
 *
 * Mapping, per log record (OTLP logs data model):
 * - `message`: a string body as is; any other body as compact JSON (a bytes body as base64);
 *   no body → ''. A kvlist body's keys are also flattened into `fields`.
 * - `timestampNs`: `time_unix_nano`, else `observed_time_unix_nano` (0 means absent), exact.
 * - `severity`: from `severity_number`, else from `severity_text`; `otelSeverity` keeps 1–24.
 * - `traceId`/`spanId`: lower-case hex; empty or all-zero ids (invalid per W3C) are absent.
 * - attributes → `fields` with dot-paths for nested kvlists and arrays as JSON strings; they win
 *   over body keys of the same name. `event_name` becomes `fields['event.name']` unless an
 *   attribute set it. int64 values become numbers when safe, else decimal strings.
 * - resource attributes → `resourceAttrs` (string values, one frozen object shared by the
 *   records of one resource); `host.name` → `host`, `service.name` → `app`.
 * Leaves out: scope name/version, flags, dropped counts, schema URLs.
 *
 * One walker serves both encodings: it reads protobufjs messages (Long, Uint8Array) and parsed
 * OTLP/JSON (int64 as string or number, ids as hex, bytes as base64), checking every type, so
 * JSON of the wrong shape fails with the path of the offending value.
 */
import protobuf from 'protobufjs';
import { flattenInto } from '../../../main/core/parsing/structured.js';
import type { FieldValue, Fields, LogRecord } from '../../../main/core/event.js';
import { severityFromOtel, severityFromText, type Severity } from '../../../main/core/severity.js';
import {
  EXPORT_REQUEST_TYPE,
  EXPORT_RESPONSE_TYPE,
  OTLP_LOGS_DESCRIPTOR,
  SEVERITY_NUMBERS,
  type OtlpExportLogsRequest,
} from './schema.js';

export type OtlpDecodeErrorCode = 'invalid_protobuf' | 'invalid_json' | 'invalid_shape';

/** Input that is not a valid ExportLogsServiceRequest; `path` locates a shape error. */
export class OtlpDecodeError extends Error {
  readonly code: OtlpDecodeErrorCode;
  /** e.g. `resourceLogs[0].scopeLogs[1].logRecords[2].timeUnixNano`; absent for syntax errors. */
  readonly path: string | undefined;

  constructor(code: OtlpDecodeErrorCode, message: string, path?: string) {
    super(path === undefined ? message : `${path}: ${message}`);
    this.name = 'OtlpDecodeError';
    this.code = code;
    this.path = path;
  }
}

/** How deep AnyValue arrays and kvlists may nest (protobufjs itself stops at 100 messages). */
export const MAX_VALUE_DEPTH = 32;

const root = protobuf.Root.fromJSON(OTLP_LOGS_DESCRIPTOR);
const RequestType = root.lookupType(EXPORT_REQUEST_TYPE);
const ResponseType = root.lookupType(EXPORT_RESPONSE_TYPE);

// ── Public API ──────────────────────────────────────────────────────────────────────────────

/** Decode a binary `ExportLogsServiceRequest`. @throws OtlpDecodeError */
export function decodeOtlpProtobuf(buf: Uint8Array): LogRecord[] {
  let request: unknown;
  try {
    request = RequestType.decode(buf);
  } catch (err) {
    throw new OtlpDecodeError('invalid_protobuf', `malformed protobuf ExportLogsServiceRequest: ${errorText(err)}`);
  }
  return recordsFromRequest(request);
}

/** Decode an OTLP/JSON `ExportLogsServiceRequest`. @throws OtlpDecodeError */
export function decodeOtlpJson(text: string): LogRecord[] {
  let request: unknown;
  try {
    request = JSON.parse(quoteLargeIntegers(text));
  } catch (err) {
    throw new OtlpDecodeError('invalid_json', `malformed JSON: ${errorText(err)}`);
  }
  return recordsFromRequest(request);
}

/**
 * Convert a decoded request object: a protobufjs message, parsed OTLP/JSON, or what
 * @grpc/proto-loader hands a handler with its default options or `longs: String` (bytes must
 * stay raw: a base64 string id is rejected as non-hex). @throws OtlpDecodeError
 */
export function recordsFromRequest(request: unknown): LogRecord[] {
  const records: LogRecord[] = [];
  const top = expectObject(request, '(request)');
  const resourceLogs = expectList(top, 'resourceLogs', '');
  for (let r = 0; r < resourceLogs.length; r++) {
    const rlPath = `resourceLogs[${r}]`;
    const rl = expectObject(resourceLogs[r], rlPath);
    const resource = optionalObject(rl.resource, `${rlPath}.resource`);
    const resourceAttrs = resource === undefined ? undefined : stringAttributes(resource, `${rlPath}.resource`);
    const scopeLogs = expectList(rl, 'scopeLogs', rlPath);
    for (let s = 0; s < scopeLogs.length; s++) {
      const slPath = `${rlPath}.scopeLogs[${s}]`;
      const sl = expectObject(scopeLogs[s], slPath);
      const logRecords = expectList(sl, 'logRecords', slPath);
      for (let i = 0; i < logRecords.length; i++) {
        records.push(convertRecord(logRecords[i], `${slPath}.logRecords[${i}]`, resourceAttrs));
      }
    }
  }
  return records;
}

/**
 * The reply to an export: empty on full success, or a partial success naming how many records
 * were rejected and why.
 */
export function encodeExportLogsResponse(partialSuccess?: {
  rejectedLogRecords: bigint | number;
  errorMessage?: string;
}): Uint8Array {
  if (partialSuccess === undefined) return ResponseType.encode({}).finish();
  const message = ResponseType.fromObject({
    partialSuccess: {
      rejectedLogRecords: String(partialSuccess.rejectedLogRecords),
      errorMessage: partialSuccess.errorMessage ?? '',
    },
  });
  return ResponseType.encode(message).finish();
}

/** Encode a request (for tests and tools); int64 as bigint, string or number, bytes raw. */
export function encodeOtlpProtobuf(request: OtlpExportLogsRequest): Uint8Array {
  return RequestType.encode(RequestType.fromObject(bigintsToStrings(request) as Record<string, unknown>)).finish();
}

// ── One log record ──────────────────────────────────────────────────────────────────────────

type Obj = Record<string, unknown>;

function convertRecord(value: unknown, path: string, resourceAttrs: Readonly<Record<string, string>> | undefined): LogRecord {
  const lr = expectObject(value, path);
  const record: LogRecord = { message: '' };

  let fields: Fields | undefined;
  if (lr.body != null) {
    const body = anyValue(lr.body, `${path}.body`, 0);
    if (typeof body === 'string') {
      record.message = body;
    } else if (body !== null) {
      record.message = typeof body === 'object' ? JSON.stringify(body) : String(body);
      if (typeof body === 'object' && !Array.isArray(body)) {
        fields = {};
        for (const key of Object.keys(body)) flattenInto(fields, body[key], key);
      }
    }
  }
  const attributes = expectList(lr, 'attributes', path);
  if (attributes.length > 0) {
    fields ??= {};
    forEachKeyValue(attributes, `${path}.attributes`, (key, v) => flattenInto(fields as Fields, v, key));
  }
  const eventName = optionalString(lr.eventName, `${path}.eventName`);
  if (eventName) {
    fields ??= {};
    if (!Object.hasOwn(fields, 'event.name')) fields['event.name'] = eventName;
  }

  const time = optionalUint64(lr.timeUnixNano, `${path}.timeUnixNano`);
  const observed = optionalUint64(lr.observedTimeUnixNano, `${path}.observedTimeUnixNano`);
  if (time) record.timestampNs = time;
  else if (observed) record.timestampNs = observed;
  if (observed) record.observedNs = observed;

  const severityNumber = severityNumberOf(lr.severityNumber, `${path}.severityNumber`);
  const severityText = optionalString(lr.severityText, `${path}.severityText`);
  let severity: Severity | undefined = severityFromOtel(severityNumber);
  if (severity !== undefined) record.otelSeverity = severityNumber;
  if (severityText) {
    record.severityText = severityText;
    severity ??= severityFromText(severityText);
  }
  if (severity !== undefined) record.severity = severity;

  const traceId = idHex(lr.traceId, `${path}.traceId`);
  if (traceId !== undefined) record.traceId = traceId;
  const spanId = idHex(lr.spanId, `${path}.spanId`);
  if (spanId !== undefined) record.spanId = spanId;

  if (resourceAttrs !== undefined) {
    record.resourceAttrs = resourceAttrs;
    const host = resourceAttrs['host.name'];
    if (host) record.host = host;
    const app = resourceAttrs['service.name'];
    if (app) record.app = app;
  }
  if (fields !== undefined) record.fields = fields;
  return record;
}

function severityNumberOf(value: unknown, path: string): number {
  if (value == null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const n = SEVERITY_NUMBERS[value];
    if (n !== undefined) return n;
  }
  throw shapeError('expected a SeverityNumber (integer or SEVERITY_NUMBER_* name)', path);
}

/** Resource attributes, flattened like fields, every value as a string. */
function stringAttributes(resource: Obj, path: string): Readonly<Record<string, string>> {
  const flat: Fields = {};
  forEachKeyValue(expectList(resource, 'attributes', path), `${path}.attributes`, (key, v) => flattenInto(flat, v, key));
  const out: Record<string, string> = {};
  for (const key of Object.keys(flat)) {
    const v = flat[key];
    setOwn(out, key, typeof v === 'string' ? v : v === null ? '' : String(v));
  }
  return Object.freeze(out);
}

// ── AnyValue ────────────────────────────────────────────────────────────────────────────────

/** An AnyValue as plain JSON-able data: int64 → number when safe, else a decimal string. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

const ANY_VALUE_KEYS = ['stringValue', 'boolValue', 'intValue', 'doubleValue', 'arrayValue', 'kvlistValue', 'bytesValue'];

function anyValue(value: unknown, path: string, depth: number): Value {
  if (value == null) return null;
  if (depth > MAX_VALUE_DEPTH) throw shapeError(`values nested deeper than ${MAX_VALUE_DEPTH} levels`, path);
  const any = expectObject(value, path);

  // A protobufjs message holds only the member that was set as an own property.
  let kind: string | undefined;
  for (const key of ANY_VALUE_KEYS) {
    if (Object.hasOwn(any, key) && any[key] != null) {
      if (kind !== undefined) throw shapeError(`AnyValue sets both ${kind} and ${key}`, path);
      kind = key;
    }
  }
  if (kind === undefined) return null;
  const v = any[kind];
  const at = `${path}.${kind}`;

  switch (kind) {
    case 'stringValue':
      if (typeof v !== 'string') throw shapeError('expected a string', at);
      return v;
    case 'boolValue':
      if (typeof v !== 'boolean') throw shapeError('expected a boolean', at);
      return v;
    case 'intValue': {
      const n = int64(v, at, true);
      return n >= Number.MIN_SAFE_INTEGER && n <= Number.MAX_SAFE_INTEGER ? Number(n) : n.toString();
    }
    case 'doubleValue':
      return double(v, at);
    case 'bytesValue':
      return bytesToBase64(v, at);
    case 'arrayValue': {
      const values = expectList(expectObject(v, at), 'values', at);
      const out: Value[] = new Array<Value>(values.length);
      for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], `${at}.values[${i}]`, depth + 1);
      return out;
    }
    default: {
      // kvlistValue
      const out: { [key: string]: Value } = {};
      forEachKeyValue(expectList(expectObject(v, at), 'values', at), `${at}.values`, (key, item) => setOwn(out, key, item), depth + 1);
      return out;
    }
  }
}

function forEachKeyValue(list: unknown[], path: string, visit: (key: string, value: Value) => void, depth = 0): void {
  for (let i = 0; i < list.length; i++) {
    const at = `${path}[${i}]`;
    const kv = expectObject(list[i], at);
    const key = kv.key ?? '';
    if (typeof key !== 'string') throw shapeError('expected a string', `${at}.key`);
    visit(key, anyValue(kv.value, `${at}.value`, depth));
  }
}

/** `obj[key] = value`, also for the key `__proto__`, which would otherwise set the prototype. */
function setOwn<T extends FieldValue | Value>(obj: Record<string, T>, key: string, value: T): void {
  if (key === '__proto__') {
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    obj[key] = value;
  }
}

// ── Scalars ─────────────────────────────────────────────────────────────────────────────────

const TWO_64 = 1n << 64n;
const INT_TEXT = /^-?\d{1,20}$/;
const HEX_TEXT = /^(?:[0-9a-fA-F]{2})*$/;
const BASE64_TEXT = /^[A-Za-z0-9+/_-]*={0,2}$/;

interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}

function isLongLike(value: object): value is LongLike {
  const v = value as Partial<LongLike>;
  return typeof v.low === 'number' && typeof v.high === 'number';
}

/** An int64 from a Long, bigint, decimal string or integral number. */
function int64(value: unknown, path: string, signed: boolean): bigint {
  let n: bigint | undefined;
  if (typeof value === 'bigint') {
    n = value;
  } else if (typeof value === 'string') {
    if (INT_TEXT.test(value)) n = BigInt(value);
  } else if (typeof value === 'number') {
    if (Number.isInteger(value)) n = BigInt(value);
  } else if (typeof value === 'object' && value !== null && isLongLike(value)) {
    const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
    n = value.unsigned === true ? bits : BigInt.asIntN(64, bits);
  }
  if (n === undefined) throw shapeError('expected an integer (number or decimal string)', path);
  if (signed ? n < -(TWO_64 >> 1n) || n >= TWO_64 >> 1n : n < 0n || n >= TWO_64) {
    throw shapeError(`integer out of ${signed ? 'int64' : 'uint64'} range`, path);
  }
  return n;
}

/** A fixed64 time; 0 and absent both give undefined. */
function optionalUint64(value: unknown, path: string): bigint | undefined {
  if (value == null) return undefined;
  const n = int64(value, path, false);
  return n === 0n ? undefined : n;
}

/** A double; proto3 JSON also spells the non-finite ones as strings. */
function double(value: unknown, path: string): number | string {
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  throw shapeError('expected a number', path);
}

function asBytes(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value) && value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255)) {
    return Uint8Array.from(value as number[]);
  }
  return undefined;
}

function bytesToBase64(value: unknown, path: string): string {
  if (typeof value === 'string') {
    if (!BASE64_TEXT.test(value)) throw shapeError('expected base64 bytes', path);
    return value;
  }
  const bytes = asBytes(value);
  if (bytes === undefined) throw shapeError('expected bytes', path);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** A trace or span id → lower-case hex; empty or all zeros → undefined. */
function idHex(value: unknown, path: string): string | undefined {
  if (value == null) return undefined;
  let hex: string;
  if (typeof value === 'string') {
    if (!HEX_TEXT.test(value)) throw shapeError('expected a hex string', path);
    hex = value.toLowerCase();
  } else {
    const bytes = asBytes(value);
    if (bytes === undefined) throw shapeError('expected bytes', path);
    hex = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
  }
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 0x30) return hex;
  return undefined;
}

// ── Shape checks ────────────────────────────────────────────────────────────────────────────

function shapeError(message: string, path: string): OtlpDecodeError {
  return new OtlpDecodeError('invalid_shape', message, path);
}

function expectObject(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw shapeError(`expected an object, got ${describe(value)}`, path);
  }
  return value as Obj;
}

function optionalObject(value: unknown, path: string): Obj | undefined {
  return value == null ? undefined : expectObject(value, path);
}

/** `obj[key]` as a list; absent or null is empty (proto3 default). */
function expectList(obj: Obj, key: string, path: string): unknown[] {
  const value = obj[key];
  if (value == null) return [];
  if (!Array.isArray(value)) throw shapeError(`expected an array, got ${describe(value)}`, path === '' ? key : `${path}.${key}`);
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  if (value == null) return undefined;
  if (typeof value !== 'string') throw shapeError(`expected a string, got ${describe(value)}`, path);
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ── JSON helpers ────────────────────────────────────────────────────────────────────────────

/**
 * JSON.parse rounds integers past 2^53; OTLP/JSON allows times and int values as bare numbers.
 * Quote those (16+ digits) before parsing so they stay exact. The look-behind makes sure the key
 * is a real key: inside a JSON string a quote is always preceded by a backslash.
 */
const LARGE_INTEGER_MEMBER =
  /(?<=[{,][ \t\n\r]*)"(timeUnixNano|observedTimeUnixNano|intValue)"([ \t\n\r]*:[ \t\n\r]*)(-?\d{16,})(?=[ \t\n\r]*[,}])/g;

function quoteLargeIntegers(text: string): string {
  return text.replace(LARGE_INTEGER_MEMBER, '"$1"$2"$3"');
}

/** protobufjs's fromObject takes int64 as string or Long, not bigint. */
function bigintsToStrings(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(bigintsToStrings);
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const out: Obj = {};
    for (const [key, v] of Object.entries(value)) out[key] = bigintsToStrings(v);
    return out;
  }
  return value;
}
