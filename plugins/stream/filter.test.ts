import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../test/support/make-alert.js';
import { makeEvent } from '../../test/support/make-event.js';
import { matchesAlert, matchesEvent, MATCH_ALL, parseFilterFrame, type StreamFilter } from './filter.js';

const ENTITY = '550e8400-e29b-41d4-a716-446655440000';
const OTHER_ENTITY = 'a1b2c3d4-0002-5000-8000-000000000002';

function filterOf(frame: Record<string, unknown>): StreamFilter {
  const parsed = parseFilterFrame({ type: 'filter', ...frame });
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.filter;
}

describe('parseFilterFrame', () => {
  it('turns a full frame into sets', () => {
    const parsed = parseFilterFrame({
      type: 'filter',
      min_severity: 3,
      source: ['nginx', 'syslog'],
      entity: ENTITY.toUpperCase(),
      alert_types: ['sigma', 'ioc'],
      template_ids: [4, 7],
    });
    expect(parsed).toStrictEqual({
      ok: true,
      filter: {
        minSeverity: 3,
        sources: new Set(['nginx', 'syslog']),
        entity: ENTITY,
        alertTypes: new Set(['sigma', 'ioc']),
        templateIds: new Set([4, 7]),
      },
    });
  });

  it('reads omitted keys and empty lists as "all"', () => {
    expect(parseFilterFrame({ type: 'filter' })).toStrictEqual({ ok: true, filter: MATCH_ALL });
    expect(parseFilterFrame({ type: 'filter', source: [], alert_types: [], template_ids: [], entity: null })).toStrictEqual({
      ok: true,
      filter: MATCH_ALL,
    });
  });

  it('accepts the original\'s `sources` as an alias of `source`', () => {
    expect(filterOf({ sources: ['nginx'] }).sources).toStrictEqual(new Set(['nginx']));
  });

  it.each([
    [{ type: 'filter', min_severity: 7 }, '"min_severity" must be less than or equal to 6'],
    [{ type: 'filter', min_severity: -1 }, '"min_severity" must be greater than or equal to 0'],
    [{ type: 'filter', min_severity: '3' }, '"min_severity" must be a number'],
    [{ type: 'filter', source: Array.from({ length: 51 }, (_, i) => `s${i}`) }, '"source" must contain less than or equal to 50 items'],
    [{ type: 'filter', source: 'nginx' }, '"source" must be an array'],
    [{ type: 'filter', entity: 'web01' }, '"entity" must be a valid GUID'],
    [{ type: 'filter', alert_types: ['ml', 'magic'] }, '"alert_types[1]" must be one of [ml, sigma, correlation, ueba, ioc]'],
    [{ type: 'filter', template_ids: Array.from({ length: 101 }, (_, i) => i) }, '"template_ids" must contain less than or equal to 100 items'],
    [{ type: 'filter', template_ids: [1.5] }, '"template_ids[0]" must be an integer'],
    [{ type: 'filter', severity: 3 }, '"severity" is not allowed'],
    [{ type: 'subscribe' }, '"type" must be [filter]'],
    [{ min_severity: 1 }, '"type" is required'],
    [[1, 2], '"frame" must be of type object'],
    [null, '"frame" must be of type object'],
  ])('rejects %j: %s', (frame, message) => {
    expect(parseFilterFrame(frame)).toStrictEqual({ ok: false, message });
  });
});

describe('matchesEvent', () => {
  const event = makeEvent({
    severity: 3,
    sourceType: 'webhook',
    sourceId: 'edge-hook',
    app: 'nginx',
    templateId: 7,
    entities: [{ type: 'ip', value: '203.0.113.7', id: ENTITY }],
  });

  it('lets everything through the default filter', () => {
    expect(matchesEvent(MATCH_ALL, event)).toBe(true);
  });

  it('applies the minimum severity', () => {
    expect(matchesEvent(filterOf({ min_severity: 3 }), event)).toBe(true);
    expect(matchesEvent(filterOf({ min_severity: 4 }), event)).toBe(false);
  });

  it('matches `source` against source_type, source_id or app', () => {
    expect(matchesEvent(filterOf({ source: ['webhook'] }), event)).toBe(true);
    expect(matchesEvent(filterOf({ source: ['edge-hook'] }), event)).toBe(true);
    expect(matchesEvent(filterOf({ source: ['syslog', 'nginx'] }), event)).toBe(true);
    expect(matchesEvent(filterOf({ source: ['syslog', 'sshd'] }), event)).toBe(false);
  });

  it('matches `entity` against the entity refs', () => {
    expect(matchesEvent(filterOf({ entity: ENTITY }), event)).toBe(true);
    expect(matchesEvent(filterOf({ entity: OTHER_ENTITY }), event)).toBe(false);
    expect(matchesEvent(filterOf({ entity: ENTITY }), makeEvent({ entities: [] }))).toBe(false);
  });

  it('matches `template_ids`, and needs every condition at once', () => {
    expect(matchesEvent(filterOf({ template_ids: [6, 7] }), event)).toBe(true);
    expect(matchesEvent(filterOf({ template_ids: [6] }), event)).toBe(false);
    expect(matchesEvent(filterOf({ template_ids: [7], source: ['nginx'], min_severity: 4 }), event)).toBe(false);
  });

  it('ignores alert-only keys', () => {
    expect(matchesEvent(filterOf({ alert_types: ['ml'] }), event)).toBe(true);
  });
});

describe('matchesAlert', () => {
  it('applies alert types, minimum severity and entity', () => {
    const alert = makeAlert({ entityId: ENTITY });
    expect(matchesAlert(MATCH_ALL, alert)).toBe(true);
    expect(matchesAlert(filterOf({ alert_types: ['sigma', 'ml'] }), alert)).toBe(true);
    expect(matchesAlert(filterOf({ alert_types: ['ml'] }), alert)).toBe(false);
    expect(matchesAlert(filterOf({ min_severity: 4 }), alert)).toBe(false);
    expect(matchesAlert(filterOf({ entity: ENTITY }), alert)).toBe(true);
    expect(matchesAlert(filterOf({ entity: OTHER_ENTITY }), alert)).toBe(false);
  });

  it('ignores event-only keys', () => {
    expect(matchesAlert(filterOf({ source: ['nginx'], template_ids: [1] }), makeAlert())).toBe(true);
  });
});
