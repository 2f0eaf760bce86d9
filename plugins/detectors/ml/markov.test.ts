import { describe, expect, it } from 'vitest';
import { MarkovChains } from './markov.js';

const options = { smoothing: 1e-6, minEvents: 100, maxEntities: 3 };

/** Trains `entity` on the cycle 1 → 2 → 3 → 1 … for `events` events. */
function train(markov: MarkovChains, entity: string, events: number): void {
  for (let i = 0; i < events; i++) markov.learn(entity, (i % 3) + 1);
}

describe('MarkovChains', () => {
  it('does not score an entity with fewer than min_events events (reference §18 vector 9: the original said 0)', () => {
    const markov = new MarkovChains(options);
    train(markov, 'alice', 99);
    expect(markov.score('alice', 7)).toBeNaN();
    expect(markov.score(undefined, 1)).toBeNaN();
    expect(markov.score('alice', -1)).toBeNaN();
  });

  it('scores a transition never seen after training 1.0 and a habitual one near 0 (vector 9)', () => {
    const markov = new MarkovChains(options);
    train(markov, 'alice', 120); // last template learned: 3
    expect(markov.score('alice', 2)).toBe(1);
    expect(markov.score('alice', 1)).toBeLessThan(0.01);
  });

  it('keeps at most max_entities chains, evicting the least recently seen', () => {
    const markov = new MarkovChains(options);
    for (const entity of ['a', 'b', 'c']) train(markov, entity, 100);
    markov.learn('a', 1); // a is now the most recent
    train(markov, 'd', 1);
    expect(markov.entityCount).toBe(3);
    expect(markov.evictions).toBe(1);
    expect(markov.score('b', 1)).toBeNaN(); // b was evicted
    expect(markov.score('a', 2)).toBeLessThan(0.01);
  });

  it('round-trips its state', () => {
    const markov = new MarkovChains(options);
    train(markov, 'alice', 130);
    train(markov, 'bob', 50);
    const copy = MarkovChains.fromState(JSON.parse(JSON.stringify(markov.toState())), options);
    expect([copy.entityCount, copy.transitionCount]).toEqual([markov.entityCount, markov.transitionCount]);
    for (const t of [1, 2, 3, 9]) expect(copy.score('alice', t)).toBe(markov.score('alice', t));
  });
});
