import { describe, expect, it } from 'vitest';
import { login, nsAt, routine, SUDO } from '../../../test/ueba/events.js';
import { EntityBaseline, type BaselineSettings, type Observation } from './baseline.js';
import { utcHour } from './hours.js';
import { emptySubScores, scoreObservation } from './score.js';
import { warmupPolicy } from './warmup.js';

const SETTINGS: BaselineSettings = { warmup: warmupPolicy(7, 50), alpha: 0.05, sourceIpCap: 64, templateTopK: 32 };
const WEIGHTS = { time_of_day: 0.25, source_novelty: 0.3, volume: 0.2, pattern_novelty: 0.25 };

function observation(iso: string, addresses: string[], templateId: number): Observation {
  const tsNs = nsAt(iso);
  const ms = Number(tsNs / 1_000_000n);
  return { tsNs, ms, hour: utcHour(ms), addresses, templateId };
}

/** alice: 8 days of 7 logins from 10.0.0.5, one a minute from 09:00 UTC. */
function alice(): EntityBaseline {
  const baseline = new EntityBaseline('alice-id', 'user', SETTINGS, nsAt('2025-07-01T09:00:00Z'));
  for (const event of routine('alice', '10.0.0.5', 8, 7)) {
    const ms = Number(event.timestampNs / 1_000_000n);
    baseline.learn({ tsNs: event.timestampNs, ms, hour: utcHour(ms), addresses: ['10.0.0.5'], templateId: event.templateId }, SETTINGS.warmup);
  }
  return baseline;
}

const score = (o: Observation) => scoreObservation(alice(), o, WEIGHTS, emptySubScores());

describe('UEBA sub-scores and composite', () => {
  it('scores the usual behaviour 0 on every axis', () => {
    const usual = login('alice', '10.0.0.5', '2025-07-09T09:03:00Z');
    expect(score(observation('2025-07-09T09:03:00Z', ['10.0.0.5'], usual.templateId))).toEqual(emptySubScores());
  });

  it('time of day: an hour never seen scores 1, weighted 0.25', () => {
    expect(score(observation('2025-07-09T23:41:00Z', ['10.0.0.5'], 11))).toEqual({ ...emptySubScores(), time_of_day: 1, composite: 0.25 });
  });

  it('source novelty: the share of new addresses, weighted 0.30', () => {
    expect(score(observation('2025-07-09T09:03:00Z', ['203.0.113.9'], 11))).toMatchObject({ source_novelty: 1, composite: 0.3 });
    expect(score(observation('2025-07-09T09:03:00Z', ['10.0.0.5', '203.0.113.9'], 11))).toMatchObject({ source_novelty: 0.5, composite: 0.15 });
  });

  it('pattern novelty: a template outside the top K scores 1, weighted 0.25', () => {
    expect(score(observation('2025-07-09T09:03:00Z', ['10.0.0.5'], SUDO))).toMatchObject({ pattern_novelty: 1, composite: 0.25 });
  });

  it('volume: a burst within one minute moves the score, weighted 0.20', () => {
    const baseline = alice();
    const burst = (second: number) => observation(`2025-07-09T09:03:${String(second).padStart(2, '0')}Z`, ['10.0.0.5'], 11);
    for (let second = 0; second < 4; second++) baseline.learn(burst(second), SETTINGS.warmup);
    // λ = 1 event per active minute; the fifth event of the minute: z = (5 − 1)/1 ≥ 3 → 1.
    expect(scoreObservation(baseline, burst(4), WEIGHTS, emptySubScores())).toMatchObject({ volume: 1, composite: 0.2 });
  });

  it('a new hour, a new address and a new template together: composite 0.80', () => {
    const scores = score(observation('2025-07-09T23:41:00Z', ['203.0.113.9'], SUDO));
    expect(scores).toEqual({ time_of_day: 1, source_novelty: 1, volume: 0, pattern_novelty: 1, composite: 0.8 });
  });
});
