/**
 * The alerts this detector raises, all of type `correlation`: rule hits (reference §7.1), risk
 * crossings (§7.3), kill-chain progressions (§7.4) and graph-structural findings (§7.6). Each is
 * about a real entity, with its own type and value (the original wrote `host` and a truncated
 * UUID for kill-chain and graph alerts), and carries a dedup key per rule and entity, so repeats
 * within the dedup window are counted on one alert.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../../main/core/alert.js';
import { normalizeTactic, normalizeTechnique } from '../../../main/core/attack.js';
import { Severity } from '../../../main/core/severity.js';
import type { EntityKey } from './entity.js';
import type { KillChainProgression } from './kill-chain.js';
import type { RiskCrossing } from './risk-register.js';
import { normalizedRisk } from './risk-register.js';
import type { RuleHit } from './rule-set.js';
import type { StructuralFinding } from './graph-structural.js';

export const RISK_RULE = 'risk-accumulation';
export const KILL_CHAIN_RULE = 'kill-chain-progression';

/** Where an alert was raised: the event time and the event's source. */
export interface AlertOrigin {
  timestampNs: bigint;
  sourceType: string;
  sourceId: string;
}

interface AlertParts {
  ruleName: string;
  entity: EntityKey;
  severity: Alert['severity'];
  riskScore: number;
  description: string;
  dedupKey: string;
  tactics: string[];
  techniques: string[];
  contributingEventIds: string[];
  details: Record<string, unknown>;
}

function build(origin: AlertOrigin, parts: AlertParts): Alert {
  return {
    alertId: uuidv7(),
    alertType: 'correlation',
    timestampNs: origin.timestampNs,
    lastSeenNs: origin.timestampNs,
    severity: parts.severity,
    ruleName: parts.ruleName,
    description: parts.description,
    sourceType: origin.sourceType,
    sourceId: origin.sourceId,
    entityId: parts.entity.id,
    entityType: parts.entity.type,
    entityValue: parts.entity.value,
    dedupKey: parts.dedupKey,
    dedupCount: 1,
    riskScore: parts.riskScore,
    feedback: null,
    tactics: parts.tactics,
    techniques: parts.techniques,
    contributingEventIds: parts.contributingEventIds,
    details: parts.details,
  };
}

const describe = (entity: EntityKey) => (entity.value ? `${entity.type} ${entity.value}` : entity.id);

export function ruleAlert(origin: AlertOrigin, entity: EntityKey, hit: RuleHit): Alert {
  const rule = hit.rule.spec;
  const n = hit.contributing.length;
  return build(origin, {
    ruleName: rule.name,
    entity,
    severity: rule.alertSeverity as Alert['severity'],
    riskScore: 0.6 * (rule.alertSeverity / 6) + 0.4 * Math.min(n / 10, 1),
    description: `Correlation rule '${rule.name}' fired for ${describe(entity)}${rule.description ? `: ${rule.description}` : ''}`,
    dedupKey: `corr:${rule.name}:${entity.id}`,
    tactics: [...new Set(rule.tactics.map((t) => normalizeTactic(t).name))],
    techniques: [...new Set(rule.techniques.map((t) => normalizeTechnique(t).id))],
    contributingEventIds: hit.contributing,
    details: {
      window_seconds: rule.windowSeconds,
      sources_satisfied: hit.satisfied,
      min_sources: rule.minSources,
      source_counts: hit.counts,
      ...(hit.distinct.some((d) => d > 0) ? { source_distinct: hit.distinct } : {}),
    },
  });
}

/** Severity of a risk crossing: WARNING at the threshold, ERROR from 2×, CRITICAL from 4×. */
function riskSeverity(points: number, threshold: number): Alert['severity'] {
  if (points >= 4 * threshold) return Severity.CRITICAL;
  return points >= 2 * threshold ? Severity.ERROR : Severity.WARNING;
}

export function riskAlert(origin: AlertOrigin, crossing: RiskCrossing, threshold: number, halfLifeHours: number): Alert {
  return build(origin, {
    ruleName: RISK_RULE,
    entity: crossing.entity,
    severity: riskSeverity(crossing.points, threshold),
    riskScore: normalizedRisk(crossing.points, threshold),
    description: `Risk of ${describe(crossing.entity)} reached ${crossing.points.toFixed(1)} points (threshold ${threshold})`,
    dedupKey: `risk:${crossing.entity.id}`,
    tactics: [],
    techniques: [],
    contributingEventIds: [],
    details: {
      points: Math.round(crossing.points * 1000) / 1000,
      threshold,
      half_life_hours: halfLifeHours,
      recent: crossing.recent.map((c) => ({ rule: c.rule, points: Math.round(c.points * 1000) / 1000, timestamp_ms: c.tMs })),
    },
  });
}

export function killChainAlert(origin: AlertOrigin, progression: KillChainProgression, windowSeconds: number): Alert {
  const n = progression.tactics.length;
  return build(origin, {
    ruleName: KILL_CHAIN_RULE,
    entity: progression.entity,
    severity: Severity.ERROR,
    riskScore: Math.min(1, n / 5),
    description: `Kill-chain progression: ${n} tactics for ${describe(progression.entity)}: ${progression.tactics.join(', ')}`,
    dedupKey: `kill-chain:${progression.entity.id}`,
    tactics: progression.tactics,
    techniques: [],
    contributingEventIds: progression.eventIds,
    details: { tactic_count: n, window_seconds: windowSeconds, alert_ids: progression.alertIds },
  });
}

const STRUCTURAL_RULES = {
  community_crossing: 'graph-community-crossing',
  betweenness: 'graph-high-betweenness',
  fan_out: 'graph-fan-out-anomaly',
} as const;

export function structuralAlert(origin: AlertOrigin, finding: StructuralFinding, betweennessThreshold: number): Alert {
  const common = {
    ruleName: STRUCTURAL_RULES[finding.kind],
    entity: finding.entity,
    severity: Severity.WARNING,
    dedupKey: `graph:${finding.kind}:${finding.entity.id}`,
    tactics: ['lateral_movement'],
    techniques: ['T1021'],
    contributingEventIds: [],
  };
  switch (finding.kind) {
    case 'community_crossing':
      return build(origin, {
        ...common,
        riskScore: 0.6,
        description: `New ${finding.rel} edge from ${describe(finding.entity)} to ${describe(finding.target)} crosses communities ${finding.communities[0]} → ${finding.communities[1]}`,
        details: { relation_type: finding.rel, target_uuid: finding.target.id, communities: finding.communities },
      });
    case 'betweenness':
      return build(origin, {
        ...common,
        riskScore: Math.min(1, finding.betweenness * 1.5),
        description: `${describe(finding.entity)} bridges the entity graph (betweenness ${finding.betweenness.toFixed(3)} > ${betweennessThreshold})`,
        details: { betweenness: finding.betweenness, threshold: betweennessThreshold },
      });
    case 'fan_out':
      return build(origin, {
        ...common,
        riskScore: Math.min(1, finding.fanOut / Math.max(finding.threshold, 1)),
        description: `${describe(finding.entity)} fans out to ${finding.fanOut} entities (its usual ${finding.mean.toFixed(1)}, cut-off ${finding.threshold.toFixed(1)})`,
        details: { fan_out: finding.fanOut, threshold: finding.threshold, mean: finding.mean, stdev: finding.stdev },
      });
  }
}
