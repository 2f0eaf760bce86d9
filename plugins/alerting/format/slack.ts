/**
 * Slack Block Kit message (reference §13): a header `emoji [SEVERITY] rule`, the description and
 * entity, fields (severity, type, risk, occurrences), an ATT&CK section when tagged, a context
 * line `Alert ID | time`, and a "View in Dashboard" button when `dashboard_url` is set.
 *
 * Alert text is data, not markup: `&`, `<` and `>` are escaped as Slack asks, so content cannot
 * forge links or mentions; every text is cut to Block Kit's limits (header 150, section 3000,
 * field 2000) so Slack never rejects the message.
 */
import type { Alert } from '../../../main/core/alert.js';
import { alertLink, entityText, isoTime, severityLabel, truncate } from './text.js';

const EMOJI = ['⚪', '🔵', '🔵', '🟡', '🟠', '🔴', '🔴'] as const;

function escapeMrkdwn(text: string, max: number): string {
  return truncate(text, max).replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/** Cut before escaping, then once more after: an escape may lengthen the text. */
function mrkdwn(text: string, max: number): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: truncate(escapeMrkdwn(text, max), max) };
}

export function slackMessage(alert: Alert, dashboardUrl: string | null): Record<string, unknown> {
  const label = severityLabel(alert.severity);
  const title = `${EMOJI[alert.severity] ?? '⚪'} [${label}] ${alert.ruleName}`;
  const entity = entityText(alert.entityType, alert.entityValue);
  const blocks: Array<Record<string, unknown>> = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, 150), emoji: true } },
    { type: 'section', text: mrkdwn(entity ? `${alert.description}\n*Entity:* ${entity}` : alert.description, 3000) },
    {
      type: 'section',
      fields: [
        mrkdwn(`*Severity*\n${label}`, 2000),
        mrkdwn(`*Alert Type*\n${alert.alertType}`, 2000),
        mrkdwn(`*Risk Score*\n${alert.riskScore.toFixed(2)}`, 2000),
        mrkdwn(`*Occurrences*\n${alert.dedupCount}`, 2000),
      ],
    },
  ];
  if (alert.tactics.length > 0 || alert.techniques.length > 0) {
    const lines = ['*MITRE ATT&CK*'];
    if (alert.tactics.length > 0) lines.push(`Tactics: ${alert.tactics.join(', ')}`);
    if (alert.techniques.length > 0) lines.push(`Techniques: ${alert.techniques.join(', ')}`);
    blocks.push({ type: 'section', text: mrkdwn(lines.join('\n'), 3000) });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(`Alert ID: ${alert.alertId} | ${isoTime(alert.timestampNs)}`, 2000)] });
  const link = alertLink(dashboardUrl, alert.alertId);
  if (link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', text: { type: 'plain_text', text: 'View in Dashboard' }, url: link }],
    });
  }
  // `text` is the notification's fallback; Slack shows the blocks.
  return { text: truncate(`[${label}] ${alert.ruleName}: ${alert.description}`, 3000), blocks };
}
