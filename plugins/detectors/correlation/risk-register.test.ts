import { describe, expect, it } from 'vitest';
import { normalizedRisk, RiskRegister, riskPoints } from './risk-register.js';

const HOUR = 3_600_000;
const ip = { id: 'ip-1', type: 'ip' as const, value: '203.0.113.7' };
const T0 = Date.parse('2025-12-10T07:00:00Z');

describe('RiskRegister', () => {
  const register = () => new RiskRegister({ halfLifeMs: 4 * HOUR, threshold: 50, maxEntities: 3 });

  it('halves an entity’s points every half-life of event time', () => {
    const risk = register();
    risk.add(ip, 40, T0, 'sigma-rule');
    expect(risk.scoreAt(ip.id, T0)).toBe(40);
    expect(risk.scoreAt(ip.id, T0 + 4 * HOUR)).toBeCloseTo(20, 10);
    expect(risk.scoreAt(ip.id, T0 + 8 * HOUR)).toBeCloseTo(10, 10);
    // Event time, not the wall clock: a replay of last year's logs decays as it happened.
    expect(risk.scoreAt(ip.id, T0 - HOUR)).toBe(40);
  });

  it('crosses once at the threshold, with the raw points and recent contributions', () => {
    const risk = register();
    expect(risk.add(ip, 30, T0, 'a')).toBeNull();
    const crossing = risk.add(ip, 20, T0, 'b');
    expect(crossing).toMatchObject({ entity: ip, points: 50, recent: [{ rule: 'a', points: 30, tMs: T0 }, { rule: 'b', points: 20, tMs: T0 }] });
    expect(risk.add(ip, 20, T0 + 1000, 'c')).toBeNull(); // still above: no second alert
    expect(risk.crossings).toBe(1);
  });

  it('re-arms once the score has decayed below the threshold (the original alerted once per process)', () => {
    const risk = register();
    risk.add(ip, 60, T0, 'a');
    const held = 60 * 2 ** -0.25 + 1;
    expect(risk.add(ip, 1, T0 + HOUR, 'a')).toBeNull(); // 50.45 + 1: still above, still disarmed
    expect(risk.add(ip, 1, T0 + 2 * HOUR, 'a')).toBeNull(); // decayed to 43.3: below 50 but not below half of it
    // 7 h later the score is down to 11.1, under REARM_RATIO × 50: the next push over 50 alerts again.
    const score = (held * 2 ** -0.25 + 1) * 2 ** (-7 / 4);
    expect(risk.add(ip, 40, T0 + 9 * HOUR, 'b')?.points).toBeCloseTo(score + 40, 10);
    expect(risk.crossings).toBe(2);
  });

  it('decays a late contribution to the entity’s latest time', () => {
    const risk = register();
    risk.add(ip, 10, T0 + 4 * HOUR, 'a');
    risk.add(ip, 20, T0, 'late');
    expect(risk.scoreAt(ip.id, T0 + 4 * HOUR)).toBeCloseTo(20, 10);
  });

  it('keeps at most maxEntities, evicting the least recently touched, and survives a state round trip', () => {
    const risk = register();
    for (const n of [1, 2, 3, 4]) risk.add({ id: `e${n}`, type: 'user', value: `u${n}` }, n, T0, 'r');
    expect(risk.entityCount).toBe(3);
    expect(risk.evicted).toBe(1);
    expect(risk.scoreAt('e1', T0)).toBe(0);
    const restored = new RiskRegister({ halfLifeMs: 4 * HOUR, threshold: 50, maxEntities: 3 }, JSON.parse(JSON.stringify(risk.toState())));
    expect(restored.scoreAt('e4', T0 + 4 * HOUR)).toBeCloseTo(2, 10);
    expect(new RiskRegister({ halfLifeMs: HOUR, threshold: 1, maxEntities: 1 }, { version: 99, entities: [] }).entityCount).toBe(0);
  });
});

describe('riskPoints and normalizedRisk', () => {
  it('scores alerts per type as the original: ML ×10, Sigma 15/5, correlation and IoC ×20, UEBA ×10', () => {
    expect(riskPoints({ alertType: 'ml', severity: 3, riskScore: 0.8 })).toBe(8);
    expect(riskPoints({ alertType: 'sigma', severity: 4, riskScore: 0.1 })).toBe(15);
    expect(riskPoints({ alertType: 'sigma', severity: 3, riskScore: 0.9 })).toBe(5);
    expect(riskPoints({ alertType: 'correlation', severity: 4, riskScore: 0.8 })).toBe(16);
    expect(riskPoints({ alertType: 'ioc', severity: 5, riskScore: 0.9 })).toBe(18);
    expect(riskPoints({ alertType: 'ueba', severity: 4, riskScore: 0.7 })).toBe(7);
  });

  it('maps raw points into [0, 1]: the threshold scores 0.5, twice it 0.75', () => {
    expect(normalizedRisk(0, 50)).toBe(0);
    expect(normalizedRisk(50, 50)).toBe(0.5);
    expect(normalizedRisk(100, 50)).toBe(0.75);
    expect(normalizedRisk(1e9, 50)).toBeLessThanOrEqual(1);
  });
});
