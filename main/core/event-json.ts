/**
 * The wire shape of an event, shared by the REST API and the stream: snake_case keys, `*_ns` as
 * decimal strings (exact beyond 2^53), entities both as refs and grouped by type as the
 * original's `related_*` lists.
 */
import type { EntityType, SeerflowEvent } from './event.js';
import { severityName } from './severity.js';

const RELATED: Record<EntityType, string> = {
  ip: 'related_ips',
  user: 'related_users',
  host: 'related_hosts',
  domain: 'related_domains',
  file: 'related_files',
  process: 'related_processes',
  hash: 'related_hashes',
};

/** Threat-intel matches the ioc detector recorded on the event (a JSON text field), as an array. */
function iocMatches(event: SeerflowEvent): unknown[] | null {
  const text = event.fields.ioc_matches;
  if (typeof text !== 'string') return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export function eventToJson(event: SeerflowEvent): Record<string, unknown> {
  const related: Record<string, string[]> = Object.fromEntries(Object.values(RELATED).map((key) => [key, []]));
  for (const entity of event.entities) related[RELATED[entity.type]]!.push(entity.value);
  return {
    event_id: event.eventId,
    timestamp_ns: event.timestampNs.toString(),
    observed_ns: event.observedNs.toString(),
    severity_id: event.severity,
    severity: severityName(event.severity),
    otel_severity: event.otelSeverity ?? null,
    source_type: event.sourceType,
    source_id: event.sourceId,
    host: event.host,
    app: event.app,
    proc_id: event.procId,
    msg_id: event.msgId,
    message: event.message,
    template_id: event.templateId,
    template_str: event.templateStr,
    template_params: event.templateParams,
    entity_refs: event.entities.map((e) => e.id),
    entities: event.entities,
    ...related,
    log_source_product: event.logsource.product,
    log_source_category: event.logsource.category,
    log_source_service: event.logsource.service,
    fields: event.fields,
    trace_id: event.traceId ?? null,
    span_id: event.spanId ?? null,
    resource_attrs: event.resourceAttrs ?? {},
    raw_event: event.raw || event.message,
    ioc_matches: iocMatches(event),
  };
}
