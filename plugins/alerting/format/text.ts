/**
 * What every alert format shares: the product's identity, bounded fields (cut on a code-point
 * boundary), times, severity labels and the dashboard link. Nothing here throws, whatever the
 * alert holds.
 */
import { severityName } from '../../../main/core/severity.js';

/** Who sends the messages (CEF/LEEF headers, JSON payloads). */
export const PRODUCT = { vendor: 'Seerflow', product: 'Seerflow', version: '0.1.0' } as const;

/** At most `max` UTF-16 units of `text`, never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** ISO 8601 UTC with milliseconds; the epoch for a time no date can hold. */
export function isoTime(ns: bigint): string {
  const date = new Date(Number(ns / 1_000_000n));
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** Milliseconds since the epoch, as a decimal string. */
export function epochMs(ns: bigint): string {
  return (ns / 1_000_000n).toString();
}

/** `CRITICAL`, `WARNING`…, as the original's JSON payload names severities. */
export function severityLabel(severity: number): string {
  return severityName(severity).toUpperCase();
}

/** `<dashboard_url>/alerts/<alert_id>`, or undefined without a dashboard URL. */
export function alertLink(dashboardUrl: string | null, alertId: string): string | undefined {
  if (!dashboardUrl) return undefined;
  return `${dashboardUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(alertId)}`;
}

/** The alert's entity as `type value`, or '' when it has none. */
export function entityText(entityType: string, entityValue: string): string {
  return entityValue ? `${entityType || 'entity'} ${entityValue}` : '';
}
