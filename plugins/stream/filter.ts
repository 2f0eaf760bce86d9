/**
 * Per-client stream filters: the client's `filter` frame (API reference, WebSocket section;
 * backend reference §11.4), validated with joi and compiled to sets, so matching an event or an
 * alert is a few comparisons and set lookups.
 *
 * A frame replaces the whole filter: an omitted key or an empty list means "all". Events are
 * matched on `min_severity`, `source` (the event's source_type, source_id or app), `entity` (one of
 * its entity refs) and `template_ids`; alerts on `alert_types`, `min_severity` and `entity` (the
 * alert's entity). Deliberate differences from the original: an omitted `min_severity` is 0 (the
 * original's parser said 1), `sources` is accepted as an alias of `source`, and unknown keys are
 * errors rather than ignored, so a misspelt key is not silently a no-op.
 */
import Joi from 'joi';
import { ALERT_TYPES, type Alert, type AlertType } from '../../main/core/alert.js';
import type { SeerflowEvent } from '../../main/core/event.js';

export const MAX_FILTER_SOURCES = 50;
export const MAX_FILTER_TEMPLATE_IDS = 100;

export interface StreamFilter {
  /** 0 (TRACE, everything) … 6 (FATAL). */
  readonly minSeverity: number;
  /** Empty = every source. */
  readonly sources: ReadonlySet<string>;
  /** Lower-case entity UUID, or null for every entity. */
  readonly entity: string | null;
  /** Empty = every alert type. */
  readonly alertTypes: ReadonlySet<AlertType>;
  /** Empty = every template. */
  readonly templateIds: ReadonlySet<number>;
}

/** The filter of a client that has not sent one. */
export const MATCH_ALL: StreamFilter = Object.freeze({
  minSeverity: 0,
  sources: new Set<string>(),
  entity: null,
  alertTypes: new Set<AlertType>(),
  templateIds: new Set<number>(),
});

export type FilterParse = { ok: true; filter: StreamFilter } | { ok: false; message: string };

const filterFrameSchema = Joi.object({
  type: Joi.string().valid('filter').required(),
  min_severity: Joi.number().integer().min(0).max(6),
  source: Joi.array().items(Joi.string().min(1).max(256)).max(MAX_FILTER_SOURCES),
  entity: Joi.string().guid().allow(null),
  alert_types: Joi.array().items(Joi.string().valid(...ALERT_TYPES)).max(ALERT_TYPES.length).unique(),
  template_ids: Joi.array().items(Joi.number().integer()).max(MAX_FILTER_TEMPLATE_IDS),
})
  .rename('sources', 'source')
  .label('frame')
  // No coercion: "3" is not a severity.
  .prefs({ convert: false, abortEarly: true });

interface FilterFrame {
  type: 'filter';
  min_severity?: number;
  source?: string[];
  entity?: string | null;
  alert_types?: AlertType[];
  template_ids?: number[];
}

/**
 * Validate a client frame (already parsed from JSON) as a filter. All or nothing: on any error
 * the result carries joi's message for the first problem and no filter.
 */
export function parseFilterFrame(frame: unknown): FilterParse {
  const { value, error } = filterFrameSchema.validate(frame);
  if (error) return { ok: false, message: error.message };
  const parsed = value as FilterFrame;
  return {
    ok: true,
    filter: {
      minSeverity: parsed.min_severity ?? 0,
      sources: new Set(parsed.source ?? []),
      entity: parsed.entity ? parsed.entity.toLowerCase() : null,
      alertTypes: new Set(parsed.alert_types ?? []),
      templateIds: new Set(parsed.template_ids ?? []),
    },
  };
}

export function matchesEvent(filter: StreamFilter, event: SeerflowEvent): boolean {
  if (event.severity < filter.minSeverity) return false;
  const { sources, templateIds, entity } = filter;
  if (sources.size > 0 && !sources.has(event.sourceType) && !sources.has(event.sourceId) && !sources.has(event.app)) {
    return false;
  }
  if (templateIds.size > 0 && !templateIds.has(event.templateId)) return false;
  if (entity !== null && !event.entities.some((ref) => ref.id === entity)) return false;
  return true;
}

export function matchesAlert(filter: StreamFilter, alert: Alert): boolean {
  if (alert.severity < filter.minSeverity) return false;
  if (filter.alertTypes.size > 0 && !filter.alertTypes.has(alert.alertType)) return false;
  if (filter.entity !== null && alert.entityId.toLowerCase() !== filter.entity) return false;
  return true;
}
