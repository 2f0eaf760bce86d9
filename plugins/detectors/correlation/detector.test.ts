import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../main/core/alert.js';
import { entityRef } from '../../../main/core/entity/identity.js';
import type { EntityRef, SeerflowEvent } from '../../../main/core/event.js';
import { makeAlert } from '../../../test/support/make-alert.js';
import { makeEvent } from '../../../test/support/make-event.js';
import { validateConfig } from '../../../main/config/load.js';
import { CorrelationDetector, type CorrelationDetectorOptions, type CorrelationState, STATE_KEYS } from './detector.js';
import { detectorOptions } from './options.js';
import { bundledRuleDir, buildRulePack } from './rule-loader.js';

const ref = (type: EntityRef['type'], value: string) => entityRef(type, value)!;
const ATTACKER = ref('ip', '203.0.113.7');
// A 2019 replay: the original pruned windows by the wall clock and would have seen nothing.
const T0 = Date.parse('2019-06-14T15:16:01Z');
const ns = (tMs: number) => BigInt(tMs) * 1_000_000n;

const bundled = () =>
  buildRulePack(fs.readdirSync(bundledRuleDir()).map((name) => ({ file: name, text: fs.readFileSync(path.join(bundledRuleDir(), name), 'utf8') }))).rules;

function harness(overrides: Partial<CorrelationDetectorOptions> = {}, state?: CorrelationState) {
  const deferred: Array<() => void> = [];
  const late: Alert[] = [];
  const detector = new CorrelationDetector(
    bundled(),
    { ...detectorOptions(validateConfig({}, {}), { defer: (step) => deferred.push(step), onDeferredAlerts: (alerts) => late.push(...alerts) }), maxGraphEdges: 1000, ...overrides },
    state,
  );
  const runDeferred = () => {
    while (deferred.length > 0) deferred.shift()!();
  };
  return { detector, deferred, late, runDeferred };
}

const failure = (tMs: number, user = 'root', ip = ATTACKER): SeerflowEvent =>
  makeEvent({ timestampNs: ns(tMs), message: `Failed password for ${user} from ${ip.value} port 22 ssh2`, entities: [ip, ref('user', user), ref('host', 'web01')] });

describe('CorrelationDetector: rules on event-time windows', () => {
  it('fires credential-stuffing on the 10th failure within 300 s (reference §18 #5)', () => {
    const { detector } = harness();
    const alerts = Array.from({ length: 10 }, (_, i) => detector.process(failure(T0 + i * 20_000), [])).flat();
    const stuffing = alerts.filter((a) => a.ruleName === 'credential-stuffing');
    expect(stuffing).toHaveLength(1);
    expect(stuffing[0]).toMatchObject({
      alertType: 'correlation',
      severity: 4,
      riskScore: 0.6 * (4 / 6) + 0.4,
      dedupKey: `corr:credential-stuffing:${ATTACKER.id}`,
      entityId: ATTACKER.id,
      entityType: 'ip',
      entityValue: '203.0.113.7',
      tactics: ['credential_access'],
      techniques: ['T1110.004'],
      timestampNs: ns(T0 + 180_000),
    });
    expect(stuffing[0]!.contributingEventIds).toHaveLength(10);
  });

  it('keeps late events out of the windows and counts them', () => {
    const { detector } = harness();
    for (let i = 0; i < 9; i++) detector.process(failure(T0 + 600_000 + i * 1000), []);
    // 108 s behind the newest: inside the rule's 300 s window, but past the 30 s tolerance.
    expect(detector.process(failure(T0 + 500_000), [])).toEqual([]);
    expect(detector.stats()).toMatchObject({ late_events: 1, events: 10 });
    expect(detector.process(failure(T0 + 609_500), []).map((a) => a.ruleName)).toContain('credential-stuffing');
  });
});

describe('CorrelationDetector: risk and kill chain from the alerts raised on each event', () => {
  const quiet = (tMs: number) => makeEvent({ timestampNs: ns(tMs), message: 'session closed', entities: [ATTACKER] });
  const sigma = (tMs: number, tactics: string[], severity: Alert['severity'] = 4) =>
    makeAlert({ alertType: 'sigma', severity, timestampNs: ns(tMs), entityId: ATTACKER.id, entityValue: ATTACKER.value, tactics });

  it('raises risk-accumulation at 50 points, with risk_score in [0, 1] and the raw points in details', () => {
    const { detector } = harness();
    const out = [0, 1, 2, 3].flatMap(() => detector.process(quiet(T0), [sigma(T0, [])]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ ruleName: 'risk-accumulation', entityId: ATTACKER.id, entityType: 'ip', severity: 3, dedupKey: `risk:${ATTACKER.id}` });
    expect(out[0]!.riskScore).toBeCloseTo(1 - 2 ** (-60 / 50), 6);
    expect(out[0]!.details).toMatchObject({ points: 60, threshold: 50 });
    expect(detector.riskOf(ATTACKER.id, T0 + 4 * 3_600_000)).toBeCloseTo(30, 10);
  });

  it('counts one tactic however it is spelled, and fires kill-chain-progression on the alert’s own entity', () => {
    const { detector } = harness();
    detector.process(quiet(T0), [sigma(T0, ['credential_access'], 2)]);
    detector.process(quiet(T0 + 1), [makeAlert({ alertType: 'ioc', entityId: ATTACKER.id, entityType: 'ip', entityValue: ATTACKER.value, tactics: ['TA0006'], riskScore: 0.1 })]);
    expect(detector.process(quiet(T0 + 2), [sigma(T0 + 2, ['credential-access', 'discovery'], 2)])).toEqual([]);
    const [chain] = detector.process(quiet(T0 + 3), [sigma(T0 + 3, ['initial_access'], 2)]);
    expect(chain).toMatchObject({ ruleName: 'kill-chain-progression', severity: 4, riskScore: 0.6, entityType: 'ip', entityValue: '203.0.113.7' });
    expect(chain!.tactics).toEqual(['credential_access', 'discovery', 'initial_access']);
  });
});

