/**
 * The single-alert view: the alert plus the events that raised it (reference §11.2: at most 50,
 * each with the two leading entities as `entity_path`, users before hosts before IPs). Events
 * already removed by retention are left out.
 */
import { alertToJson, type Alert } from '../../../main/core/alert.js';
import type { EntityType, SeerflowEvent } from '../../../main/core/event.js';
import { severityName } from '../../../main/core/severity.js';
import type { EventsRepository } from '../../../main/storage/events-repository.js';

const MAX_EVENTS = 50;
const PATH_ORDER: readonly EntityType[] = ['user', 'host', 'ip'];

export async function alertDetail(alert: Alert, events: EventsRepository): Promise<Record<string, unknown>> {
  const found: SeerflowEvent[] = [];
  for (const eventId of alert.contributingEventIds.slice(0, MAX_EVENTS)) {
    const event = await events.get(eventId);
    if (event) found.push(event);
  }
  return { ...alertToJson(alert), contributing_events: found.map(contributingEvent) };
}

function contributingEvent(event: SeerflowEvent) {
  const path = PATH_ORDER.flatMap((type) => event.entities.filter((e) => e.type === type).map((e) => e.value));
  return {
    event_id: event.eventId,
    timestamp_ns: event.timestampNs.toString(),
    message: event.message,
    severity_text: severityName(event.severity),
    source_type: event.sourceType,
    entity_path: { src: path[0] ?? null, dst: path[1] ?? null },
  };
}
