/**
 * ML alerts (reference §5.4): one per entity of the anomalous event (one without entity when it
 * has none), type `ml`, rule `hst-anomaly`, the event's severity, dedup key
 * `hst:<template_id>:<source>:<entity_uuid>` (the feedback loop reads the source back from it),
 * ATT&CK from the template mapper, and in `details` the score, the threshold crossed, the
 * direction, the template and each channel's z.
 *
 * Risk: the original used the blended score clamped to [0, 1], and blended scores are z-scores,
 * so nearly every ML alert had risk 1. Here an upper anomaly's risk is 0.5 at its threshold,
 * rising to 1 at twice it; a lower one (activity unusually quiet) has 0.25.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../../main/core/alert.js';
import type { EntityRef, SeerflowEvent } from '../../../main/core/event.js';
import type { AttackTags } from './attack-mapper.js';
import { CHANNELS } from './blend.js';
import type { Scored } from './ensemble.js';

const ML_RULE_NAME = 'hst-anomaly';
const LOWER_RISK = 0.25;

/** The model source named by an ML alert's dedup key, or undefined for another key. */
export function sourceOfDedupKey(dedupKey: string): string | undefined {
  const parts = dedupKey.split(':');
  return parts[0] === 'hst' && parts.length >= 4 ? parts[2] : undefined;
}

export function riskOf(score: number, threshold: number, direction: 'upper' | 'lower'): number {
  if (direction === 'lower') return LOWER_RISK;
  if (!(threshold > 0)) return 0.5;
  return Math.min(1, Math.max(0, (0.5 * score) / threshold));
}

export function createMlAlerts(event: SeerflowEvent, scored: Scored, attack: AttackTags): Alert[] {
  const direction = scored.direction ?? 'upper';
  const threshold = direction === 'upper' ? scored.upperThreshold : scored.lowerThreshold;
  const channels: Record<string, number | null> = {};
  CHANNELS.forEach((name, i) => (channels[name] = Number.isNaN(scored.z[i]!) ? null : round(scored.z[i]!)));
  const details = {
    score: round(scored.score),
    threshold: round(threshold),
    upper_threshold: round(scored.upperThreshold),
    lower_threshold: round(scored.lowerThreshold),
    direction,
    source: scored.source,
    template: event.templateStr,
    template_id: event.templateId,
    channels,
  };
  const description = `Anomaly detected: score=${scored.score.toFixed(3)} threshold=${threshold.toFixed(3)} direction=${direction}`;
  const entities: Array<EntityRef | undefined> = event.entities.length > 0 ? event.entities : [undefined];
  return entities.map((entity) => ({
    alertId: uuidv7(),
    alertType: 'ml',
    timestampNs: event.timestampNs,
    lastSeenNs: event.timestampNs,
    severity: event.severity,
    ruleName: ML_RULE_NAME,
    description,
    sourceType: event.sourceType,
    sourceId: event.sourceId,
    entityId: entity?.id ?? '',
    entityType: entity?.type ?? '',
    entityValue: entity?.value ?? '',
    dedupKey: `hst:${event.templateId}:${scored.source}:${entity?.id ?? ''}`,
    dedupCount: 1,
    riskScore: riskOf(scored.score, threshold, direction),
    feedback: null,
    tactics: [...attack.tactics],
    techniques: [...attack.techniques],
    contributingEventIds: [event.eventId],
    details,
  }));
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
