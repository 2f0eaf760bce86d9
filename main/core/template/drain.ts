/**
 * Drain: online log template mining with a fixed-depth parse tree.
 *
 * A message is cut to `maxMessageLength`, split on whitespace, and routed down the tree: first by
 * its token count, then by its first `depth - 3` tokens (a token holding a digit always takes the
 * `<*>` branch). The leaf holds candidate clusters; the message joins the most similar one whose
 * similarity (equal tokens / token count, `<*>` positions not counted) reaches `simThreshold`, and
 * the positions where they differ become `<*>`. Otherwise it starts a new cluster.
 *
 * Follows He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree" (ICWS 2017), as
 * implemented by logpai's logparser and Drain3 (tree routing, `maxChildren` overflow into `<*>`,
 * similarity and tie-breaking by wildcard count), with these choices of ours:
 * - templates are bounded by an LRU (`cluster-cache.ts`) and an evicted cluster's empty branch is
 *   pruned, so the tree only ever holds the paths of live clusters and a snapshot restores it exactly;
 * - ties between equally good candidates go to the older cluster explicitly, not by list order;
 * - no masking and no I/O here: `masking.ts` and `template-miner.ts` do those.
 *
 * Depth, worked through for the default 4: level 1 is the root, level 2 the token count, level 3
 * the first token, level 4 the clusters. Depth 3 routes by token count alone; depth 6 by three tokens.
 */
import { ClusterCache } from './cluster-cache.js';
import { TemplateOptionError, TemplateStateError } from './errors.js';

/** The placeholder for a variable token in a template. */
export const WILDCARD = '<*>';

/** What `learn` did to the template store: made a cluster, generalised one, or only counted. */
export type TemplateChange = 'created' | 'changed' | 'none';

export interface MatchResult {
  /** Integer from 1, in creation order; -1 for an empty message. */
  templateId: number;
  /** Tokens joined by one space, `<*>` where they vary; "" for an empty message. */
  template: string;
  /** The message's tokens at the template's `<*>` positions, in order. */
  params: string[];
}

export interface LearnResult extends MatchResult {
  change: TemplateChange;
}

/**
 * How `match` looks for a template, trading cost for recall:
 * - `never`: the tree path only, O(depth + candidates in one leaf); misses a template whose routing
 *   token has since become `<*>` in a different branch;
 * - `fallback`: the tree path, then every cluster with the same token count when that fails;
 * - `always`: every cluster with the same token count, O(clusters × tokens).
 */
export type MatchStrategy = 'never' | 'fallback' | 'always';

export interface DrainOptions {
  /** Parse-tree depth, root and leaf included; ≥ 3. Routes by the first `depth - 3` tokens. Default 4. */
  depth: number;
  /** Fraction of equal tokens needed to join a cluster, in (0, 1]. Default 0.4. */
  simThreshold: number;
  /** Children per tree node before new tokens share the `<*>` branch; ≥ 2. Default 100. */
  maxChildren: number;
  /** Clusters kept; the least recently learned one is evicted beyond this; ≥ 1. Default 1000. */
  maxClusters: number;
  /** Messages are cut to this many UTF-16 units before tokenising; ≥ 1. Default 8192. */
  maxMessageLength: number;
  /**
   * The first template id handed out; ≥ 1. Default 1. Appliances sharing one store each take
   * their own block of ids, so their templates never share an id.
   */
  firstTemplateId: number;
}

export const DRAIN_DEFAULTS: Readonly<DrainOptions> = Object.freeze({
  depth: 4,
  simThreshold: 0.4,
  maxChildren: 100,
  maxClusters: 1000,
  maxMessageLength: 8192,
  firstTemplateId: 1,
});

/** One cluster as saved: `path` is the tree keys below the token-count node. */
export interface ClusterSnapshot {
  templateId: number;
  template: string;
  count: number;
  path: string[];
}

/** Everything needed to rebuild a `Drain`; clusters least recently used first. */
export interface DrainSnapshot {
  depth: number;
  nextTemplateId: number;
  clusters: ClusterSnapshot[];
}

export interface TemplateInfo {
  templateId: number;
  template: string;
  count: number;
}

// ─── Tokens ──────────────────────────────────────────────────────────────────────────────────────

const WHITESPACE_RUN = /\s+/;

/** Split on runs of white space (as `\s` and `String.prototype.trim` define it); no empty tokens. */
export function tokenize(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(WHITESPACE_RUN);
}

