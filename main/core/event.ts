/**
 * The event model: what receivers hand to the pipeline (`RawEvent`) and what the pipeline stores,
 * detects on and serves (`SeerflowEvent`).
 *
 * Follows the original's `SeerflowEvent` (reference §4.1) minus the ECS/OCSF placeholders it never
 * filled, plus `fields` (structured input keeps its keys for Sigma) and the syslog header parts.
 * Times are nanoseconds since the epoch as `bigint`: they exceed 2^53 and must stay exact.
 */
import type { Severity } from './severity.js';

/** A structured field value: scalars only; nested input is flattened to dot-paths. */
export type FieldValue = string | number | boolean | null;
export type Fields = Record<string, FieldValue>;

export type SourceType =
  | 'syslog'
  | 'otlp_grpc'
  | 'otlp_http'
  | 'file'
  | 'webhook'
  | 'stdin'
  | 'import'
  | 'analyze';

/**
 * A log record decoded by a receiver that understands its format (OTLP, webhook JSON, a syslog
 * header). Everything but `message` is optional: the normalizer fills the gaps.
 */
export interface LogRecord {
  message: string;
  /** Event time from the record itself (syslog header, OTLP time_unix_nano). */
  timestampNs?: bigint;
  observedNs?: bigint;
  severity?: Severity;
  /** OpenTelemetry SeverityNumber 1–24 when the record carried one. */
  otelSeverity?: number;
  severityText?: string;
  host?: string;
  app?: string;
  procId?: string;
  msgId?: string;
  traceId?: string;
  spanId?: string;
  fields?: Fields;
  resourceAttrs?: Record<string, string>;
}

/**
 * One unit of input. A receiver sets `line` when it has undecoded text (syslog, file, stdin: the
 * normalizer recognises syslog headers and JSON lines) or `record` when it decoded the format
 * itself (OTLP, webhook).
 */
export interface RawEvent {
  sourceType: SourceType;
  sourceId: string;
  receivedNs: bigint;
  line?: string;
  record?: LogRecord;
  remoteAddr?: string;
  /** Set when the receiver cut the input at its size limit. */
  truncated?: boolean;
}

export type EntityType = 'ip' | 'user' | 'host' | 'domain' | 'file' | 'process' | 'hash';

/** An entity seen in an event: its type, canonical value, and UUID5 id. */
export interface EntityRef {
  type: EntityType;
  value: string;
  id: string;
}

/** Sigma logsource triple; empty string = not classified. */
export interface Logsource {
  product: string;
  category: string;
  service: string;
}

export interface SeerflowEvent {
  /** UUIDv7: time-ordered, so inserts stay local in the index. */
  eventId: string;
  timestampNs: bigint;
  observedNs: bigint;
  severity: Severity;
  otelSeverity?: number;
  sourceType: SourceType;
  sourceId: string;
  host: string;
  app: string;
  procId: string;
  msgId: string;
  message: string;
  /** -1 when the message is empty and has no template. */
  templateId: number;
  templateStr: string;
  templateParams: string[];
  entities: EntityRef[];
  logsource: Logsource;
  fields: Fields;
  traceId?: string;
  spanId?: string;
  resourceAttrs?: Record<string, string>;
  /** The input line as received, capped like the message; '' when it equals the message. */
  raw: string;
  remoteAddr?: string;
}
