/**
 * The alert model shared by every detector, the store, the API and the stream, and its wire
 * shape (the original's `AlertResponse`, reference §11.2, with `*_ns` as decimal strings).
 */
import type { EntityType } from './event.js';
import { severityName, type Severity } from './severity.js';

export const ALERT_TYPES = ['ml', 'sigma', 'correlation', 'ueba', 'ioc'] as const;
export type AlertType = (typeof ALERT_TYPES)[number];
export type Verdict = 'tp' | 'fp';

export interface Alert {
  /** UUIDv7. */
  alertId: string;
  alertType: AlertType;
  /** Event time of the first occurrence in the current dedup window. */
  timestampNs: bigint;
  /** Event time of the latest occurrence. */
  lastSeenNs: bigint;
  severity: Severity;
  ruleName: string;
  /** One line saying what happened (the API's `message`). */
  description: string;
  sourceType: string;
  sourceId: string;
  entityId: string;
  entityType: EntityType | '';
  entityValue: string;
  /** Same key within the dedup window = the same alert, counted. */
  dedupKey: string;
  dedupCount: number;
  /** 0..1. */
  riskScore: number;
  feedback: Verdict | null;
  /** Canonical underscore tactic names (`credential_access`). */
  tactics: string[];
  /** Upper-case technique ids (`T1110.001`). */
  techniques: string[];
  contributingEventIds: string[];
  /** Detector-specific detail (score, threshold, direction, template, matched indicator…). */
  details: Record<string, unknown>;
}

export function alertToJson(alert: Alert): Record<string, unknown> {
  return {
    alert_id: alert.alertId,
    alert_type: alert.alertType,
    timestamp_ns: alert.timestampNs.toString(),
    last_seen_ns: alert.lastSeenNs.toString(),
    severity: alert.severity,
    severity_text: severityName(alert.severity),
    rule_name: alert.ruleName,
    message: alert.description,
    source_type: alert.sourceType,
    source_id: alert.sourceId,
    entity_uuid: alert.entityId,
    entity_type: alert.entityType,
    entity_value: alert.entityValue,
    dedup_key: alert.dedupKey,
    dedup_count: alert.dedupCount,
    risk_score: alert.riskScore,
    feedback: alert.feedback,
    mitre_tactics: alert.tactics,
    mitre_techniques: alert.techniques,
    contributing_event_ids: alert.contributingEventIds,
    details: alert.details,
  };
}