/** `text` cut to at most `max` UTF-16 units, never between the halves of a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

function hasDigit(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** The tokens at the template's `<*>` positions; empty when the counts differ. */
export function extractParams(templateTokens: readonly string[], tokens: readonly string[]): string[] {
  const params: string[] = [];
  if (templateTokens.length !== tokens.length) return params;
  for (let i = 0; i < tokens.length; i++) {
    if (templateTokens[i] === WILDCARD) params.push(tokens[i] as string);
  }
  return params;
}

// ─── Tree and clusters ───────────────────────────────────────────────────────────────────────────

interface TreeNode {
  readonly key: string;
  readonly parent: TreeNode | undefined;
  readonly children: Map<string, TreeNode>;
  /** Only leaves hold clusters. */
  readonly clusters: Cluster[];
}

interface Cluster {
  readonly id: number;
  tokens: string[];
  /** `tokens.join(' ')`, kept in step. */
  template: string;
  count: number;
  leaf: TreeNode;
}

const newNode = (key: string, parent: TreeNode | undefined): TreeNode => ({
  key,
  parent,
  children: new Map(),
  clusters: [],
});

const EMPTY_RESULT: Readonly<LearnResult> = Object.freeze({ templateId: -1, template: '', params: [], change: 'none' });

function checkInteger(name: string, value: unknown, min: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new TemplateOptionError(name, `must be an integer ≥ ${min}, got ${String(value)}`);
  }
}

/**
 * Fill defaults and reject impossible values, naming the option.
 * @throws TemplateOptionError
 */
export function resolveDrainOptions(options: Partial<DrainOptions> = {}): Readonly<DrainOptions> {
  for (const key of Object.keys(options)) {
    if (!(key in DRAIN_DEFAULTS)) {
      throw new TemplateOptionError(key, `is not an option; known: ${Object.keys(DRAIN_DEFAULTS).join(', ')}`);
    }
  }
  const resolved: DrainOptions = { ...DRAIN_DEFAULTS };
  for (const [key, value] of Object.entries(options) as [keyof DrainOptions, number | undefined][]) {
    if (value !== undefined) resolved[key] = value;
  }
  checkInteger('depth', resolved.depth, 3); // the root, the token count and the leaf take three levels
  const sim = resolved.simThreshold;
  if (typeof sim !== 'number' || !(sim > 0 && sim <= 1)) {
    throw new TemplateOptionError('simThreshold', `must be in (0, 1], got ${String(sim)}`);
  }
  checkInteger('maxChildren', resolved.maxChildren, 2);
  checkInteger('maxClusters', resolved.maxClusters, 1);
  checkInteger('maxMessageLength', resolved.maxMessageLength, 1);
  checkInteger('firstTemplateId', resolved.firstTemplateId, 1);
  return Object.freeze(resolved);
}

export class Drain {
  readonly options: Readonly<DrainOptions>;
  /** Token levels in the tree below the token-count node. */
  readonly #routeDepth: number;
  readonly #byLength = new Map<number, TreeNode>();
  readonly #cache: ClusterCache<Cluster>;
  #nextId: number;

  /**
   * @param options - see {@link DrainOptions}; omitted keys take {@link DRAIN_DEFAULTS}.
   * @throws TemplateOptionError for an unknown key or an impossible value, e.g. `depth` 2.
   */
  constructor(options: Partial<DrainOptions> = {}) {
    this.options = resolveDrainOptions(options);
    this.#routeDepth = this.options.depth - 3;
    this.#cache = new ClusterCache(this.options.maxClusters);
    this.#nextId = this.options.firstTemplateId;
  }

  /** Clusters currently held (≤ `maxClusters`). */
  get clusterCount(): number {
    return this.#cache.size;
  }

  /** Learn one message: the only call that changes the model. */
  learn(message: string): LearnResult {
    return this.learnTokens(tokenize(truncate(message, this.options.maxMessageLength)));
  }

  /** `learn` for a message already cut and tokenised (see `tokenize`, `truncate`). */
  learnTokens(tokens: readonly string[]): LearnResult {
    if (tokens.length === 0) return { ...EMPTY_RESULT, params: [] };

    const found = this.#search(tokens, this.options.simThreshold, false);
    if (found === undefined) {
      const cluster = this.#create(tokens);
      // Params only when the message itself holds <*> tokens (from masks that write <*>)
      const params = extractParams(cluster.tokens, tokens);
      return { templateId: cluster.id, template: cluster.template, params, change: 'created' };
    }

    // Generalise the template where the message differs
    let change: TemplateChange = 'none';
    const template = found.tokens;
    for (let i = 0; i < tokens.length; i++) {
      if (template[i] !== tokens[i] && template[i] !== WILDCARD) {
        if (change === 'none') {
          found.tokens = template.slice();
          change = 'changed';
        }
        found.tokens[i] = WILDCARD;
      }
    }
    if (change === 'changed') found.template = found.tokens.join(' ');
    found.count++;
    this.#cache.touch(found);
    return { templateId: found.id, template: found.template, params: extractParams(found.tokens, tokens), change };
  }

