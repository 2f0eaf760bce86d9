/**
 * Graph-structural findings (reference §7.6): an edge created between two communities, a vertex
 * whose betweenness passes the threshold (a bridge), a vertex whose fan-out bursts above its
 * own history. Community ids and fan-out histories come from the last algorithm run.
 *
 * Deliberate differences: a community crossing is reported for new edges only (the original
 * also re-reported every update of an existing edge, i.e. every repeat of a known relation);
 * bridges are not reported on graphs of fewer than MIN_VERTICES_FOR_BRIDGES vertices, where
 * any relay scores high; the fan-out cut-off uses max(stdev, 1), so a history of identical
 * values does not make a single extra neighbour a burst.
 */
import type { EntityKey } from './entity.js';
import type { GraphEdge } from './entity-graph.js';
import type { GraphMetrics } from './graph-algorithms.js';

export const MIN_VERTICES_FOR_BRIDGES = 10;

export interface StructuralOptions {
  communityCrossing: boolean;
  betweennessThreshold: number;
  fanOutSigma: number;
  fanOutFloor: number;
  historySize: number;
}

export type StructuralFinding =
  | { kind: 'community_crossing'; entity: EntityKey; target: EntityKey; rel: string; communities: [number, number] }
  | { kind: 'betweenness'; entity: EntityKey; betweenness: number }
  | { kind: 'fan_out'; entity: EntityKey; fanOut: number; threshold: number; mean: number; stdev: number };

const STATE_VERSION = 1;

export interface StructureState {
  version: number;
  communities: Array<[string, number]>;
  history: Array<[string, number[]]>;
}

export class GraphStructure {
  readonly #options: StructuralOptions;
  #communities = new Map<string, number>();
  #history = new Map<string, number[]>();

  constructor(options: StructuralOptions, state?: StructureState) {
    this.#options = options;
    if (state?.version === STATE_VERSION) {
      this.#communities = new Map(state.communities);
      this.#history = new Map(state.history);
    }
  }

  get communityCount(): number {
    return new Set(this.#communities.values()).size;
  }

  communityOf(id: string): number | undefined {
    return this.#communities.get(id);
  }

  /** New edges whose ends were in different communities at the last run. */
  crossings(edges: readonly GraphEdge[], vertex: (id: string) => EntityKey | undefined): StructuralFinding[] {
    if (!this.#options.communityCrossing || this.#communities.size === 0) return [];
    const found: StructuralFinding[] = [];
    for (const edge of edges) {
      const from = this.#communities.get(edge.source);
      const to = this.#communities.get(edge.target);
      if (from === undefined || to === undefined || from === to) continue;
      const entity = vertex(edge.source);
      const target = vertex(edge.target);
      if (entity && target) found.push({ kind: 'community_crossing', entity, target, rel: edge.rel, communities: [from, to] });
    }
    return found;
  }

  /** Takes a run's metrics: bridges and fan-out bursts, then the new communities and histories. */
  afterRun(metrics: GraphMetrics): StructuralFinding[] {
    const { vertices } = metrics.graph;
    const found: StructuralFinding[] = [];
    const o = this.#options;
    if (vertices.length >= MIN_VERTICES_FOR_BRIDGES) {
      metrics.betweenness.forEach((b, v) => {
        if (b > o.betweennessThreshold) found.push({ kind: 'betweenness', entity: vertices[v]!, betweenness: b });
      });
    }
    const history = new Map<string, number[]>();
    vertices.forEach((entity, v) => {
      const fanOut = metrics.fanOut[v]!;
      const past = this.#history.get(entity.id) ?? [];
      if (past.length >= 3) {
        const mean = past.reduce((a, b) => a + b, 0) / past.length;
        const stdev = Math.sqrt(past.reduce((a, b) => a + (b - mean) ** 2, 0) / past.length);
        const threshold = mean + o.fanOutSigma * Math.max(stdev, 1);
        if (fanOut > threshold && fanOut >= o.fanOutFloor) found.push({ kind: 'fan_out', entity, fanOut, threshold, mean, stdev });
      }
      if (fanOut > 0 || past.length > 0) history.set(entity.id, [...past, fanOut].slice(-o.historySize));
    });
    this.#history = history;
    this.#communities = new Map(vertices.map((entity, v) => [entity.id, metrics.community[v]!]));
    return found;
  }

  toState(): StructureState {
    return { version: STATE_VERSION, communities: [...this.#communities], history: [...this.#history] };
  }
}
