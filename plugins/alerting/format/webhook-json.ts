/**
 * The generic webhook payload: the original's flat JSON (reference §13) plus `severity_id` and
 * `timestamp_ns`, and the alert's dashboard link when `dashboard_url` is set.
 */
import type { Alert } from '../../../main/core/alert.js';
import { alertLink, isoTime, severityLabel } from './text.js';

export function webhookJson(alert: Alert, dashboardUrl: string | null): Record<string, unknown> {
  const link = alertLink(dashboardUrl, alert.alertId);
  return {
    alert_id: alert.alertId,
    alert_type: alert.alertType,
    timestamp: isoTime(alert.timestampNs),
    timestamp_ns: alert.timestampNs.toString(),
    severity: severityLabel(alert.severity),
    severity_id: alert.severity,
    rule_name: alert.ruleName,
    description: alert.description,
    entity_uuid: alert.entityId,
    entity_value: alert.entityValue,
    entity_type: alert.entityType,
    mitre_tactics: alert.tactics,
    mitre_techniques: alert.techniques,
    risk_score: alert.riskScore,
    dedup_count: alert.dedupCount,
    ...(link ? { dashboard_url: link } : {}),
  };
}