  /**
   * The template that covers a message (every non-`<*>` token equal), or null. Read-only: no
   * counts, templates or recency change.
   */
  match(message: string, strategy: MatchStrategy = 'never'): MatchResult | null {
    return this.matchTokens(tokenize(truncate(message, this.options.maxMessageLength)), strategy);
  }

  /** `match` for a message already cut and tokenised. */
  matchTokens(tokens: readonly string[], strategy: MatchStrategy = 'never'): MatchResult | null {
    if (tokens.length === 0) return { templateId: -1, template: '', params: [] };
    let found: Cluster | undefined;
    if (strategy !== 'always') found = this.#search(tokens, 1, true);
    if (found === undefined && strategy !== 'never') found = this.#fullSearch(tokens);
    if (found === undefined) return null;
    return { templateId: found.id, template: found.template, params: extractParams(found.tokens, tokens) };
  }

  /** Every template, by id. */
  templates(): TemplateInfo[] {
    const list: TemplateInfo[] = [];
    for (const c of this.#cache.values()) list.push({ templateId: c.id, template: c.template, count: c.count });
    return list.sort((a, b) => a.templateId - b.templateId);
  }

  // ─── Snapshot ──────────────────────────────────────────────────────────────────────────────────

  /** Plain data for `Drain.restore`; does not change recency. */
  snapshot(): DrainSnapshot {
    const clusters: ClusterSnapshot[] = [];
    for (const c of this.#cache.values()) {
      const path: string[] = [];
      for (let node = c.leaf; node.parent !== undefined; node = node.parent) path.push(node.key);
      clusters.push({ templateId: c.id, template: c.template, count: c.count, path: path.reverse() });
    }
    return { depth: this.options.depth, nextTemplateId: this.#nextId, clusters };
  }

  /**
   * Rebuild from `snapshot()` output, keeping ids, counts and recency. With the same depth the tree
   * is restored exactly; with another depth the clusters are routed afresh. Past `maxClusters` the
   * least recently used are dropped.
   * @throws TemplateStateError naming the offending cluster when the snapshot is inconsistent.
   */
  static restore(snapshot: DrainSnapshot, options: Partial<DrainOptions> = {}): Drain {
    const drain = new Drain(options);
    const samePaths = snapshot.depth === drain.options.depth;
    const seen = new Set<number>();
    let maxId = 0;
    snapshot.clusters.forEach((saved, index) => {
      const where = `clusters[${index}]`;
      const fail = (problem: string): never => {
        throw new TemplateStateError('TEMPLATE_STATE_INVALID', where, problem);
      };
      if (!Number.isInteger(saved.templateId) || saved.templateId < 1) {
        fail(`templateId ${saved.templateId} is not an integer ≥ 1`);
      }
      if (seen.has(saved.templateId)) fail(`templateId ${saved.templateId} appears twice`);
      seen.add(saved.templateId);
      maxId = Math.max(maxId, saved.templateId);
      const tokens = tokenize(saved.template);
      if (tokens.length === 0 || tokens.join(' ') !== saved.template) {
        fail('template must be non-empty tokens separated by single spaces');
      }
      if (!Number.isInteger(saved.count) || saved.count < 1) fail(`count ${saved.count} is not an integer ≥ 1`);
      let path: readonly string[] | undefined;
      if (samePaths) {
        path = saved.path;
        const expected = Math.min(drain.#routeDepth, tokens.length);
        if (path.length !== expected) fail(`path has ${path.length} keys, expected ${expected}`);
        path.forEach((key, i) => {
          if (key !== WILDCARD && key !== tokens[i]) fail(`path key ${i} "${key}" is neither the token nor ${WILDCARD}`);
        });
      }
      drain.#insert({ id: saved.templateId, tokens, template: saved.template, count: saved.count }, path);
    });
    if (!Number.isInteger(snapshot.nextTemplateId) || snapshot.nextTemplateId <= maxId) {
      throw new TemplateStateError(
        'TEMPLATE_STATE_INVALID',
        'nextTemplateId',
        `${snapshot.nextTemplateId} must be an integer above every templateId (${maxId})`,
      );
    }
    drain.#nextId = snapshot.nextTemplateId;
    return drain;
  }

  // ─── Internals ─────────────────────────────────────────────────────────────────────────────────

  /** Tree descent then the best candidate in the leaf; reads only. */
  #search(tokens: readonly string[], threshold: number, countWildcards: boolean): Cluster | undefined {
    let node = this.#byLength.get(tokens.length);
    if (node === undefined) return undefined;
    const levels = Math.min(this.#routeDepth, tokens.length);
    for (let i = 0; i < levels; i++) {
      const next: TreeNode | undefined = node.children.get(tokens[i] as string) ?? node.children.get(WILDCARD);
      if (next === undefined) return undefined;
      node = next;
    }
    return bestCandidate(node.clusters, tokens, threshold, countWildcards);
  }

  #fullSearch(tokens: readonly string[]): Cluster | undefined {
    const candidates: Cluster[] = [];
    for (const c of this.#cache.values()) if (c.tokens.length === tokens.length) candidates.push(c);
    return bestCandidate(candidates, tokens, 1, true);
  }

  #create(tokens: readonly string[]): Cluster {
    if (this.#cache.isFull) this.#evict();
    const tokensCopy = tokens.slice();
    const cluster = this.#insert({ id: this.#nextId++, tokens: tokensCopy, template: tokensCopy.join(' '), count: 1 });
    return cluster;
  }

  /** Place a cluster in the tree (along `path` when restoring) and the cache, as most recent. */
  #insert(fields: Omit<Cluster, 'leaf'>, path?: readonly string[]): Cluster {
    const length = fields.tokens.length;
    let node = this.#byLength.get(length);
    if (node === undefined) {
      node = newNode(String(length), undefined);
      this.#byLength.set(length, node);
    }
    const levels = Math.min(this.#routeDepth, length);
    for (let i = 0; i < levels; i++) {
      node =
        path === undefined ? this.#routeForInsert(node, fields.tokens[i] as string) : childOf(node, path[i] as string);
    }
    const cluster: Cluster = { ...fields, leaf: node };
    node.clusters.push(cluster);
    if (this.#cache.isFull) this.#evict(); // only when restoring more than maxClusters
    this.#cache.add(cluster);
    return cluster;
  }

  /**
   * The child a new cluster's token goes under. Digits always mean `<*>`. Otherwise the token gets
   * its own child while the node has room; the last free slot is kept for `<*>`, which takes every
   * token after that.
   */
  #routeForInsert(node: TreeNode, token: string): TreeNode {
    const existing = node.children.get(token);
    if (existing !== undefined) return existing;
    if (hasDigit(token)) return childOf(node, WILDCARD);
    const hasWildcard = node.children.has(WILDCARD);
    const room = this.options.maxChildren - node.children.size - (hasWildcard ? 0 : 1);
    return childOf(node, room > 0 ? token : WILDCARD);
  }

  /** Drop the least recently used cluster and prune the branches it leaves empty. */
  #evict(): void {
    const victim = this.#cache.evictOldest();
    if (victim === undefined) return;
    const leaf = victim.leaf;
    leaf.clusters.splice(leaf.clusters.indexOf(victim), 1);
    let node: TreeNode = leaf;
    while (node.clusters.length === 0 && node.children.size === 0) {
      const parent = node.parent;
      if (parent === undefined) {
        this.#byLength.delete(Number(node.key));
        break;
      }
      parent.children.delete(node.key);
      node = parent;
    }
  }
}

function childOf(node: TreeNode, key: string): TreeNode {
  let child = node.children.get(key);
  if (child === undefined) {
    child = newNode(key, node);
    node.children.set(key, child);
  }
  return child;
}

/**
 * The most similar cluster reaching `threshold`: similarity is the share of positions where the
 * template's literal token equals the message's (plus, when `countWildcards`, its `<*>` positions).
 * Ties go to the template with more `<*>`, then to the older cluster.
 */
function bestCandidate(
  clusters: readonly Cluster[],
  tokens: readonly string[],
  threshold: number,
  countWildcards: boolean,
): Cluster | undefined {
  const n = tokens.length;
  let best: Cluster | undefined;
  let bestSim = -1;
  let bestWildcards = -1;
  for (const cluster of clusters) {
    const template = cluster.tokens;
    let equal = 0;
    let wildcards = 0;
    for (let i = 0; i < n; i++) {
      const t = template[i];
      if (t === WILDCARD) wildcards++;
      else if (t === tokens[i]) equal++;
    }
    const sim = (countWildcards ? equal + wildcards : equal) / n;
    const better =
      sim > bestSim ||
      (sim === bestSim &&
        (wildcards > bestWildcards || (wildcards === bestWildcards && best !== undefined && cluster.id < best.id)));
    if (better) {
      best = cluster;
      bestSim = sim;
      bestWildcards = wildcards;
    }
  }
  return bestSim >= threshold ? best : undefined;
}
