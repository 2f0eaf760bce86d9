/**
 * One-line formats for the line sinks (console, file, syslog): the API's alert object as compact
 * JSON (what `seerflow analyze` prints), CEF, LEEF, and a human line for a terminal. Every one
 * of them keeps an alert on one line whatever it holds.
 */
import { alertToJson, type Alert } from '../../../main/core/alert.js';
import type { LineFormat } from '../../../main/config/sections/alerting.js';
import { formatCef } from './cef.js';
import { formatLeef } from './leef.js';
import { entityText, isoTime, severityLabel } from './text.js';

/** Controls (C0, DEL, C1) shown as escapes, so content can neither break the line nor drive the terminal. */
function visible(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
}

/** `2026-11-30T12:00:00.000Z CRITICAL sigma "Rule" ip 203.0.113.7 risk=0.80 Description [alert id]`. */
export function formatHuman(alert: Alert): string {
  const entity = entityText(alert.entityType, alert.entityValue);
  return visible(
    [
      isoTime(alert.timestampNs),
      severityLabel(alert.severity),
      alert.alertType,
      `"${alert.ruleName}"`,
      ...(entity ? [entity] : []),
      `risk=${alert.riskScore.toFixed(2)}`,
      alert.description,
      `[${alert.alertId}]`,
    ].join(' '),
  );
}

export function formatJsonLine(alert: Alert): string {
  // JSON.stringify escapes every control character; bigint details are already strings or numbers.
  return JSON.stringify(alertToJson(alert), (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

const LINE_FORMATS: Record<LineFormat, (alert: Alert) => string> = {
  human: formatHuman,
  json: formatJsonLine,
  cef: formatCef,
  leef: formatLeef,
};

export function lineFormatter(format: LineFormat): (alert: Alert) => string {
  return LINE_FORMATS[format];
}
