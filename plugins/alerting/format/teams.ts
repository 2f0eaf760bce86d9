/**
 * Microsoft Teams message: an Adaptive Card 1.4 in the `{"type":"message","attachments":[…]}`
 * envelope (reference §13): a title coloured by severity, the description, a FactSet, an
 * id/time footer, and an OpenUrl action when `dashboard_url` is set. Colours as the original:
 * TRACE default, INFORMATIONAL/NOTICE accent, WARNING warning, ERROR and above attention.
 * Texts are cut so the card stays well under Teams' 28 KB message limit.
 */
import type { Alert } from '../../../main/core/alert.js';
import { alertLink, entityText, isoTime, severityLabel, truncate } from './text.js';

const COLOR = ['Default', 'Accent', 'Accent', 'Warning', 'Attention', 'Attention', 'Attention'] as const;

export function teamsMessage(alert: Alert, dashboardUrl: string | null): Record<string, unknown> {
  const label = severityLabel(alert.severity);
  const facts = [
    { title: 'Severity', value: label },
    { title: 'Alert Type', value: alert.alertType },
    { title: 'Entity', value: truncate(entityText(alert.entityType, alert.entityValue) || '-', 1000) },
    { title: 'Risk Score', value: alert.riskScore.toFixed(2) },
    { title: 'Occurrences', value: String(alert.dedupCount) },
  ];
  if (alert.tactics.length > 0) facts.push({ title: 'Tactics', value: truncate(alert.tactics.join(', '), 1000) });
  if (alert.techniques.length > 0) facts.push({ title: 'Techniques', value: truncate(alert.techniques.join(', '), 1000) });
  const link = alertLink(dashboardUrl, alert.alertId);
  const card = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    body: [
      {
        type: 'TextBlock',
        text: truncate(`[${label}] ${alert.ruleName}`, 500),
        weight: 'Bolder',
        size: 'Medium',
        color: COLOR[alert.severity] ?? 'Default',
        wrap: true,
      },
      { type: 'TextBlock', text: truncate(alert.description, 4000), wrap: true },
      { type: 'FactSet', facts },
      { type: 'TextBlock', text: `Alert ID: ${alert.alertId} | ${isoTime(alert.timestampNs)}`, isSubtle: true, size: 'Small', wrap: true },
    ],
    ...(link ? { actions: [{ type: 'Action.OpenUrl', title: 'View in Dashboard', url: link }] } : {}),
  };
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}
