/**
 * The answer of `GET /entities/{entity_uuid}/baseline` (reference §11.2): the entity's UEBA
 * baseline once it is warm; otherwise 404 `warming_up` with its progress, or 404 when UEBA has no
 * baseline for it. Times are ns as decimal strings; addresses most recent first, templates
 * heaviest first.
 */
import Boom from '@hapi/boom';
import type { EntityBaseline } from '../../detectors/ueba/baseline.js';
import type { BaselineLookup } from '../../detectors/ueba/detector.js';

export function baselineToJson(baseline: EntityBaseline) {
  return {
    entity_uuid: baseline.entityId,
    entity_type: baseline.entityType,
    first_seen_ns: baseline.firstSeenNs.toString(),
    last_seen_ns: baseline.lastSeenNs.toString(),
    event_count: baseline.eventCount,
    warmup_complete: baseline.warm,
    hours: [...baseline.hours],
    source_ips: baseline.addresses
      .entries()
      .reverse()
      .map(([ip, seen]) => [ip, seen.toString()]),
    volume_ema_min: baseline.volume.perMinute.ema,
    volume_ema_hour: baseline.volume.perHour.ema,
    volume_last_ns: baseline.lastSeenNs.toString(),
    templates: baseline.templates.entries(),
  };
}

/** The 200 body, or the 404 the lookup calls for. */
export function answerBaseline(lookup: BaselineLookup): ReturnType<typeof baselineToJson> {
  if (lookup.status === 'ready') return baselineToJson(lookup.baseline);
  if (lookup.status === 'unknown') throw Boom.notFound('no UEBA baseline for this entity');
  const boom = Boom.notFound('this entity is still inside its UEBA warm-up');
  Object.assign(boom.output.payload, { status: 'warming_up', ...lookup.progress });
  throw boom;
}
