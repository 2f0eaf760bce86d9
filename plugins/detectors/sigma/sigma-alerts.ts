/**
 * Alerts from Sigma: one per detection match (type `sigma`) and one per correlation hit (type
 * `correlation`). Severity from the rule's `level`; ATT&CK tactics and techniques from its tags
 * in canonical form (unknown tactics kept, never dropped); the entity is the event's primary one;
 * the dedup key is rule + entity, so repeats within the window count instead of piling up.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../../main/core/alert.js';
import { normalizeTactic, normalizeTechnique } from '../../../main/core/attack.js';
import type { EntityRef, SeerflowEvent } from '../../../main/core/event.js';
import { Severity } from '../../../main/core/severity.js';
import type { CorrelationHit } from './correlation.js';
import type { CompiledRule } from './engine.js';

const LEVEL_SEVERITY: Record<string, Severity> = {
  informational: Severity.INFORMATIONAL,
  low: Severity.NOTICE,
  medium: Severity.WARNING,
  high: Severity.ERROR,
  critical: Severity.CRITICAL,
};
const LEVEL_RISK: Record<string, number> = { informational: 0.1, low: 0.25, medium: 0.5, high: 0.75, critical: 0.95 };
/** The Seerflow severity of a Sigma `level` (its alerts' severity); informational when unknown. */
export function severityOfLevel(level: string): Severity {
  return LEVEL_SEVERITY[level.toLowerCase()] ?? Severity.INFORMATIONAL;
}

/** Which entity an alert is about, when an event has several (the original's priority). */
const ENTITY_PRIORITY = ['ip', 'user', 'host', 'domain', 'file', 'process', 'hash'] as const;

export function primaryEntity(event: SeerflowEvent): EntityRef | undefined {
  for (const type of ENTITY_PRIORITY) {
    const found = event.entities.find((entity) => entity.type === type);
    if (found) return found;
  }
  return undefined;
}

/** `attack.credential_access`, `attack.t1110.001` … → canonical tactics and technique ids. */
export function attackFromTags(tags: readonly string[]): { tactics: string[]; techniques: string[] } {
  const tactics = new Set<string>();
  const techniques = new Set<string>();
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const name = lower.slice('attack.'.length);
    const technique = normalizeTechnique(name);
    if (technique.valid) techniques.add(technique.id);
    else if (!/^[gs]\d{4}$/.test(name)) tactics.add(normalizeTactic(name).name); // groups and software are not tactics
  }
  return { tactics: [...tactics], techniques: [...techniques] };
}

function base(event: SeerflowEvent, entity: EntityRef | undefined) {
  return {
    alertId: uuidv7(),
    sourceType: event.sourceType,
    sourceId: event.sourceId,
    entityId: entity?.id ?? '',
    entityType: entity?.type ?? ('' as const),
    entityValue: entity?.value ?? '',
    dedupCount: 1,
    feedback: null,
  };
}

export function alertForMatch(rule: CompiledRule, event: SeerflowEvent, origin: string): Alert {
  const entity = primaryEntity(event);
  const level = rule.level.toLowerCase();
  return {
    ...base(event, entity),
    alertType: 'sigma',
    timestampNs: event.timestampNs,
    lastSeenNs: event.timestampNs,
    severity: LEVEL_SEVERITY[level] ?? Severity.INFORMATIONAL,
    ruleName: rule.title,
    description: `${rule.title}${entity ? ` (${entity.type} ${entity.value})` : event.host ? ` on ${event.host}` : ''}`,
    dedupKey: `sigma:${rule.id}:${entity?.id ?? event.host}`,
    riskScore: LEVEL_RISK[level] ?? 0.1,
    ...attackFromTags(rule.tags),
    contributingEventIds: [event.eventId],
    details: { rule_id: rule.id, level, logsource: rule.logsource, rule_file: rule.source.file, origin },
  };
}

/** A correlation hit; `event` is the one that completed it (its entity names the alert). */
export function alertForCorrelation(hit: CorrelationHit, event: SeerflowEvent): Alert {
  const { rule } = hit;
  const groupValues = Object.values(hit.group);
  // The entity the rule grouped by, when it is one of the event's; else the event's primary one.
  const entity = event.entities.find((candidate) => groupValues.includes(candidate.value)) ?? primaryEntity(event);
  const level = (rule.level ?? 'medium').toLowerCase();
  const group = Object.entries(hit.group)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
  return {
    ...base(event, entity),
    alertType: 'correlation',
    timestampNs: hit.firstNs,
    lastSeenNs: hit.atNs,
    severity: LEVEL_SEVERITY[level] ?? Severity.WARNING,
    ruleName: rule.title,
    description: `${rule.title}: ${rule.type} ${hit.value}${group ? ` for ${group}` : ''}`,
    dedupKey: `corr:${rule.id ?? rule.name ?? rule.title}:${groupValues.join('|')}`,
    riskScore: LEVEL_RISK[level] ?? 0.5,
    ...attackFromTags(rule.tags),
    contributingEventIds: hit.eventIds,
    details: { rule_id: rule.id ?? rule.name, correlation_type: rule.type, value: hit.value, group: hit.group, events: hit.eventCount },
  };
}
