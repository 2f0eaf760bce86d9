import { describe, expect, it } from 'vitest';
import { extractEntities } from '../../../main/core/entity/extract.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { IocDetector } from './detector.js';
import { ALL_TYPES, IndicatorSet } from './indicator-set.js';
import { Matcher } from './matcher.js';

function detectorFor(values: string[]): IocDetector {
  const set = new IndicatorSet({ fpr: 0.001, minCapacity: 100, growth: 1.25 });
  set.applyStix(
    0,
    [{ fp: 1, modifiedS: 1, revoked: false, validUntilS: 0, confidence: 75, phases: ['command-and-control'], observables: values.map((value) => ({ type: 'ipv4' as const, value })) }],
    0,
    { confidenceFloor: 0, maxIndicators: 10, graceS: 0, enabledTypes: ALL_TYPES },
  );
  const matcher = new Matcher(set.table, { enabledTypes: ALL_TYPES, urlFields: [], graceS: 0, maxMatches: 32 });
  return new IocDetector(matcher, { feedId: () => 'otx', phases: (i) => set.phases(i) });
}

describe('IocDetector', () => {
  it('raises one alert for a listed address and records the match on the event (reference §16 handler test)', () => {
    const detector = detectorFor(['1.2.3.4']);
    const message = 'probe from 1.2.3.4';
    const event = makeEvent({ message, fields: { user: 'x' }, entities: extractEntities({ message }) });
    const alerts = detector.process(event);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ alertType: 'ioc', ruleName: 'ti:otx', severity: 4, entityValue: '1.2.3.4', details: { risk_points: 15 } });
    const matches = JSON.parse(event.fields.ioc_matches as string) as Array<{ value: string }>;
    expect(matches[0]?.value).toBe('1.2.3.4');
    expect(event.fields.user).toBe('x');
    expect(detector.stats).toMatchObject({ checks_total: 1, events_matched_total: 1, matches_total: 1, alerts_emitted_total: 1, matches_by_feed: [1] });
  });

  it('leaves other events untouched and never throws', () => {
    const detector = detectorFor(['1.2.3.4']);
    const event = makeEvent({ message: 'probe from 5.6.7.8', entities: extractEntities({ message: 'probe from 5.6.7.8' }) });
    expect(detector.process(event)).toEqual([]);
    expect(event.fields).toEqual({});
    const broken = makeEvent({ entities: null as never });
    expect(detector.process(broken)).toEqual([]);
    expect(detector.stats.errors_total).toBe(1);
  });
});
