import { describe, expect, it } from 'vitest';
import type { GraphSnapshot } from './entity-graph.js';
import { analyzeGraph, betweenness, degrees, louvain, MAX_BETWEENNESS_SOURCES, modularity, pagerank } from './graph-algorithms.js';

/** A snapshot from `edges` over vertices named by index. */
function graph(n: number, edges: Array<[number, number]>): GraphSnapshot {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const [a, b] of edges) out[a]!.push(b);
  return { vertices: Array.from({ length: n }, (_, i) => ({ id: `v${i}`, type: 'host' as const, value: `h${i}` })), out };
}

function run<T>(generator: Generator<void, T>): T {
  for (;;) {
    const next = generator.next();
    if (next.done) return next.value;
  }
}

const clique = (from: number, size: number): Array<[number, number]> => {
  const edges: Array<[number, number]> = [];
  for (let a = from; a < from + size; a++) for (let b = a + 1; b < from + size; b++) edges.push([a, b]);
  return edges;
};

describe('pagerank', () => {
  it('solves the damped linear system of a small directed graph (A→B, A→C, B→C, C→A)', () => {
    const rank = pagerank(graph(3, [[0, 1], [0, 2], [1, 2], [2, 0]]));
    // A = 0.05 + 0.85·C, B = 0.05 + 0.85·A/2, C = 0.05 + 0.85·(A/2 + B), solved exactly.
    expect(rank[0]).toBeCloseTo(0.38778971, 7);
    expect(rank[1]).toBeCloseTo(0.21481063, 7);
    expect(rank[2]).toBeCloseTo(0.39739966, 7);
  });

  it('spreads a dangling vertex evenly and always sums to 1', () => {
    const rank = pagerank(graph(4, [[0, 3], [1, 3], [2, 3]]));
    expect([...rank].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(rank[3]).toBeGreaterThan(rank[0]!);
    expect(rank[0]).toBeCloseTo(rank[2]!, 12);
  });
});

describe('louvain', () => {
  it('separates two 4-cliques joined by one edge, with modularity 12/13 − 1/2', () => {
    const g = graph(8, [...clique(0, 4), ...clique(4, 4), [3, 4]]);
    const community = louvain(g);
    expect([...community]).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(modularity(g, community)).toBeCloseTo(12 / 13 - 0.5, 10);
  });

  it('finds three 5-cliques joined in a ring, whatever the edge directions', () => {
    const g = graph(15, [...clique(0, 5), ...clique(5, 5).map(([a, b]) => [b, a] as [number, number]), ...clique(10, 5), [4, 5], [9, 10], [14, 0]]);
    expect([...louvain(g)]).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
  });

  it('gives isolated vertices their own community', () => {
    expect([...louvain(graph(3, []))]).toEqual([0, 1, 2]);
  });
});

describe('betweenness', () => {
  it('normalises directed pair counts by (n−1)(n−2): a path a→b→c→d', () => {
    expect([...run(betweenness(graph(4, [[0, 1], [1, 2], [2, 3]])))]).toEqual([0, 1 / 3, 1 / 3, 0]);
  });

  it('splits credit between equal shortest paths (a diamond)', () => {
    const scores = run(betweenness(graph(4, [[0, 1], [0, 2], [1, 3], [2, 3]])));
    expect(scores[1]).toBeCloseTo(1 / 12, 12);
    expect(scores[2]).toBeCloseTo(1 / 12, 12);
  });

  it('scores a relay hub: two sources through h to two sinks', () => {
    expect(run(betweenness(graph(5, [[0, 2], [1, 2], [2, 3], [2, 4]])))[2]).toBeCloseTo(1 / 3, 12);
  });

  it('yields between slices of sources, and estimates from pivots on large graphs', () => {
    const n = MAX_BETWEENNESS_SOURCES * 2;
    const star = graph(n, Array.from({ length: n - 1 }, (_, i) => [i + 1, 0] as [number, number]).concat(Array.from({ length: n - 1 }, (_, i) => [0, i + 1] as [number, number])));
    const generator = betweenness(star, 16);
    let slices = 0;
    let next = generator.next();
    for (; !next.done; next = generator.next()) slices++;
    expect(slices).toBe(MAX_BETWEENNESS_SOURCES / 16);
    // Every pair of leaves passes through the hub: exactly 1, even from pivots.
    expect(next.value[0]).toBeCloseTo(1, 2);
    expect(next.value[1]).toBe(0);
  });
});

describe('degrees and analyzeGraph', () => {
  it('counts distinct out- and in-neighbours, and a run returns every metric', () => {
    const g = graph(3, [[0, 1], [0, 2], [1, 2]]);
    expect(degrees(g)).toEqual({ fanOut: Int32Array.from([2, 1, 0]), fanIn: Int32Array.from([0, 1, 2]) });
    const metrics = run(analyzeGraph(g));
    expect(metrics.pagerank).toHaveLength(3);
    expect([...metrics.community]).toEqual([0, 0, 0]);
    expect([...metrics.betweenness]).toEqual([0, 0, 0]);
  });
});
