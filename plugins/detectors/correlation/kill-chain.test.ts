import { describe, expect, it } from 'vitest';
import { KillChainTracker } from './kill-chain.js';

const DAY = 86_400_000;
const T0 = Date.parse('2025-12-10T07:00:00Z');
const alice = { id: 'user-alice', type: 'user' as const, value: 'alice' };

const tracker = (maxEntities = 10) => new KillChainTracker({ threshold: 3, windowMs: DAY, maxEntities });

describe('KillChainTracker', () => {
  it('fires on the third distinct tactic within the window (reference §18 #12), with the real entity', () => {
    const chain = tracker();
    expect(chain.observe(alice, ['initial_access'], 'a1', 'e1', T0)).toBeNull();
    expect(chain.observe(alice, ['execution'], 'a2', 'e2', T0 + 1000)).toBeNull();
    expect(chain.observe(alice, ['persistence'], 'a3', 'e3', T0 + 2000)).toEqual({
      entity: alice,
      tactics: ['initial_access', 'execution', 'persistence'],
      alertIds: ['a1', 'a2', 'a3'],
      eventIds: ['e1', 'e2', 'e3'],
    });
  });

  it('counts credential_access, credential-access and TA0006 as one tactic (the original counted three)', () => {
    const chain = tracker();
    chain.observe(alice, ['credential_access'], 'sigma', 'e1', T0);
    chain.observe(alice, ['credential-access'], 'corr', 'e2', T0);
    expect(chain.observe(alice, ['TA0006', 'attack.credential_access'], 'ioc', 'e3', T0)).toBeNull();
    expect(chain.tacticsOf(alice.id)).toEqual(['credential_access']);
  });

  it('ignores tactics ATT&CK does not know', () => {
    const chain = tracker();
    expect(chain.observe(alice, ['lurking', 'loitering'], 'x', 'e', T0)).toBeNull();
    expect(chain.entityCount).toBe(0);
  });

  it('does not fire again on unchanged tactics, and re-arms when stale tactics drop it below the threshold', () => {
    const chain = tracker();
    chain.observe(alice, ['discovery', 'execution'], 'a', 'e', T0);
    chain.observe(alice, ['impact'], 'a2', 'e', T0);
    expect(chain.progressions).toBe(1);
    expect(chain.observe(alice, ['discovery', 'exfiltration'], 'b', 'e', T0 + 1000)).toBeNull();
    // A day and more later the first three are stale: exfiltration was seen at T0+1s, so 2 remain then 1.
    expect(chain.observe(alice, ['collection'], 'c', 'e', T0 + DAY + 2000)).toBeNull();
    expect(chain.tacticsOf(alice.id)).toEqual(['collection']);
    chain.observe(alice, ['command_and_control'], 'd', 'e', T0 + DAY + 3000);
    expect(chain.observe(alice, ['exfiltration'], 'f', 'e', T0 + DAY + 4000)?.tactics).toEqual(['collection', 'command_and_control', 'exfiltration']);
    expect(chain.progressions).toBe(2);
  });

  it('does not take one alert tagged with several tactics for a progression', () => {
    const chain = tracker();
    // A valid-accounts login: initial access, persistence and privilege escalation in one alert.
    const tags = ['initial_access', 'persistence', 'privilege_escalation'];
    expect(chain.observe(alice, tags, 'root-login', 'e1', T0)).toBeNull();
    expect(chain.observe(alice, tags, 'root-login-again', 'e2', T0 + 1000)).toBeNull();
    expect(chain.observe(alice, ['credential_access'], 'brute-force', 'e3', T0 + 2000)?.alertIds).toEqual(['root-login', 'brute-force']);
  });

  it('keeps at most maxEntities and survives a state round trip', () => {
    const chain = tracker(2);
    for (const n of [1, 2, 3]) chain.observe({ id: `u${n}`, type: 'user', value: `u${n}` }, ['discovery', 'execution'], 'a', 'e', T0);
    expect(chain.entityCount).toBe(2);
    expect(chain.evicted).toBe(1);
    const restored = new KillChainTracker({ threshold: 3, windowMs: DAY, maxEntities: 2 }, JSON.parse(JSON.stringify(chain.toState())));
    // Tactics first seen together are listed in kill-chain order.
    expect(restored.observe({ id: 'u3', type: 'user', value: 'u3' }, ['impact'], 'b', 'e', T0 + 1)?.tactics).toEqual(['execution', 'discovery', 'impact']);
  });
});
