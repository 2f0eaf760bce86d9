/**
 * Graph algorithms over a `GraphSnapshot` (reference §7.5): PageRank (directed), Louvain
 * communities (on the undirected, simplified view), betweenness (directed, normalised to 0..1)
 * and fan-out / fan-in. Pure and deterministic: vertices are visited in index order.
 *
 * Betweenness is Brandes' algorithm, one BFS per source vertex, written as a generator that
 * yields every `sliceSources` sources so a caller can spread a run over turns of the event loop.
 * Past MAX_BETWEENNESS_SOURCES vertices it is estimated from evenly spaced pivot sources
 * (Brandes & Pich 2007), scaled up, and clamped to 1.
 */
import type { GraphSnapshot } from './entity-graph.js';

export const PAGERANK_DAMPING = 0.85;
const PAGERANK_TOLERANCE = 1e-10;
const PAGERANK_MAX_ITERATIONS = 100;

/** Local-moving passes per Louvain level (it converges long before on real graphs). */
const MAX_LOUVAIN_PASSES = 100;

/** Exact betweenness up to this many vertices; pivots beyond. */
export const MAX_BETWEENNESS_SOURCES = 256;

/**
 * PageRank with damping 0.85; a vertex without out-edges spreads its rank evenly over all
 * vertices. Iterates until the L1 change is below 1e-10 (or 100 iterations). Sums to 1.
 */
export function pagerank(graph: GraphSnapshot, damping = PAGERANK_DAMPING): Float64Array {
  const n = graph.vertices.length;
  let rank = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < PAGERANK_MAX_ITERATIONS && n > 0; iteration++) {
    let dangling = 0;
    for (let v = 0; v < n; v++) if (graph.out[v]!.length === 0) dangling += rank[v]!;
    next.fill((1 - damping) / n + (damping * dangling) / n);
    for (let v = 0; v < n; v++) {
      const targets = graph.out[v]!;
      if (targets.length === 0) continue;
      const share = (damping * rank[v]!) / targets.length;
      for (const t of targets) next[t]! += share;
    }
    let change = 0;
    for (let v = 0; v < n; v++) change += Math.abs(next[v]! - rank[v]!);
    [rank, next] = [next, rank];
    if (change < PAGERANK_TOLERANCE) break;
  }
  return rank;
}

/** Distinct out-neighbours and in-neighbours per vertex. */
export function degrees(graph: GraphSnapshot): { fanOut: Int32Array; fanIn: Int32Array } {
  const n = graph.vertices.length;
  const fanOut = new Int32Array(n);
  const fanIn = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    fanOut[v] = graph.out[v]!.length;
    for (const t of graph.out[v]!) fanIn[t]!++;
  }
  return { fanOut, fanIn };
}

/** Weighted undirected adjacency: per vertex, neighbour → weight (a self-loop counts twice). */
type Adjacency = Array<Map<number, number>>;

function undirectedView(graph: GraphSnapshot): Adjacency {
  const adjacency: Adjacency = graph.vertices.map(() => new Map());
  graph.out.forEach((targets, v) => {
    for (const t of targets) {
      if (t === v) continue;
      adjacency[v]!.set(t, 1);
      adjacency[t]!.set(v, 1);
    }
  });
  return adjacency;
}

/**
 * One Louvain level: vertices move, in index order, to the neighbouring community with the best
 * modularity gain, until a pass moves none. Returns each vertex's community (renumbered 0..k−1
 * in order of first appearance) and whether anything moved.
 */
function louvainLevel(adjacency: Adjacency): { community: Int32Array; moved: boolean } {
  const n = adjacency.length;
  const neighbours = adjacency.map((m) => Int32Array.from(m.keys()));
  const weights = adjacency.map((m) => Float64Array.from(m.values()));
  const k = new Float64Array(n);
  let twoM = 0;
  for (let v = 0; v < n; v++) {
    for (const w of weights[v]!) k[v]! += w;
    twoM += k[v]!;
  }
  const community = Int32Array.from({ length: n }, (_, v) => v);
  const total = Float64Array.from(k);
  let moved = false;
  if (twoM === 0) return { community, moved };
  // Weight from the current vertex to each neighbouring community, and which ones are set.
  const links = new Float64Array(n);
  const touched: number[] = [];
  for (let pass = 0, improved = true; improved && pass < MAX_LOUVAIN_PASSES; pass++) {
    improved = false;
    for (let v = 0; v < n; v++) {
      const own = community[v]!;
      const around = neighbours[v]!;
      for (let j = 0; j < around.length; j++) {
        const u = around[j]!;
        if (u === v) continue;
        const c = community[u]!;
        if (links[c] === 0) touched.push(c);
        links[c]! += weights[v]![j]!;
      }
      total[own]! -= k[v]!;
      const gain = (c: number) => links[c]! - (total[c]! * k[v]!) / twoM;
      let best = own;
      let bestGain = gain(own);
      for (const c of touched) {
        const g = gain(c);
        if (g > bestGain + 1e-12) [best, bestGain] = [c, g];
      }
      for (const c of touched) links[c] = 0;
      touched.length = 0;
      total[best]! += k[v]!;
      if (best !== own) {
        community[v] = best;
        improved = moved = true;
      }
    }
  }
  return { community: renumber(community), moved };
}

