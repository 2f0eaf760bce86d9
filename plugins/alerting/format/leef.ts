/**
 * IBM QRadar LEEF 2.0 with a tab delimiter: `LEEF:2.0|Vendor|Product|Version|EventID|x09|key=value<TAB>…`.
 *
 * In the header `\` and `|` are backslash-escaped. LEEF defines no escape inside attribute
 * values, and IBM's guidance is to keep the delimiter out of them: tabs, CR, LF and every other
 * control character become spaces, so neither an attribute nor the line can be split by content.
 * `=` needs nothing (a parser splits each pair at its first `=`, and keys are fixed ASCII).
 */
import net from 'node:net';
import type { Alert } from '../../../main/core/alert.js';
import { cefSeverity, escapeHeader } from './cef.js';
import { isoTime, PRODUCT, truncate } from './text.js';

const MAX_VALUE = 1023;

function cleanValue(text: string): string {
  return truncate(text, MAX_VALUE).replace(/\p{Cc}/gu, ' ');
}

export function formatLeef(alert: Alert): string {
  const attributes: Array<[string, string]> = [
    ['devTime', isoTime(alert.timestampNs)],
    ['devTimeFormat', "yyyy-MM-dd'T'HH:mm:ss.SSSX"],
    // LEEF severities are 1..10.
    ['sev', String(Math.max(1, cefSeverity(alert.severity)))],
    ['cat', alert.alertType],
  ];
  if (alert.entityType === 'ip' && net.isIP(alert.entityValue)) attributes.push(['src', alert.entityValue]);
  else if (alert.entityType === 'user') attributes.push(['usrName', alert.entityValue]);
  else if (alert.entityType === 'host') attributes.push(['identHostName', alert.entityValue]);
  attributes.push(
    ['alertId', alert.alertId],
    ['ruleName', alert.ruleName],
    ['description', alert.description],
    ['entityType', alert.entityType],
    ['entityValue', alert.entityValue],
    ['entityUuid', alert.entityId],
    ['riskScore', String(alert.riskScore)],
    ['dedupKey', alert.dedupKey],
    ['dedupCount', String(alert.dedupCount)],
    ['mitreTactics', alert.tactics.join(',')],
    ['mitreTechniques', alert.techniques.join(',')],
  );
  const header = [
    'LEEF:2.0',
    escapeHeader(PRODUCT.vendor, 63),
    escapeHeader(PRODUCT.product, 63),
    escapeHeader(PRODUCT.version, 31),
    escapeHeader(`${alert.alertType}:${alert.ruleName}`, 255),
    'x09',
  ].join('|');
  return `${header}|${attributes.map(([key, value]) => `${key}=${cleanValue(value)}`).join('\t')}`;
}
