/**
 * First-order Markov chains over each entity's sequence of templates (reference §5.2): the
 * entity is the event's first one; P(B|A) = (c(A→B) + ε) / (c(A→·) + ε·|V|), |V| the templates
 * the source has seen. Score = −ln P / −ln(ε / (c(A→·) + ε·|V|)), so a transition never seen
 * from A scores exactly 1 and a common one near 0. Not scoring (NaN, where the original said 0)
 * until the entity has `minEvents` events, and for an event without entity or template.
 *
 * Bounded: at most `maxEntities` chains (least recently seen evicted), `MAX_TRANSITIONS` distinct
 * transitions per entity (later new ones still score, as unseen) and `MAX_VOCABULARY` templates.
 */
export interface MarkovOptions {
  smoothing: number;
  minEvents: number;
  maxEntities: number;
}

interface Chain {
  prev: number;
  events: number;
  transitions: number;
  /** from → (to → count); created with the first transition (most entities are seen once). */
  counts: Map<number, Map<number, number>> | null;
  /** from → count of transitions out of it. */
  totals: Map<number, number> | null;
}

export interface MarkovState {
  vocabulary: number[];
  /** Least recently seen first: [entity, prev, events, [from, to, count][]]. */
  chains: Array<[string, number, number, Array<[number, number, number]>]>;
}

const MAX_TRANSITIONS = 4096;
const MAX_VOCABULARY = 65_536;

export class MarkovChains {
  readonly #o: MarkovOptions;
  readonly #chains = new Map<string, Chain>();
  readonly #vocabulary = new Set<number>();
  #evictions = 0;
  #transitions = 0;

  constructor(options: MarkovOptions) {
    this.#o = options;
  }

  get entityCount(): number {
    return this.#chains.size;
  }

  get evictions(): number {
    return this.#evictions;
  }

  /** Distinct transitions held over all entities (for the memory estimate). */
  get transitionCount(): number {
    return this.#transitions;
  }

  /** Read-only: does not refresh the entity's recency. */
  score(entity: string | undefined, templateId: number): number {
    if (entity === undefined || templateId < 0) return Number.NaN;
    const chain = this.#chains.get(entity);
    if (!chain || chain.events < this.#o.minEvents || chain.prev < 0) return Number.NaN;
    const s = this.#o.smoothing;
    const denominator = (chain.totals?.get(chain.prev) ?? 0) + s * Math.max(this.#vocabulary.size, 1);
    const count = chain.counts?.get(chain.prev)?.get(templateId) ?? 0;
    return Math.min(1, -Math.log((count + s) / denominator) / -Math.log(s / denominator));
  }

  learn(entity: string | undefined, templateId: number): void {
    if (entity === undefined || templateId < 0) return;
    if (this.#vocabulary.size < MAX_VOCABULARY) this.#vocabulary.add(templateId);
    let chain = this.#chains.get(entity);
    if (chain) {
      this.#chains.delete(entity);
    } else {
      chain = { prev: -1, events: 0, transitions: 0, counts: null, totals: null };
      if (this.#chains.size >= this.#o.maxEntities) {
        const [oldest, evicted] = this.#chains.entries().next().value!;
        this.#chains.delete(oldest);
        this.#transitions -= evicted.transitions;
        this.#evictions++;
      }
    }
    this.#chains.set(entity, chain);
    if (chain.prev >= 0) this.#transitions += addTransition(chain, chain.prev, templateId, 1);
    chain.prev = templateId;
    chain.events++;
  }

  toState(): MarkovState {
    const chains: MarkovState['chains'] = [];
    for (const [entity, chain] of this.#chains) {
      const transitions: Array<[number, number, number]> = [];
      for (const [from, row] of chain.counts ?? []) for (const [to, count] of row) transitions.push([from, to, count]);
      chains.push([entity, chain.prev, chain.events, transitions]);
    }
    return { vocabulary: [...this.#vocabulary], chains };
  }

  static fromState(state: MarkovState, options: MarkovOptions): MarkovChains {
    const markov = new MarkovChains(options);
    for (const id of state.vocabulary.slice(0, MAX_VOCABULARY)) markov.#vocabulary.add(id);
    for (const [entity, prev, events, transitions] of state.chains.slice(-options.maxEntities)) {
      const chain: Chain = { prev, events, transitions: 0, counts: null, totals: null };
      for (const [from, to, count] of transitions) markov.#transitions += addTransition(chain, from, to, count);
      markov.#chains.set(entity, chain);
    }
    return markov;
  }
}

/** Counts a transition; returns 1 when it is a new one, else 0. */
function addTransition(chain: Chain, from: number, to: number, count: number): number {
  const counts = (chain.counts ??= new Map());
  const totals = (chain.totals ??= new Map());
  let row = counts.get(from);
  if (!row) {
    if (chain.transitions >= MAX_TRANSITIONS) return 0;
    row = new Map();
    counts.set(from, row);
  }
  const seen = row.get(to);
  if (seen === undefined && chain.transitions >= MAX_TRANSITIONS) return 0;
  row.set(to, (seen ?? 0) + count);
  totals.set(from, (totals.get(from) ?? 0) + count);
  if (seen !== undefined) return 0;
  chain.transitions++;
  return 1;
}