function renumber(community: Int32Array): Int32Array {
  const ids = new Map<number, number>();
  return community.map((c) => {
    let id = ids.get(c);
    if (id === undefined) ids.set(c, (id = ids.size));
    return id;
  });
}

function aggregate(adjacency: Adjacency, community: Int32Array, count: number): Adjacency {
  const next: Adjacency = Array.from({ length: count }, () => new Map());
  adjacency.forEach((neighbours, v) => {
    const cv = community[v]!;
    for (const [u, w] of neighbours) {
      const cu = community[u]!;
      next[cv]!.set(cu, (next[cv]!.get(cu) ?? 0) + w);
    }
  });
  return next;
}

/**
 * Louvain communities on the undirected simplified view (parallel and reverse edges collapse to
 * one edge of weight 1, self-loops dropped). Community ids are 0..k−1 in order of first vertex.
 */
export function louvain(graph: GraphSnapshot): Int32Array {
  let adjacency = undirectedView(graph);
  let membership = Int32Array.from({ length: adjacency.length }, (_, v) => v);
  for (;;) {
    const { community, moved } = louvainLevel(adjacency);
    if (!moved) break;
    membership = membership.map((c) => community[c]!);
    adjacency = aggregate(adjacency, community, community.reduce((a, b) => Math.max(a, b), -1) + 1);
  }
  return renumber(membership);
}

/** Newman modularity of a partition on the undirected simplified view (for tests and stats). */
export function modularity(graph: GraphSnapshot, community: Int32Array): number {
  const adjacency = undirectedView(graph);
  const k = adjacency.map((neighbours) => [...neighbours.values()].reduce((a, b) => a + b, 0));
  const twoM = k.reduce((a, b) => a + b, 0);
  if (twoM === 0) return 0;
  const total = new Map<number, number>();
  let inside = 0;
  adjacency.forEach((neighbours, v) => {
    total.set(community[v]!, (total.get(community[v]!) ?? 0) + k[v]!);
    for (const [u, w] of neighbours) if (community[u] === community[v]) inside += w;
  });
  let expected = 0;
  for (const t of total.values()) expected += (t / twoM) ** 2;
  return inside / twoM - expected;
}

/**
 * Directed betweenness normalised by (n−1)(n−2), in slices: yields after every `sliceSources`
 * BFS sources, returns the scores.
 */
export function* betweenness(graph: GraphSnapshot, sliceSources = 32): Generator<void, Float64Array> {
  const n = graph.vertices.length;
  const score = new Float64Array(n);
  if (n < 3) return score;
  const pivots = n <= MAX_BETWEENNESS_SOURCES ? n : MAX_BETWEENNESS_SOURCES;
  const step = n / pivots;
  const sigma = new Float64Array(n);
  const distance = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  distance.fill(-1);
  for (let p = 0; p < pivots; p++) {
    const s = Math.floor(p * step);
    sigma[s] = 1;
    distance[s] = 0;
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    while (head < tail) {
      const v = order[head++]!;
      for (const w of graph.out[v]!) {
        if (distance[w]! < 0) {
          distance[w] = distance[v]! + 1;
          order[tail++] = w;
        }
        if (distance[w] === distance[v]! + 1) {
          sigma[w]! += sigma[v]!;
          predecessors[w]!.push(v);
        }
      }
    }
    for (let i = tail - 1; i > 0; i--) {
      const w = order[i]!;
      for (const v of predecessors[w]!) delta[v]! += (sigma[v]! / sigma[w]!) * (1 + delta[w]!);
      score[w]! += delta[w]!;
    }
    // Reset only what this BFS touched: O(reached) rather than O(n) per source.
    for (let i = 0; i < tail; i++) {
      const v = order[i]!;
      sigma[v] = 0;
      distance[v] = -1;
      delta[v] = 0;
      predecessors[v]!.length = 0;
    }
    if ((p + 1) % sliceSources === 0) yield;
  }
  const scale = (n / pivots) / ((n - 1) * (n - 2));
  for (let v = 0; v < n; v++) score[v] = Math.min(1, score[v]! * scale);
  return score;
}

/** Every metric of one run, per vertex index of the snapshot. */
export interface GraphMetrics {
  graph: GraphSnapshot;
  pagerank: Float64Array;
  community: Int32Array;
  betweenness: Float64Array;
  fanOut: Int32Array;
  fanIn: Int32Array;
}

/** One run of every algorithm, yielding between stages and betweenness slices. */
export function* analyzeGraph(graph: GraphSnapshot, sliceSources = 32): Generator<void, GraphMetrics> {
  const rank = pagerank(graph);
  yield;
  const community = louvain(graph);
  yield;
  const between = yield* betweenness(graph, sliceSources);
  return { graph, pagerank: rank, community, betweenness: between, ...degrees(graph) };
}
