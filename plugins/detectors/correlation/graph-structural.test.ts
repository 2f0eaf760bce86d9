import { describe, expect, it } from 'vitest';
import type { GraphSnapshot } from './entity-graph.js';
import type { GraphMetrics } from './graph-algorithms.js';
import { GraphStructure, MIN_VERTICES_FOR_BRIDGES } from './graph-structural.js';

const OPTIONS = { communityCrossing: true, betweennessThreshold: 0.3, fanOutSigma: 3, fanOutFloor: 5, historySize: 4 };

function metrics(n: number, values: Partial<{ community: number[]; betweenness: number[]; fanOut: number[] }>): GraphMetrics {
  const graph: GraphSnapshot = { vertices: Array.from({ length: n }, (_, i) => ({ id: `v${i}`, type: 'user' as const, value: `u${i}` })), out: [] };
  return {
    graph,
    pagerank: new Float64Array(n),
    community: Int32Array.from(values.community ?? new Array<number>(n).fill(0)),
    betweenness: Float64Array.from(values.betweenness ?? new Array<number>(n).fill(0)),
    fanOut: Int32Array.from(values.fanOut ?? new Array<number>(n).fill(0)),
    fanIn: new Int32Array(n),
  };
}

describe('GraphStructure', () => {
  it('reports a new edge between communities only once the algorithms have run', () => {
    const structure = new GraphStructure(OPTIONS);
    const edge = { source: 'v0', target: 'v1', rel: 'logged_into' as const, firstMs: 0, lastMs: 0, count: 1 };
    const vertex = (id: string) => ({ id, type: 'user' as const, value: id });
    expect(structure.crossings([edge], vertex)).toEqual([]);
    structure.afterRun(metrics(3, { community: [0, 1, 1] }));
    expect(structure.crossings([edge], vertex)).toEqual([{ kind: 'community_crossing', entity: vertex('v0'), target: vertex('v1'), rel: 'logged_into', communities: [0, 1] }]);
    expect(structure.crossings([{ ...edge, source: 'v2' }], vertex)).toEqual([]);
  });

  it('reports bridges above the threshold, but not on graphs too small for the measure to mean much', () => {
    const structure = new GraphStructure(OPTIONS);
    expect(structure.afterRun(metrics(3, { betweenness: [0, 0.5, 0] }))).toEqual([]);
    const n = MIN_VERTICES_FOR_BRIDGES;
    const found = structure.afterRun(metrics(n, { betweenness: [0.31, 0.3, ...new Array<number>(n - 2).fill(0)] }));
    expect(found).toEqual([{ kind: 'betweenness', entity: { id: 'v0', type: 'user', value: 'u0' }, betweenness: 0.31 }]);
  });

  it('reports a fan-out burst above mean + σ·max(stdev, 1) of the vertex’s own history, at the floor or above', () => {
    const structure = new GraphStructure(OPTIONS);
    for (const f of [2, 2, 2]) expect(structure.afterRun(metrics(1, { fanOut: [f] }))).toEqual([]);
    expect(structure.afterRun(metrics(1, { fanOut: [5] }))).toEqual([]); // 5 = 2 + 3·1: not above
    // History is now [2, 2, 2, 5]: mean 2.75, stdev 1.30, cut-off 6.65.
    const [burst] = structure.afterRun(metrics(1, { fanOut: [7] }));
    expect(burst).toMatchObject({ kind: 'fan_out', fanOut: 7, mean: 2.75 });
    expect((burst as { threshold: number }).threshold).toBeCloseTo(2.75 + 3 * Math.sqrt(1.6875), 10);
  });

  it('round-trips communities and histories through its state', () => {
    const structure = new GraphStructure(OPTIONS);
    structure.afterRun(metrics(2, { community: [0, 1], fanOut: [1, 0] }));
    const restored = new GraphStructure(OPTIONS, JSON.parse(JSON.stringify(structure.toState())));
    expect(restored.communityOf('v1')).toBe(1);
    expect(restored.toState()).toEqual(structure.toState());
  });
});
