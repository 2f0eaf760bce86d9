/**
 * ArcSight CEF (Common Event Format, rev. 25): `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension`.
 *
 * Escaping follows the spec exactly: in the header `\` and `|` are backslash-escaped; in
 * extension values `\` and `=` are, and CR/LF become `\r`/`\n`. Other control characters (a
 * header may hold no newline at all) become spaces, so one alert is always one line. Fields are
 * cut to the spec's lengths before escaping, so an escape is never cut in half.
 */
import net from 'node:net';
import type { Alert } from '../../../main/core/alert.js';
import { epochMs, PRODUCT, truncate } from './text.js';

/** Seerflow 0..6 → CEF 0..10 (Low 0–3, Medium 4–6, High 7–8, Very-High 9–10). */
const SEVERITY = [0, 1, 3, 5, 7, 9, 10] as const;
const MAX_VALUE = 1023;

/** A header field: `\` and `|` escaped, controls as spaces, cut to `max` first (CEF and LEEF alike). */
export function escapeHeader(text: string, max: number): string {
  return truncate(text, max).replace(/[\\|\p{Cc}]/gu, (c) => (c === '\\' || c === '|' ? `\\${c}` : ' '));
}

function escapeValue(text: string): string {
  return truncate(text, MAX_VALUE).replace(/[\\=\p{Cc}]/gu, (c) => {
    if (c === '\\' || c === '=') return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    return ' ';
  });
}

/** The severity CEF and LEEF carry (CEF 0..10). */
export function cefSeverity(severity: number): number {
  return SEVERITY[severity] ?? 5;
}

export function formatCef(alert: Alert): string {
  const ext: Array<[string, string]> = [
    ['rt', epochMs(alert.timestampNs)],
    ['cat', alert.alertType],
    ['externalId', alert.alertId],
    ['msg', alert.description],
  ];
  // The standard source fields, when the entity is one of them.
  if (alert.entityType === 'ip' && net.isIP(alert.entityValue)) ext.push(['src', alert.entityValue]);
  else if (alert.entityType === 'user') ext.push(['suser', alert.entityValue]);
  else if (alert.entityType === 'host') ext.push(['shost', alert.entityValue]);
  ext.push(
    ['cs1Label', 'entityType'], ['cs1', alert.entityType],
    ['cs2Label', 'entityValue'], ['cs2', alert.entityValue],
    ['cs3Label', 'mitreTactics'], ['cs3', alert.tactics.join(',')],
    ['cs4Label', 'mitreTechniques'], ['cs4', alert.techniques.join(',')],
    ['cs5Label', 'dedupKey'], ['cs5', alert.dedupKey],
    ['cs6Label', 'entityUuid'], ['cs6', alert.entityId],
    ['cfp1Label', 'riskScore'], ['cfp1', String(alert.riskScore)],
    ['cn1Label', 'dedupCount'], ['cn1', String(alert.dedupCount)],
  );
  const header = [
    'CEF:0',
    escapeHeader(PRODUCT.vendor, 63),
    escapeHeader(PRODUCT.product, 63),
    escapeHeader(PRODUCT.version, 31),
    escapeHeader(`${alert.alertType}:${alert.ruleName}`, 1023),
    escapeHeader(alert.ruleName, 512),
    String(cefSeverity(alert.severity)),
  ].join('|');
  return `${header}|${ext.map(([key, value]) => `${key}=${escapeValue(value)}`).join(' ')}`;
}