describe('CorrelationDetector: entity graph off the hot path', () => {
  it('runs the algorithms every graph_algo_interval events in deferred slices, then reports crossings of new edges', () => {
    const { detector, deferred, runDeferred } = harness({ graphAlgoInterval: 10 });
    const login = (i: number, user: string, ip: string) =>
      makeEvent({ timestampNs: ns(T0 + i * 1000), message: `Accepted password for ${user} from ${ip} port 22 ssh2`, entities: [ref('ip', ip), ref('user', user)] });
    // Two separate groups: alice/bob on 10.0.0.x, carol/dave on 10.0.1.x.
    const pairs: Array<[string, string]> = [['alice', '10.0.0.1'], ['bob', '10.0.0.1'], ['alice', '10.0.0.2'], ['bob', '10.0.0.2'], ['carol', '10.0.1.1'], ['dave', '10.0.1.1'], ['carol', '10.0.1.2'], ['dave', '10.0.1.2']];
    for (let i = 0; i < 10; i++) detector.process(login(i, ...pairs[i % pairs.length]!), []);
    expect(deferred.length).toBe(1); // scheduled, not run inside process()
    expect(detector.stats()).toMatchObject({ graph: { runs: 0 } });
    runDeferred();
    expect(detector.stats()).toMatchObject({ graph: { runs: 1, vertices: 8, edges: 8, communities: 2 } });
    const crossing = detector.process(login(11, 'alice', '10.0.1.1'), []);
    expect(crossing).toEqual([expect.objectContaining({ ruleName: 'graph-community-crossing', entityType: 'user', entityValue: 'alice', tactics: ['lateral_movement'], techniques: ['T1021'] })]);
    expect(detector.process(login(12, 'alice', '10.0.1.1'), [])).toEqual([]); // a known edge again: nothing new
    // Ten more events with known edges only: the graph's shape has not changed, so no new run.
    for (let i = 0; i < 10; i++) detector.process(login(13 + i, ...pairs[i % pairs.length]!), []);
    runDeferred();
    for (let i = 0; i < 10; i++) detector.process(login(23 + i, ...pairs[i % pairs.length]!), []);
    expect(deferred).toHaveLength(0);
    expect(detector.stats()).toMatchObject({ graph: { runs: 2, runs_unchanged: 1 } });
  });
  it('waits graph_algo_min_interval_s of event time between runs, however many events arrive', () => {
    const { detector, runDeferred } = harness({ graphAlgoInterval: 10, graphAlgoMinIntervalMs: 60_000 });
    // A new edge per event, 100 ms apart: 30 events make three intervals within 3 s of event time.
    const login = (i: number, t: number) =>
      makeEvent({ timestampNs: ns(T0 + t), message: `Accepted password for u${i} from 10.0.0.1 port 22 ssh2`, entities: [ref('ip', '10.0.0.1'), ref('user', `u${i}`)] });
    for (let i = 0; i < 30; i++) {
      detector.process(login(i, i * 100), []);
      runDeferred();
    }
    expect(detector.stats()).toMatchObject({ graph: { runs: 1 } });
    for (let i = 30; i < 40; i++) detector.process(login(i, 61_000 + i * 100), []);
    runDeferred();
    expect(detector.stats()).toMatchObject({ graph: { runs: 2 } });
  });
});

describe('CorrelationDetector: persistence', () => {
  it('snapshots risk, kill chain and graph on request, and restores them', () => {
    const { detector } = harness();
    detector.process(failure(T0), [makeAlert({ alertType: 'sigma', severity: 4, entityId: ATTACKER.id, tactics: ['discovery'] })]);
    expect(detector.flush()).toEqual([]); // nothing requested
    detector.requestSnapshot();
    const rows = detector.flush();
    expect(rows.map((r) => r.key)).toEqual(Object.values(STATE_KEYS));
    expect(detector.flush()).toEqual([]);
    const state = Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.data)]));
    const { detector: restored } = harness({}, {
      risk: state[STATE_KEYS.risk],
      killChain: state[STATE_KEYS.killChain],
      graph: state[STATE_KEYS.graph],
      structure: state[STATE_KEYS.structure],
    });
    expect(restored.riskOf(ATTACKER.id, T0)).toBe(15);
    expect(restored.stats()).toMatchObject({ graph: { vertices: 3, edges: 3 }, kill_chain: { entities: 1 } });
  });
});
