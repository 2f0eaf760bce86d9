/**
 * Alert lists as the feed keeps them: one row per `alert_id` (a repeat of the same alert, counted
 * by deduplication, replaces the row when it is newer), newest first, capped.
 */
import { normalizeTactic } from '../../../main/core/attack';
import type { Alert, AlertType } from '../api/types';

/** Compare two decimal ns strings numerically (`'999' < '1000'`). */
export function compareNs(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** The server's order: first occurrence, newest first, then id. */
const byTime = (a: Alert, b: Alert) => compareNs(b.timestamp_ns, a.timestamp_ns) || (b.alert_id < a.alert_id ? -1 : 1);
/** > 0 when `a` is a later version of the same alert than `b`. */
const later = (a: Alert, b: Alert) => compareNs(a.last_seen_ns, b.last_seen_ns) || a.dedup_count - b.dedup_count;

/**
 * `incoming` merged into `current`: new ids added, known ids replaced by the later version
 * (by `last_seen_ns`, then `dedup_count`), sorted as the server sorts and cut to `cap`.
 */
export function mergeAlerts(current: readonly Alert[], incoming: readonly Alert[], cap: number): Alert[] {
  const byId = new Map(current.map((alert) => [alert.alert_id, alert]));
  for (const alert of incoming) {
    const known = byId.get(alert.alert_id);
    if (!known || later(alert, known) >= 0) {
      byId.set(alert.alert_id, known ? { ...alert, feedback: alert.feedback ?? known.feedback } : alert);
    }
  }
  return [...byId.values()].sort(byTime).slice(0, cap);
}

/** The Alerts screen's filter; every key maps to a `GET /alerts` parameter. */
export interface AlertFilter {
  type?: AlertType;
  severity?: number;
  entity?: string;
  tactic?: string;
  technique?: string;
  /** Window: the last N hours (undefined = all time). */
  hours?: number;
}

/**
 * Whether a live alert belongs in a filtered view: the same rules as the server's query, so a
 * streamed alert shows up exactly where a reload would show it. `tactic` is canonical
 * (`credential_access`); `technique` matches as a prefix.
 */
export function matchesFilter(alert: Alert, filter: AlertFilter, nowMs: number): boolean {
  if (filter.type && alert.alert_type !== filter.type) return false;
  if (filter.severity !== undefined && alert.severity < filter.severity) return false;
  if (filter.entity) {
    const entity = filter.entity.toLowerCase();
    if (alert.entity_uuid.toLowerCase() !== entity && alert.entity_value.toLowerCase() !== entity) return false;
  }
  if (filter.tactic && !alert.mitre_tactics.includes(normalizeTactic(filter.tactic).name)) return false;
  if (filter.technique) {
    const technique = filter.technique.toUpperCase();
    if (!alert.mitre_techniques.some((t) => t === technique || t.startsWith(`${technique}.`))) return false;
  }
  if (filter.hours !== undefined) {
    const sinceMs = nowMs - filter.hours * 3_600_000;
    if (Number(BigInt(alert.last_seen_ns || alert.timestamp_ns) / 1_000_000n) < sinceMs) return false;
  }
  return true;
}

/** Top entities by peak risk over `alerts` (then by alert count). */
export function topRiskEntities(alerts: readonly Alert[], limit = 7) {
  const byEntity = new Map<string, { uuid: string; type: string; value: string; risk: number; alerts: number; events: number }>();
  for (const alert of alerts) {
    if (!alert.entity_uuid) continue;
    const row = byEntity.get(alert.entity_uuid) ?? {
      uuid: alert.entity_uuid,
      type: alert.entity_type,
      value: alert.entity_value,
      risk: 0,
      alerts: 0,
      events: 0,
    };
    row.risk = Math.max(row.risk, alert.risk_score);
    row.alerts++;
    row.events += alert.dedup_count;
    byEntity.set(alert.entity_uuid, row);
  }
  return [...byEntity.values()].sort((a, b) => b.risk - a.risk || b.alerts - a.alerts).slice(0, limit);
}
