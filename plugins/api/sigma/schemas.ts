/**
 * Request schemas of the Sigma routes (reference §11.2), and the validated shapes the handlers
 * read. Rule suggestions are validated already, though they wait for the LLM (issue 7).
 */
import Joi from 'joi';
import type { RuleOrigin } from '../../detectors/sigma/pack.js';
import { tacticFilter, techniqueFilter, type PageQuery } from '../params.js';

/** Rule ids are UUIDs in Sigma; custom rules may use other short ids. */
export const ruleParams = Joi.object({
  rule_id: Joi.string()
    .max(36)
    .pattern(/^[A-Za-z0-9_.-]+$/)
    .required(),
});

export const RULE_ORIGINS: readonly RuleOrigin[] = ['bundled', 'dir', 'custom'];

export interface RuleListQuery extends PageQuery {
  category?: string;
  /** Seerflow severities (0..6) of the rules' levels; the contract allows values up to 24. */
  severity_in?: number[];
  logsource_product?: string;
  enabled?: boolean;
  source?: RuleOrigin;
  search?: string;
  /** Canonical tactic name. */
  tactic?: string;
  /** Technique id; `T1110` also selects its sub-techniques. */
  technique?: string;
}

export const ruleListQuery = Joi.object({
  page: Joi.number().integer().min(1).max(10_000).default(1),
  limit: Joi.number().integer().min(1).max(500).default(100),
  category: Joi.string().max(64),
  // Repeatable: `?severity_in=3&severity_in=4`.
  severity_in: Joi.array().items(Joi.number().integer().min(0).max(24)).max(25).single(),
  logsource_product: Joi.string().max(64),
  enabled: Joi.boolean(),
  source: Joi.string().valid(...RULE_ORIGINS),
  search: Joi.string().max(200),
  tactic: tacticFilter,
  technique: techniqueFilter,
});

export const ruleTimelineQuery = Joi.object({
  bucket: Joi.string().valid('hour').default('hour'),
  window: Joi.string().valid('24h').default('24h'),
});

export const rulePatchPayload = Joi.object({ enabled: Joi.boolean().required() }).required();

/** 256 KiB: far above any real rule, well below the payload limit. */
const MAX_YAML_CHARS = 262_144;

export interface RuleUploadPayload {
  yaml: string;
  dry_run: boolean;
}

// The contract puts `dry_run` in the body, the original in the query: both are accepted.
export const ruleUploadPayload = Joi.object({
  yaml: Joi.string().min(1).max(MAX_YAML_CHARS).required(),
  dry_run: Joi.boolean().default(false),
}).required();

export const ruleUploadQuery = Joi.object({ dry_run: Joi.boolean().default(false) });

/** `alert_type:rule_name:entity_type`, lowercased. */
export const patternParams = Joi.object({
  pattern_key: Joi.string()
    .pattern(/^[a-z0-9_:.-]{1,128}$/)
    .required(),
});

export const suggestionListQuery = Joi.object({
  page: Joi.number().integer().min(1).max(10_000).default(1),
  limit: Joi.number().integer().min(1).max(200).default(50),
});
