/**
 * Response shapes of the entity routes: search hits, the cross-source timeline with its related
 * entities, and the risk history (Σ alert risk score per bucket, with the bucket's leading rule).
 */
import { eventToJson } from '../../../main/core/event-json.js';
import type { AlertsRepository } from '../../../main/storage/alerts-repository.js';
import type { BucketGrid } from '../../../main/storage/buckets.js';
import type { EntitiesRepository, EntityRecord } from '../../../main/storage/entities-repository.js';
import type { EventsRepository } from '../../../main/storage/events-repository.js';
import { bucketStart } from '../anomaly/windows.js';
import type { TimelineQuery } from './schemas.js';

export function entityToJson(entity: EntityRecord) {
  return {
    entity_uuid: entity.entityId,
    entity_type: entity.entityType,
    entity_value: entity.value,
    event_count: entity.eventCount,
    first_seen_ns: entity.firstSeenNs.toString(),
    last_seen_ns: entity.lastSeenNs.toString(),
  };
}

export async function entityTimeline(
  entity: EntityRecord,
  query: TimelineQuery,
  repositories: { events: EventsRepository; entities: EntitiesRepository },
) {
  const window = { sinceNs: query.start_ns, untilNs: query.end_ns };
  const filters = { ...window, source: query.source_type, severityMin: query.severity_min };
  const events = await repositories.events.timeline(entity.entityId, { ...filters, limit: query.limit });
  const { total } = await repositories.events.query({ ...filters, entity: entity.entityId, page: 1, limit: 1 });
  const related = await repositories.entities.related(entity.entityId, window);
  return {
    entity_uuid: entity.entityId,
    entity_type: entity.entityType,
    entity_value: entity.value,
    events: events.map(eventToJson),
    related: related.map((r) => ({
      entity_uuid: r.entityId,
      entity_type: r.entityType,
      entity_value: r.value,
      relation_type: 'co_occurs',
      count: r.count,
    })),
    total,
  };
}

export interface RiskBucket {
  bucket_start_ns: string;
  points: number;
  alert_count: number;
  top_rule_name: string | null;
}

/** Dense risk grid; the top rule is the one with the most points (then the most alerts, then by name). */
export async function riskHistory(alerts: AlertsRepository, entityId: string, grid: BucketGrid): Promise<RiskBucket[]> {
  const items: Array<RiskBucket & { top: { points: number; count: number } }> = Array.from({ length: grid.count }, (_, i) => ({
    bucket_start_ns: bucketStart(grid, i),
    points: 0,
    alert_count: 0,
    top_rule_name: null,
    top: { points: -1, count: 0 },
  }));
  const cells = (await alerts.riskBucketed(entityId, grid)).sort((a, b) => a.ruleName.localeCompare(b.ruleName));
  for (const cell of cells) {
    const item = items[cell.bucket];
    if (!item) continue;
    item.points += cell.points;
    item.alert_count += cell.count;
    if (cell.points > item.top.points || (cell.points === item.top.points && cell.count > item.top.count)) {
      item.top = { points: cell.points, count: cell.count };
      item.top_rule_name = cell.ruleName;
    }
  }
  // Sums of floats: round away the binary noise (0.1 + 0.2) before it reaches a chart label.
  return items.map(({ top: _top, ...item }) => ({ ...item, points: Math.round(item.points * 1e6) / 1e6 }));
}
