/**
 * Mapping between `SeerflowEvent` and the `events` row: indexed columns for what queries filter
 * on, one JSON `data` column for the rest.
 */
import type { EntityRef, Fields, SeerflowEvent, SourceType } from '../core/event.js';
import type { Severity } from '../core/severity.js';

export interface EventRow {
  event_id: string;
  timestamp_ns: string;
  observed_ns: string;
  severity_id: number;
  source_type: string;
  source_id: string;
  host: string;
  app: string;
  template_id: number | null;
  message: string;
  logsource_product: string;
  logsource_category: string;
  logsource_service: string;
  data: string;
}

/** The row's columns in a fixed order, for multi-row INSERTs (`bulk-insert.ts`). */
export const EVENT_COLUMNS: ReadonlyArray<keyof EventRow> = [
  'event_id',
  'timestamp_ns',
  'observed_ns',
  'severity_id',
  'source_type',
  'source_id',
  'host',
  'app',
  'template_id',
  'message',
  'logsource_product',
  'logsource_category',
  'logsource_service',
  'data',
];

interface EventData {
  templateStr: string;
  templateParams: string[];
  entities: EntityRef[];
  fields: Fields;
  procId: string;
  msgId: string;
  raw: string;
  otelSeverity?: number;
  traceId?: string;
  spanId?: string;
  resourceAttrs?: Record<string, string>;
  remoteAddr?: string;
}

export function eventToRow(event: SeerflowEvent): EventRow {
  const data: EventData = {
    templateStr: event.templateStr,
    templateParams: event.templateParams,
    entities: event.entities,
    fields: event.fields,
    procId: event.procId,
    msgId: event.msgId,
    raw: event.raw,
    otelSeverity: event.otelSeverity,
    traceId: event.traceId,
    spanId: event.spanId,
    resourceAttrs: event.resourceAttrs,
    remoteAddr: event.remoteAddr,
  };
  return {
    event_id: event.eventId,
    timestamp_ns: event.timestampNs.toString(),
    observed_ns: event.observedNs.toString(),
    severity_id: event.severity,
    source_type: event.sourceType,
    source_id: event.sourceId,
    host: event.host,
    app: event.app,
    template_id: event.templateId < 0 ? null : event.templateId,
    message: event.message,
    logsource_product: event.logsource.product,
    logsource_category: event.logsource.category,
    logsource_service: event.logsource.service,
    data: JSON.stringify(data),
  };
}

export function rowToEvent(row: EventRow): SeerflowEvent {
  const data = JSON.parse(row.data) as EventData;
  return {
    eventId: row.event_id,
    timestampNs: BigInt(row.timestamp_ns),
    observedNs: BigInt(row.observed_ns),
    severity: row.severity_id as Severity,
    otelSeverity: data.otelSeverity,
    sourceType: row.source_type as SourceType,
    sourceId: row.source_id,
    host: row.host,
    app: row.app,
    procId: data.procId,
    msgId: data.msgId,
    message: row.message,
    templateId: row.template_id ?? -1,
    templateStr: data.templateStr,
    templateParams: data.templateParams,
    entities: data.entities,
    logsource: {
      product: row.logsource_product,
      category: row.logsource_category,
      service: row.logsource_service,
    },
    fields: data.fields,
    traceId: data.traceId,
    spanId: data.spanId,
    resourceAttrs: data.resourceAttrs,
    raw: data.raw,
    remoteAddr: data.remoteAddr,
  };
}
