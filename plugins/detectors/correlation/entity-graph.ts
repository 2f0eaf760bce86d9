/**
 * The entity graph (reference §7.5): a directed multigraph of entities with typed edges inferred
 * from the entities that appear together in one event, each edge keeping first/last seen (event
 * time) and a count.
 *
 * Edge types, oriented as listed whichever order the entities came in: user→ip
 * `authenticated_from`, user→host `logged_into`, ip→host `has_ip`, user→file `accessed`,
 * ip→domain `resolved_to`; processes form `spawned_by` edges in extraction order (earlier →
 * later). Other pairs give no edge. Bounded: at most `maxEdges` edges, the least recently seen
 * evicted first (a vertex goes with its last edge), and at most MAX_EDGES_PER_EVENT per event.
 */
import type { EntityRef, EntityType, SeerflowEvent } from '../../../main/core/event.js';
import type { EntityKey } from './entity.js';

export const RELATION_TYPES = ['authenticated_from', 'logged_into', 'has_ip', 'accessed', 'resolved_to', 'spawned_by'] as const;
export type RelationType = (typeof RELATION_TYPES)[number];

const EDGE_TYPES: ReadonlyArray<[EntityType, EntityType, RelationType]> = [
  ['user', 'ip', 'authenticated_from'],
  ['user', 'host', 'logged_into'],
  ['ip', 'host', 'has_ip'],
  ['user', 'file', 'accessed'],
  ['ip', 'domain', 'resolved_to'],
  ['process', 'process', 'spawned_by'],
];

/** Edges one event may add; an event listing dozens of entities would otherwise add a mesh. */
export const MAX_EDGES_PER_EVENT = 64;

export interface GraphEdge {
  source: string;
  target: string;
  rel: RelationType;
  firstMs: number;
  lastMs: number;
  count: number;
}

interface Vertex extends EntityKey {
  /** Edges touching this vertex. */
  degree: number;
}

/** The graph frozen for the algorithms: vertices by index, unique out-neighbours per vertex. */
export interface GraphSnapshot {
  vertices: EntityKey[];
  out: number[][];
}

const STATE_VERSION = 1;

export interface GraphState {
  version: number;
  vertices: EntityKey[];
  /** [source index, target index, rel, firstMs, lastMs, count], least recent first. */
  edges: Array<[number, number, RelationType, number, number, number]>;
}

/** Relation and orientation by the types of a pair as they come: [relation, first is the source]. */
const RELATIONS: Partial<Record<EntityType, Partial<Record<EntityType, [RelationType, boolean]>>>> = {};
for (const [from, to, rel] of EDGE_TYPES) {
  (RELATIONS[from] ??= {})[to] = [rel, true];
  if (from !== to) (RELATIONS[to] ??= {})[from] = [rel, false];
}

/** The typed pairs of an event's entities (source, target, relation), at most MAX_EDGES_PER_EVENT. */
export function inferEdges(entities: readonly EntityRef[]): Array<[EntityRef, EntityRef, RelationType]> {
  const edges: Array<[EntityRef, EntityRef, RelationType]> = [];
  for (let i = 0; i < entities.length; i++) {
    const a = entities[i]!;
    const fromA = RELATIONS[a.type];
    if (!fromA) continue;
    for (let j = i + 1; j < entities.length; j++) {
      const b = entities[j]!;
      const relation = fromA[b.type];
      if (!relation || a.id === b.id) continue;
      edges.push(relation[1] ? [a, b, relation[0]] : [b, a, relation[0]]);
      if (edges.length >= MAX_EDGES_PER_EVENT) return edges;
    }
  }
  return edges;
}

export class EntityGraph {
  readonly #maxEdges: number;
  readonly #vertices = new Map<string, Vertex>();
  /** Map order is recency: an edge seen again moves to the end. */
  readonly #edges = new Map<string, GraphEdge>();
  #evicted = 0;
  #version = 0;

