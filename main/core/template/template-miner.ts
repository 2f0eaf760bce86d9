/**
 * The template miner: masking then Drain, plus a versioned JSON state so template ids survive a
 * restart.
 *
 * Per message: cut to `maxMessageLength` → apply the masks → split on white space → Drain. Params are
 * therefore tokens of the *masked* message (an address shows up as `<IP>`). The miner decides nothing
 * about persistence: `learn` reports the kind of change and the caller saves `toState()` when it
 * likes. Follows Drain3's `template_miner.py` minus its persistence handlers, clock and pickling.
 */
import {
  Drain,
  DRAIN_DEFAULTS,
  type ClusterSnapshot,
  type DrainOptions,
  type LearnResult,
  type MatchResult,
  type MatchStrategy,
  type TemplateInfo,
  tokenize,
  truncate,
} from './drain.js';
import { TemplateStateError } from './errors.js';
import { DEFAULT_MASKS, Masker, type MaskRule } from './masking.js';

export interface TemplateMinerOptions extends DrainOptions {
  /** Masks applied in order before mining; an empty list masks nothing. Default {@link DEFAULT_MASKS}. */
  masks: readonly MaskRule[];
}

export const TEMPLATE_MINER_DEFAULTS: Readonly<TemplateMinerOptions> = Object.freeze({
  ...DRAIN_DEFAULTS,
  masks: DEFAULT_MASKS,
});

/** The state format version this build writes and reads. */
export const TEMPLATE_STATE_VERSION = 1;

/**
 * The miner's saved state: plain JSON. `clusters` are least recently used first; `path` is each
 * cluster's place in the parse tree, valid for `depth`.
 */
export interface TemplateMinerState {
  version: typeof TEMPLATE_STATE_VERSION;
  depth: number;
  nextTemplateId: number;
  clusters: ClusterSnapshot[];
}

export class TemplateMiner {
  readonly options: Readonly<TemplateMinerOptions>;
  readonly #masker: Masker;
  #drain: Drain; // replaced once by fromState

  /**
   * @param options - see {@link TemplateMinerOptions}; omitted keys take {@link TEMPLATE_MINER_DEFAULTS}.
   * @throws TemplateOptionError naming the option or mask rule at fault.
   */
  constructor(options: Partial<TemplateMinerOptions> = {}) {
    const { masks = DEFAULT_MASKS, ...drainOptions } = options;
    this.#masker = new Masker(masks);
    this.#drain = new Drain(drainOptions);
    this.options = Object.freeze({ ...this.#drain.options, masks: this.#masker.rules });
  }

  /**
   * Rebuild a miner from `toState()` output (after a JSON round trip or not): same ids, counts and
   * recency. `options` may differ from the saving miner's; a different depth re-routes the clusters.
   * @throws TemplateStateError for an unknown version or a malformed state, naming the field.
   */
  static fromState(state: unknown, options: Partial<TemplateMinerOptions> = {}): TemplateMiner {
    const checked = checkState(state);
    const miner = new TemplateMiner(options);
    const { depth, simThreshold, maxChildren, maxClusters, maxMessageLength } = miner.options;
    miner.#drain = Drain.restore(checked, { depth, simThreshold, maxChildren, maxClusters, maxMessageLength });
    return miner;
  }

  /** Clusters currently held. */
  get clusterCount(): number {
    return this.#drain.clusterCount;
  }

  /** Mask and learn one message. Never throws; an empty message gives templateId -1. */
  learn(message: string): LearnResult {
    return this.#drain.learnTokens(this.#tokens(message));
  }

  /** The template covering a message, or null; changes nothing (see `MatchStrategy`). */
  match(message: string, strategy: MatchStrategy = 'never'): MatchResult | null {
    return this.#drain.matchTokens(this.#tokens(message), strategy);
  }

  /** Every template, by id. */
  templates(): TemplateInfo[] {
    return this.#drain.templates();
  }

  /** The state as plain, versioned JSON data. */
  toState(): TemplateMinerState {
    return { version: TEMPLATE_STATE_VERSION, ...this.#drain.snapshot() };
  }

  #tokens(message: string): string[] {
    return tokenize(this.#masker.mask(truncate(message, this.options.maxMessageLength)));
  }
}

// ─── State validation ────────────────────────────────────────────────────────────────────────────

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function invalid(path: string, problem: string): never {
  throw new TemplateStateError('TEMPLATE_STATE_INVALID', path, problem);
}

/** Shape checks on untrusted JSON; `Drain.restore` checks consistency. */
function checkState(state: unknown): TemplateMinerState {
  if (!isObject(state)) invalid('state', 'must be an object');
  if (state.version !== TEMPLATE_STATE_VERSION) {
    throw new TemplateStateError(
      'TEMPLATE_STATE_VERSION',
      'version',
      `unsupported version ${JSON.stringify(state.version)}; this build reads version ${TEMPLATE_STATE_VERSION}`,
    );
  }
  if (typeof state.depth !== 'number') invalid('depth', 'must be a number');
  if (typeof state.nextTemplateId !== 'number') invalid('nextTemplateId', 'must be a number');
  if (!Array.isArray(state.clusters)) invalid('clusters', 'must be an array');
  const clusters = state.clusters.map((c: unknown, i): ClusterSnapshot => {
    const where = `clusters[${i}]`;
    if (!isObject(c)) invalid(where, 'must be an object');
    if (typeof c.templateId !== 'number') invalid(`${where}.templateId`, 'must be a number');
    if (typeof c.template !== 'string') invalid(`${where}.template`, 'must be a string');
    if (typeof c.count !== 'number') invalid(`${where}.count`, 'must be a number');
    if (!Array.isArray(c.path) || !c.path.every((key) => typeof key === 'string')) {
      invalid(`${where}.path`, 'must be an array of strings');
    }
    return { templateId: c.templateId, template: c.template, count: c.count, path: c.path as string[] };
  });
  return { version: TEMPLATE_STATE_VERSION, depth: state.depth, nextTemplateId: state.nextTemplateId, clusters };
}

