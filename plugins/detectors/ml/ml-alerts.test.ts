import { describe, expect, it } from 'vitest';
import { makeEvent } from '../../../test/support/make-event.js';
import { createMlAlerts, riskOf, sourceOfDedupKey } from './ml-alerts.js';
import type { Scored } from './ensemble.js';

function scored(direction: 'upper' | 'lower'): Scored {
  return {
    scored: true,
    source: 'syslog',
    score: direction === 'upper' ? 6.7 : -4,
    upperThreshold: 3.2,
    lowerThreshold: -2.5,
    direction,
    z: Float64Array.from([2, 1, Number.NaN, 0.5, Number.NaN, 3]),
    raw: new Float64Array(6),
  };
}

describe('createMlAlerts', () => {
  const alice = { type: 'user' as const, value: 'alice', id: 'u-1' };
  const ip = { type: 'ip' as const, value: '203.0.113.7', id: 'i-1' };

  it('raises one alert per entity with the original\'s dedup key, description and the event as contributor', () => {
    const event = makeEvent({ templateId: 12, severity: 3, entities: [ip, alice] });
    const alerts = createMlAlerts(event, scored('upper'), { tactics: ['credential_access'], techniques: ['T1110'] });
    expect(alerts.map((a) => [a.entityType, a.entityValue, a.dedupKey])).toEqual([
      ['ip', '203.0.113.7', 'hst:12:syslog:i-1'],
      ['user', 'alice', 'hst:12:syslog:u-1'],
    ]);
    const [first] = alerts;
    expect(first).toMatchObject({
      alertType: 'ml',
      ruleName: 'hst-anomaly',
      severity: 3,
      description: 'Anomaly detected: score=6.700 threshold=3.200 direction=upper',
      contributingEventIds: [event.eventId],
      tactics: ['credential_access'],
      techniques: ['T1110'],
      riskScore: 1,
    });
    expect(first!.details).toMatchObject({
      score: 6.7,
      threshold: 3.2,
      direction: 'upper',
      template: event.templateStr,
      template_id: 12,
      source: 'syslog',
      channels: { content: 2, volume: 1, pattern: null, sequence: 0.5, template_volume: null, entity_volume: 3 },
    });
  });

  it('raises a single alert without entity for an event that has none, and reports the lower threshold for a drop', () => {
    const [alert, ...rest] = createMlAlerts(makeEvent({ templateId: 3, entities: [] }), scored('lower'), { tactics: [], techniques: [] });
    expect(rest).toEqual([]);
    expect([alert!.entityId, alert!.dedupKey, alert!.details.threshold, alert!.riskScore]).toEqual(['', 'hst:3:syslog:', -2.5, 0.25]);
  });

  it('reads the source back from a dedup key (the feedback loop needs it)', () => {
    expect(sourceOfDedupKey('hst:12:syslog:i-1')).toBe('syslog');
    expect(sourceOfDedupKey('hst:3:file:')).toBe('file');
    expect(sourceOfDedupKey('sigma:rule:x')).toBeUndefined();
  });

  it('gives risk 0.5 at the threshold, 1 from twice it', () => {
    expect(riskOf(3.2, 3.2, 'upper')).toBe(0.5);
    expect(riskOf(4.8, 3.2, 'upper')).toBeCloseTo(0.75, 12);
    expect(riskOf(9, 3.2, 'upper')).toBe(1);
  });
});
