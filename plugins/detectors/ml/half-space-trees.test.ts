import { describe, expect, it } from 'vitest';
import { HalfSpaceTrees } from './half-space-trees.js';

const options = { nTrees: 10, height: 6, windowSize: 50, seed: 42, features: 2 };

/** A deterministic cloud of points near (0.2, 0.2). */
function clustered(i: number): number[] {
  return [0.15 + ((i * 7) % 10) / 100, 0.15 + ((i * 3) % 10) / 100];
}

describe('HalfSpaceTrees', () => {
  it('does not score during the first window, then scores an isolated point above the cluster it learned', () => {
    const forest = new HalfSpaceTrees(options);
    const masses = forest.newMasses();
    for (let i = 0; i < 49; i++) forest.learn(masses, clustered(i));
    expect(forest.score(masses, [0.9, 0.9])).toBeNaN();
    for (let i = 49; i < 100; i++) forest.learn(masses, clustered(i));
    const normal = forest.score(masses, clustered(3));
    const isolated = forest.score(masses, [0.9, 0.9]);
    // Surprisal −ln(mass share): the isolated point's regions held almost none of the window.
    expect(isolated).toBeGreaterThan(normal + 2);
    expect(normal).toBeGreaterThanOrEqual(0);
  });

  it('is reproducible from its seed and differs with another seed', () => {
    const run = (seed: number) => {
      const forest = new HalfSpaceTrees({ ...options, seed });
      const masses = forest.newMasses();
      for (let i = 0; i < 120; i++) forest.learn(masses, [((i * 37) % 100) / 100, ((i * 61) % 100) / 100]);
      return [0.05, 0.33, 0.71, 0.99].map((x) => forest.score(masses, [x, 1 - x]));
    };
    expect(run(42)).toEqual(run(42));
    expect(run(7)).not.toEqual(run(42));
  });

  it('scoring leaves the masses unchanged', () => {
    const forest = new HalfSpaceTrees(options);
    const masses = forest.newMasses();
    for (let i = 0; i < 60; i++) forest.learn(masses, clustered(i));
    const before = [Array.from(masses.latest), Array.from(masses.reference), masses.count];
    forest.score(masses, [0.5, 0.5]);
    expect([Array.from(masses.latest), Array.from(masses.reference), masses.count]).toEqual(before);
  });

  it('rejects a window its 16-bit masses cannot count', () => {
    expect(() => new HalfSpaceTrees({ ...options, windowSize: 70_000 })).toThrow(/65535/);
  });
});
