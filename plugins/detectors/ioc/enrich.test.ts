import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../test/support/make-event.js';
import { buildAlert, escapeControls, matchesJson, severityForConfidence, tacticsOf } from './enrich.js';
import type { IocMatch } from './matcher.js';

const names = { feedId: (feed: number) => ['otx', 'abusech'][feed] ?? '?', phases: (index: number) => [[], ['command-and-control', 'delivery', 'Command and Control']][index] ?? [] };
const entity = { type: 'ip' as const, value: '1.2.3.4', id: 'e4c6b0a3-1111-5111-8111-111111111111' };
const match: IocMatch = { type: 'ipv4', indicator: '1.2.3.4', observed: '1.2.3.4', entity, sources: [{ feed: 0, confidence: 75, phases: 1 }, { feed: 1, confidence: 40, phases: 0 }] };

describe('enrichment', () => {
  it('bands severity by confidence as the original (reference §18 vector 8)', () => {
    expect([0, 32, 33, 66, 67, 84, 85, 100, 150].map(severityForConfidence)).toEqual([2, 2, 3, 3, 4, 4, 5, 5, 5]);
  });

  it('maps kill-chain phases to canonical tactics, dropping those that name none', () => {
    expect(tacticsOf(['command-and-control', 'delivery', 'Command and Control', 'TA0010'])).toEqual(['command_and_control', 'exfiltration']);
  });

  it('builds the ioc alert of a match (reference §18 handler contract)', () => {
    const event = makeEvent({ message: 'probe from 1.2.3.4' });
    const alert = buildAlert(match, event, names);
    expect(alert).toMatchObject({
      alertType: 'ioc',
      ruleName: 'ti:otx',
      severity: 4,
      riskScore: 0.75,
      description: 'Threat-intel match: 1.2.3.4 (ipv4) from otx confidence=75',
      entityId: entity.id,
      entityType: 'ip',
      entityValue: '1.2.3.4',
      dedupKey: `ioc:ipv4:1.2.3.4:${entity.id}`,
      tactics: ['command_and_control'],
      techniques: [],
      contributingEventIds: [event.eventId],
      timestampNs: event.timestampNs,
      sourceType: 'syslog',
    });
    expect(alert.details).toMatchObject({ risk_points: 15, feeds: [{ feed: 'otx', confidence: 75 }, { feed: 'abusech', confidence: 40 }] });
  });

  it('describes what the event held when it differs from the listing, escaping control characters', () => {
    const alert = buildAlert(
      { type: 'url', indicator: 'http://e.example/', observed: 'http://E.example/\u001b[31m', entity: undefined, sources: [{ feed: 1, confidence: 10, phases: 0 }] },
      makeEvent(),
      names,
    );
    expect(alert.description).toBe('Threat-intel match: http://e.example/ (url) from abusech confidence=10 seen as http://E.example/\\x1b[31m');
    expect(alert).toMatchObject({ entityId: '', entityType: '', entityValue: 'http://E.example/\u001b[31m', severity: 2 });
    expect(escapeControls('a\nb\u007f')).toBe('a\\x0ab\\x7f');
  });

  it('lists the matches as the event field carries them', () => {
    expect(matchesJson([match], names)).toEqual([
      {
        value: '1.2.3.4',
        type: 'ipv4',
        source_feed: 'otx',
        confidence: 75,
        kill_chain_phases: ['command-and-control', 'delivery', 'Command and Control'],
        entity_kind: 'ip',
        observed: '1.2.3.4',
        entity_uuid: entity.id,
      },
    ]);
  });
});
