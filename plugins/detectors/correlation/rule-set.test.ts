import { describe, expect, it } from 'vitest';
import { entityRef } from '../../../main/core/entity/identity.js';
import type { EntityRef } from '../../../main/core/event.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { parseRuleFile } from './rule-schema.js';
import { isPeriodic, RuleSet } from './rule-set.js';
import type { WindowEntry } from './window-buffer.js';

const ref = (type: EntityRef['type'], value: string) => entityRef(type, value)!;

function rules(...texts: string[]): RuleSet {
  return new RuleSet(texts.map((text, i) => parseRuleFile(`r${i}.yml`, text).rule!));
}

const SPRAY = `name: spray
entity_type: ip
window_seconds: 3600
alert_severity: 4
sources:
  - source_type: syslog
    conditions:
      message: '(?i)FAILED PASSWORD'
      related_users: '^(?:svc-|adm-)'
    min_count: 3
    distinct: related_users
    min_distinct: 3
`;

describe('RuleSet.match', () => {
  it('matches all conditions of a source: (?i) regexes, tuple fields on any element, exact source type', () => {
    const set = rules(SPRAY);
    const event = (user: string, sourceType: 'syslog' | 'file' = 'syslog') =>
      makeEvent({ sourceType, message: `Failed password for ${user} from 203.0.113.9 port 22 ssh2`, entities: [ref('ip', '203.0.113.9'), ref('user', user)] });
    expect(set.match(event('svc-backup'))).toEqual({ sources: [0], keys: ['svc-backup'], rules: [0] });
    expect(set.match(event('alice'))).toBeNull();
    expect(set.match(event('svc-backup', 'file'))).toBeNull();
  });
});

describe('RuleSet.evaluate', () => {
  const T0 = Date.parse('2025-12-10T07:00:00Z');
  const entries = (keys: string[], step = 60_000): WindowEntry[] => keys.map((key, i) => ({ tMs: T0 + i * step, eventId: `e${i}`, sources: [0], keys: [key] }));

  it('needs min_count matches and min_distinct distinct values within [t − window, t]', () => {
    const set = rules(SPRAY);
    expect(set.evaluate(0, entries(['svc-a', 'svc-a', 'svc-a']), T0 + 120_000, 0)).toBeNull();
    const hit = set.evaluate(0, entries(['svc-a', 'svc-b', 'svc-a', 'svc-c']), T0 + 180_000, 0);
    // Scanned newest first, it stops as soon as the newest three satisfy the source.
    expect(hit).toMatchObject({ counts: [3], distinct: [3], satisfied: 1, contributing: ['e1', 'e2', 'e3'] });
    // Half an hour apart: at 1 h 30 the window [0 h 30, 1 h 30] holds the last three, 1 ms later two.
    const spread = entries(['svc-a', 'svc-b', 'svc-a', 'svc-c'], 1_800_000);
    expect(set.evaluate(0, spread, T0 + 5_400_000, 0)?.contributing).toEqual(['e1', 'e2', 'e3']);
    expect(set.evaluate(0, spread, T0 + 5_400_001, 0)).toBeNull();
  });

  it('still finds an entry added out of order, within the watermark tolerance', () => {
    const set = rules(SPRAY);
    // e0 is out of order: 5 min older than e1 but added after it (tolerance 10 min).
    const disordered: WindowEntry[] = [
      { tMs: T0 + 600_000, eventId: 'e1', sources: [0], keys: ['svc-a'] },
      { tMs: T0 + 300_000, eventId: 'e0', sources: [0], keys: ['svc-b'] },
      { tMs: T0 + 3_900_000, eventId: 'e2', sources: [0], keys: ['svc-c'] },
    ];
    expect(set.evaluate(0, disordered, T0 + 3_900_000, 600_000)?.contributing).toEqual(['e1', 'e0', 'e2']);
  });

  it('ignores entries later than the evaluated time', () => {
    expect(rules(SPRAY).evaluate(0, entries(['svc-a', 'svc-b', 'svc-c']), T0 + 60_000, 0)).toBeNull();
  });
});

describe('isPeriodic', () => {
  it('accepts regular intervals and refuses jittery or too few ones', () => {
    expect(isPeriodic([0, 60_000, 119_000, 181_000, 240_000, 300_000], 5, 0.1)).toBe(true);
    expect(isPeriodic([0, 5_000, 175_000, 195_000, 290_000, 298_000], 5, 0.1)).toBe(false);
    expect(isPeriodic([0, 60_000, 120_000], 5, 0.1)).toBe(false);
    expect(isPeriodic([1000, 1000, 1000, 1000, 1000, 1000], 5, 0.1)).toBe(false); // no interval at all
  });
});
