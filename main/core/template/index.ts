/** Template mining: masks, the Drain parse tree, and the miner that composes them. */
export {
  Drain,
  DRAIN_DEFAULTS,
  WILDCARD,
  extractParams,
  resolveDrainOptions,
  tokenize,
  truncate,
  type ClusterSnapshot,
  type DrainOptions,
  type DrainSnapshot,
  type LearnResult,
  type MatchResult,
  type MatchStrategy,
  type TemplateChange,
  type TemplateInfo,
} from './drain.js';
export { TemplateOptionError, TemplateStateError } from './errors.js';
export { DEFAULT_MASKS, Masker, type MaskRule } from './masking.js';
export {
  TEMPLATE_MINER_DEFAULTS,
  TEMPLATE_STATE_VERSION,
  TemplateMiner,
  type TemplateMinerOptions,
  type TemplateMinerState,
} from './template-miner.js';