  constructor(maxEdges: number, state?: GraphState) {
    this.#maxEdges = maxEdges;
    if (state?.version === STATE_VERSION) {
      for (const [s, t, rel, firstMs, lastMs, count] of state.edges.slice(-maxEdges)) {
        const source = state.vertices[s];
        const target = state.vertices[t];
        if (source && target) this.#insert(source, target, { source: source.id, target: target.id, rel, firstMs, lastMs, count });
      }
    }
  }

  get vertexCount(): number {
    return this.#vertices.size;
  }

  get edgeCount(): number {
    return this.#edges.size;
  }

  /** Changes whenever an edge is created or evicted: the graph's shape, for the algorithms. */
  get version(): number {
    return this.#version;
  }

  /** Edges evicted to stay within `maxEdges`. */
  get evicted(): number {
    return this.#evicted;
  }

  vertex(id: string): EntityKey | undefined {
    const v = this.#vertices.get(id);
    return v && { id: v.id, type: v.type, value: v.value };
  }

  /** Adds or refreshes the event's edges at `tMs`; returns the edges it created. */
  addEvent(event: SeerflowEvent, tMs: number): GraphEdge[] {
    if (event.entities.length < 2) return [];
    const created: GraphEdge[] = [];
    for (const [a, b, rel] of inferEdges(event.entities)) {
      const key = `${a.id}|${b.id}|${rel}`;
      const edge = this.#edges.get(key);
      if (edge) {
        this.#edges.delete(key);
        this.#edges.set(key, edge);
        edge.count++;
        if (tMs > edge.lastMs) edge.lastMs = tMs;
        if (tMs < edge.firstMs) edge.firstMs = tMs;
        continue;
      }
      const fresh = { source: a.id, target: b.id, rel, firstMs: tMs, lastMs: tMs, count: 1 };
      this.#insert(a, b, fresh);
      created.push(fresh);
      if (this.#edges.size > this.#maxEdges) this.#evictOldest();
    }
    return created;
  }

  /** Vertices by index and their unique out-neighbours (parallel typed edges collapse to one). */
  snapshot(): GraphSnapshot {
    const { index, vertices } = this.#indexVertices();
    const out: number[][] = vertices.map(() => []);
    const seen = new Set<number>();
    for (const edge of this.#edges.values()) {
      const source = index.get(edge.source)!;
      const target = index.get(edge.target)!;
      const pair = source * vertices.length + target;
      if (seen.has(pair)) continue;
      seen.add(pair);
      out[source]!.push(target);
    }
    return { vertices, out };
  }

  toState(): GraphState {
    const { index, vertices } = this.#indexVertices();
    return {
      version: STATE_VERSION,
      vertices,
      edges: [...this.#edges.values()].map((e) => [index.get(e.source)!, index.get(e.target)!, e.rel, e.firstMs, e.lastMs, e.count]),
    };
  }

  /** The vertices by position, and each id's position. */
  #indexVertices(): { index: Map<string, number>; vertices: EntityKey[] } {
    const index = new Map<string, number>();
    const vertices: EntityKey[] = [];
    for (const v of this.#vertices.values()) {
      index.set(v.id, vertices.length);
      vertices.push({ id: v.id, type: v.type, value: v.value });
    }
    return { index, vertices };
  }

  #insert(source: EntityKey, target: EntityKey, edge: GraphEdge): void {
    this.#version++;
    this.#edges.set(`${edge.source}|${edge.target}|${edge.rel}`, edge);
    for (const end of [source, target]) {
      const vertex = this.#vertices.get(end.id);
      if (vertex) vertex.degree++;
      else this.#vertices.set(end.id, { id: end.id, type: end.type, value: end.value, degree: 1 });
    }
  }

  #evictOldest(): void {
    const oldest = this.#edges.entries().next();
    if (oldest.done) return;
    const [key, edge] = oldest.value;
    this.#edges.delete(key);
    this.#evicted++;
    this.#version++;
    for (const id of [edge.source, edge.target]) {
      const vertex = this.#vertices.get(id)!;
      if (--vertex.degree === 0) this.#vertices.delete(id);
    }
  }
}
