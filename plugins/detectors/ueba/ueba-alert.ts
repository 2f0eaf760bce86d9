/**
 * The UEBA alert (reference §8): type `ueba`, rule `ueba.deviation`, on the deviating entity
 * (its type and value filled in, unlike the original's empty value), severity 1 + ⌊6·composite⌋
 * within 1–6, `risk_score` = the composite, dedup key per entity. The breakdown is structured in
 * `details` rather than JSON inside the description, which says in words what was unusual.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../../main/core/alert.js';
import type { EntityRef, SeerflowEvent } from '../../../main/core/event.js';
import type { Severity } from '../../../main/core/severity.js';
import type { Observation } from './baseline.js';
import type { SubScores } from './score.js';

export const UEBA_RULE = 'ueba.deviation';

/** A sub-score at least this high is named in the description. */
const NAMED_FROM = 0.5;

/** 1 + ⌊6·composite⌋, clamped to INFORMATIONAL…FATAL (composite 0.8 → 5, CRITICAL). */
export function uebaSeverity(composite: number): Severity {
  return Math.min(6, Math.max(1, 1 + Math.floor(composite * 6))) as Severity;
}

export interface Deviation {
  entity: EntityRef;
  scores: Readonly<SubScores>;
  /** The cut-off the composite reached. */
  cutoff: number;
  /** The event's addresses the entity was not known to use. */
  newAddresses: string[];
}

function reasons(deviation: Deviation, observation: Observation): string {
  const { scores } = deviation;
  const named: string[] = [];
  if (scores.time_of_day >= NAMED_FROM) named.push(`unusual hour ${String(observation.hour).padStart(2, '0')}:00 UTC`);
  if (scores.source_novelty >= NAMED_FROM) named.push(`new address ${deviation.newAddresses.join(', ')}`);
  if (scores.volume >= NAMED_FROM) named.push('burst of activity');
  if (scores.pattern_novelty >= NAMED_FROM) named.push('unusual activity');
  return named.length > 0 ? `: ${named.join(', ')}` : '';
}

export function uebaAlert(event: SeerflowEvent, observation: Observation, deviation: Deviation): Alert {
  const { entity, scores, cutoff } = deviation;
  const composite = scores.composite;
  return {
    alertId: uuidv7(),
    alertType: 'ueba',
    timestampNs: event.timestampNs,
    lastSeenNs: event.timestampNs,
    severity: uebaSeverity(composite),
    ruleName: UEBA_RULE,
    description: `UEBA deviation for ${entity.type} ${entity.value} (composite ${composite.toFixed(2)} ≥ ${cutoff.toFixed(2)})${reasons(deviation, observation)}`,
    sourceType: event.sourceType,
    sourceId: event.sourceId,
    entityId: entity.id,
    entityType: entity.type,
    entityValue: entity.value,
    dedupKey: `ueba:${entity.id}`,
    dedupCount: 1,
    riskScore: Math.min(1, Math.max(0, composite)),
    feedback: null,
    tactics: [],
    techniques: [],
    contributingEventIds: [event.eventId],
    details: {
      time_of_day: scores.time_of_day,
      source_novelty: scores.source_novelty,
      volume: scores.volume,
      pattern_novelty: scores.pattern_novelty,
      composite,
      cutoff,
      hour_utc: observation.hour,
      new_addresses: deviation.newAddresses,
      template_id: event.templateId,
      template: event.templateStr,
    },
  };
}
