import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../../test/support/make-alert.js';
import { slackMessage } from './slack.js';
import { teamsMessage } from './teams.js';
import { webhookJson } from './webhook-json.js';

const DASHBOARD = 'https://seerflow.example/';

interface SlackBlock {
  type: string;
  text: { text: string };
  fields: Array<{ text: string }>;
  elements: Array<{ type?: string; text: string; url?: string }>;
}

interface TeamsCard {
  type: string;
  attachments: Array<{
    contentType: string;
    content: {
      type: string;
      version: string;
      body: Array<{ text: string; color: string; facts: Array<{ title: string; value: string }> }>;
      actions: Array<{ type: string; title: string; url: string }>;
    };
  }>;
}

describe('webhook payloads', () => {
  it('generic JSON: the original’s flat fields and the alert link', () => {
    const alert = makeAlert({ timestampNs: 1_796_032_800_000_000_000n, severity: 4 });
    expect(webhookJson(alert, DASHBOARD)).toEqual({
      alert_id: alert.alertId,
      alert_type: 'sigma',
      timestamp: '2026-11-30T10:00:00.000Z',
      timestamp_ns: '1796032800000000000',
      severity: 'ERROR',
      severity_id: 4,
      rule_name: 'SSH brute force',
      description: 'Repeated failed SSH logins from 203.0.113.7',
      entity_uuid: alert.entityId,
      entity_value: '203.0.113.7',
      entity_type: 'ip',
      mitre_tactics: ['credential_access'],
      mitre_techniques: ['T1110.001'],
      risk_score: 0.5,
      dedup_count: 1,
      dashboard_url: `https://seerflow.example/alerts/${alert.alertId}`,
    });
    expect(webhookJson(alert, null)).not.toHaveProperty('dashboard_url');
  });

  it('Slack: header, fields, ATT&CK, context and button; markup in alert text is escaped; texts fit Block Kit', () => {
    const alert = makeAlert({ severity: 5, ruleName: 'R'.repeat(400), description: '<!channel> <https://evil.example|click> & more' });
    const message = slackMessage(alert, DASHBOARD) as { text: string; blocks: SlackBlock[] };
    const [header, body, fields, attack, context, actions] = message.blocks;
    expect(header!.text.text).toHaveLength(150);
    expect(header!.text.text.startsWith('🔴 [CRITICAL] RRR')).toBe(true);
    expect(body!.text.text).toBe('&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; more\n*Entity:* ip 203.0.113.7');
    expect(fields!.fields.map((f) => f.text)).toEqual(['*Severity*\nCRITICAL', '*Alert Type*\nsigma', '*Risk Score*\n0.50', '*Occurrences*\n1']);
    expect(attack!.text.text).toBe('*MITRE ATT&amp;CK*\nTactics: credential_access\nTechniques: T1110.001');
    expect(context!.elements[0]!.text).toMatch(new RegExp(`^Alert ID: ${alert.alertId} \\| \\d{4}-`));
    expect(actions!.elements[0]).toMatchObject({ type: 'button', url: `https://seerflow.example/alerts/${alert.alertId}` });
    const long = slackMessage(makeAlert({ description: '<'.repeat(5000), tactics: [], techniques: [] }), null) as typeof message;
    expect(long.blocks[1]!.text.text.length).toBeLessThanOrEqual(3000);
    expect(long.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'context']);
  });

  it('Teams: an Adaptive Card 1.4 in the message envelope, coloured by severity', () => {
    const message = teamsMessage(makeAlert({ severity: 3 }), DASHBOARD) as unknown as TeamsCard;
    expect(message.type).toBe('message');
    const card = message.attachments[0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.content.body[0]).toMatchObject({ text: '[WARNING] SSH brute force', color: 'Warning' });
    expect(card.content.body[2]!.facts).toContainEqual({ title: 'Techniques', value: 'T1110.001' });
    expect(card.content.actions[0]).toMatchObject({ type: 'Action.OpenUrl', title: 'View in Dashboard' });
    const colours = [0, 1, 2, 4, 6].map((severity) => (teamsMessage(makeAlert({ severity: severity as 0 }), null) as unknown as TeamsCard).attachments[0]!.content.body[0]!.color);
    expect(colours).toEqual(['Default', 'Accent', 'Accent', 'Attention', 'Attention']);
  });
});
