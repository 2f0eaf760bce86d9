/**
 * Streaming Half-Space Trees (Tan, Ting & Liu, IJCAI 2011; scoring as River's `HalfSpaceTrees`,
 * which the original used, reference §5.2) over a fixed vector of features scaled to [0, 1].
 *
 * The forest's structure (split feature and value of every node) depends only on the seed, so it
 * is built once and shared by every source; a source owns only its node masses (`HstMasses`):
 * `reference` (the previous window) and `latest` (the current one). Every `windowSize` learned
 * events, latest becomes reference. A point that lands where the reference window put little
 * mass scores high. Differences from the original: features are scaled to [0, 1] (River's
 * default limits; the original fed raw lengths, so almost every split sent all points one way),
 * and the structure uses every feature (River's built its limits from the first event's keys only).
 * The score is the surprisal −ln(m / m_max) of the mass River's score is built on (River returns
 * 1 − m / m_max): the same order, but spread where it matters, so that a template never seen
 * stands clear of the merely uncommon ones (0.94 against 0.80 becomes 2.8 against 1.6).
 */
import { seededRandom } from '../../../main/core/random.js';

export interface HstOptions {
  nTrees: number;
  /** Depth of the leaves (the original's 8). */
  height: number;
  windowSize: number;
  seed: number;
  /** Length of the feature vectors. */
  features: number;
}

/** One source's masses; created by `HalfSpaceTrees.newMasses()`. */
export interface HstMasses {
  reference: Uint16Array;
  latest: Uint16Array;
  /** Events learned in the current window. */
  count: number;
  /** True until the first window is complete (the score is 0 until then). */
  firstWindow: boolean;
}

/** Floor of the mass share, so that the surprisal stays finite (≈ 27.6). */
const MIN_MASS_SHARE = 1e-12;
/** Split points are kept this far inside a node's range (River's `padding`). */
const PADDING = 0.15;

export class HalfSpaceTrees {
  readonly options: Readonly<HstOptions>;
  readonly #nodesPerTree: number;
  readonly #dims: Uint8Array;
  readonly #splits: Float64Array;
  readonly #sizeLimit: number;
  readonly #maxScore: number;

  constructor(options: HstOptions) {
    if (options.features < 1 || options.features > 255) throw new RangeError(`HST features must be 1..255, got ${options.features}`);
    if (options.windowSize > 65_535) throw new RangeError(`HST window ${options.windowSize} exceeds the 16-bit masses (max 65535)`);
    this.options = { ...options };
    this.#nodesPerTree = 2 ** (options.height + 1) - 1;
    this.#dims = new Uint8Array(options.nTrees * this.#nodesPerTree);
    this.#splits = new Float64Array(options.nTrees * this.#nodesPerTree);
    this.#sizeLimit = 0.1 * options.windowSize;
    this.#maxScore = options.nTrees * options.windowSize * this.#nodesPerTree;
    this.#build(seededRandom(options.seed));
  }

  newMasses(): HstMasses {
    const size = this.options.nTrees * this.#nodesPerTree;
    return { reference: new Uint16Array(size), latest: new Uint16Array(size), count: 0, firstWindow: true };
  }

  /**
   * Surprisal of `x`'s regions, −ln(mass share) ≥ 0: higher = emptier regions of the reference
   * window; NaN (not scoring) during the first window. Read-only.
   */
  score(masses: HstMasses, x: ArrayLike<number>): number {
    if (masses.firstWindow) return Number.NaN;
    const { nTrees, height } = this.options;
    const reference = masses.reference;
    const dims = this.#dims;
    const splits = this.#splits;
    const sizeLimit = this.#sizeLimit;
    const nodesPerTree = this.#nodesPerTree;
    let total = 0;
    for (let t = 0; t < nTrees; t++) {
      const base = t * nodesPerTree;
      let node = 0;
      for (let depth = 0; ; depth++) {
        const mass = reference[base + node]!;
        total += mass * (1 << depth);
        if (depth === height || mass < sizeLimit) break;
        node = x[dims[base + node]!]! < splits[base + node]! ? 2 * node + 1 : 2 * node + 2;
      }
    }
    return -Math.log(Math.max(total / this.#maxScore, MIN_MASS_SHARE));
  }

  /** Adds `x` to the latest window; swaps windows when it is full. */
  learn(masses: HstMasses, x: ArrayLike<number>): void {
    const { nTrees, height, windowSize } = this.options;
    const latest = masses.latest;
    const dims = this.#dims;
    const splits = this.#splits;
    const nodesPerTree = this.#nodesPerTree;
    for (let t = 0; t < nTrees; t++) {
      const base = t * nodesPerTree;
      let node = 0;
      for (let depth = 0; ; depth++) {
        latest[base + node]!++;
        if (depth === height) break;
        node = x[dims[base + node]!]! < splits[base + node]! ? 2 * node + 1 : 2 * node + 2;
      }
    }
    if (++masses.count === windowSize) {
      masses.reference.set(latest);
      latest.fill(0);
      masses.count = 0;
      masses.firstWindow = false;
    }
  }

  /** Random split feature per node; split value uniform inside the node's padded range of it. */
  #build(random: () => number): void {
    const { nTrees, features } = this.options;
    const internal = (this.#nodesPerTree - 1) / 2;
    const lo = new Float64Array(this.#nodesPerTree * features);
    const hi = new Float64Array(this.#nodesPerTree * features);
    for (let t = 0; t < nTrees; t++) {
      const base = t * this.#nodesPerTree;
      lo.fill(0, 0, features);
      hi.fill(1, 0, features);
      for (let node = 0; node < internal; node++) {
        const dim = Math.floor(random() * features);
        const a = lo[node * features + dim]!;
        const b = hi[node * features + dim]!;
        const at = a + (b - a) * (PADDING + (1 - 2 * PADDING) * random());
        this.#dims[base + node] = dim;
        this.#splits[base + node] = at;
        for (const child of [2 * node + 1, 2 * node + 2]) {
          lo.copyWithin(child * features, node * features, node * features + features);
          hi.copyWithin(child * features, node * features, node * features + features);
        }
        hi[(2 * node + 1) * features + dim] = at;
        lo[(2 * node + 2) * features + dim] = at;
      }
    }
  }
}
