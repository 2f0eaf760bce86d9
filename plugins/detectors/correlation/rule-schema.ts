/**
 * Correlation rules: their YAML shape (reference §7.1) and its validation. One rule per file;
 * `parseRuleFile` returns the rule or every problem found, each naming the file, the key path
 * and, for YAML syntax errors, the 1-based line and column.
 *
 * Fields as the original, plus three of ours (all optional):
 * - `sources[].source_type` may be omitted (any source): the original compared it exactly, so
 *   its `syslog` rules never saw file, stdin or OTLP input.
 * - `sources[].distinct` + `min_distinct`: the source counts only when its matching events carry
 *   that many distinct values of a field (many users failing from one address).
 * - `sources[].periodic`: the source counts only when its matching events arrive at regular
 *   intervals (a beacon); jitter is the intervals' coefficient of variation.
 * - `entity_scope` (ip rules): `external` skips private, loopback and link-local addresses.
 * Regexes are RE2 (linear time); a leading `(?i)`, the original's Python spelling, means
 * case-insensitive.
 */
import Joi from 'joi';
import { parseDocument } from 'yaml';

export const CONDITION_FIELDS = [
  'message',
  'source_type',
  'source_id',
  'template_str',
  'severity_id',
  'entity_refs',
  'related_ips',
  'related_users',
  'related_hosts',
  'app',
  'host',
] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];

export const RULE_ENTITY_TYPES = ['user', 'ip', 'host', 'process', 'file', 'domain'] as const;
export type RuleEntityType = (typeof RULE_ENTITY_TYPES)[number];

export interface RuleSource {
  sourceType: string | null;
  conditions: Partial<Record<ConditionField, string>>;
  minCount: number;
  distinct: ConditionField | null;
  minDistinct: number;
  periodic: { minIntervals: number; maxJitter: number } | null;
}

export interface CorrelationRule {
  name: string;
  description: string;
  entityType: RuleEntityType;
  entityScope: 'any' | 'external';
  windowSeconds: number;
  minSources: number;
  alertSeverity: number;
  tactics: string[];
  techniques: string[];
  sources: RuleSource[];
  /** The file it came from, for messages. */
  file: string;
}

/** Longest condition regex accepted, in characters (the original's limit). */
export const MAX_CONDITION_LENGTH = 512;

const field = Joi.string().valid(...CONDITION_FIELDS);
const nonEmpty = Joi.string().trim().min(1);

const sourceSchema = Joi.object({
  source_type: nonEmpty,
  conditions: Joi.object()
    .pattern(field, Joi.string().min(1).max(MAX_CONDITION_LENGTH))
    .min(1)
    .required()
    .messages({ 'object.unknown': '{{#label}} is not a condition field (use one of ' + CONDITION_FIELDS.join(', ') + ')' }),
  min_count: Joi.number().integer().min(1).default(1),
  distinct: field,
  min_distinct: Joi.number().integer().min(2).when('distinct', { is: Joi.exist(), then: Joi.required(), otherwise: Joi.forbidden() }),
  periodic: Joi.object({
    min_intervals: Joi.number().integer().min(2).required(),
    max_jitter: Joi.number().greater(0).max(1).required(),
  }),
});

const ruleSchema = Joi.object({
  name: Joi.string()
    .pattern(/^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/)
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must be 2-64 lower-case letters, digits or dashes, not starting or ending with a dash' }),
  description: nonEmpty,
  entity_type: Joi.string().valid(...RULE_ENTITY_TYPES).required(),
  entity_scope: Joi.string().valid('any', 'external').default('any'),
  window_seconds: Joi.number().integer().min(1).max(604_800).required(),
  min_sources: Joi.number().integer().min(1).max(Joi.ref('sources.length')).default(1).messages({
    'number.max': '{{#label}} is larger than the number of sources',
  }),
  alert_severity: Joi.number().integer().min(0).max(6).required(),
  mitre_tactics: Joi.array().items(nonEmpty).default([]),
  mitre_techniques: Joi.array().items(nonEmpty).default([]),
  sources: Joi.array().items(sourceSchema).min(1).required(),
});

export type ParsedRuleFile = { rule: CorrelationRule; errors?: undefined } | { rule?: undefined; errors: string[] };

interface RawSource {
  source_type?: string;
  conditions: Partial<Record<ConditionField, string>>;
  min_count: number;
  distinct?: ConditionField;
  min_distinct?: number;
  periodic?: { min_intervals: number; max_jitter: number };
}

interface RawRule {
  name: string;
  description?: string;
  entity_type: RuleEntityType;
  entity_scope: 'any' | 'external';
  window_seconds: number;
  min_sources: number;
  alert_severity: number;
  mitre_tactics: string[];
  mitre_techniques: string[];
  sources: RawSource[];
}

/** One rule file's text → the rule, or its problems (`file: path: message`, YAML errors with line:col). */
export function parseRuleFile(file: string, text: string): ParsedRuleFile {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map((error) => {
        const at = error.linePos?.[0];
        const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
        return `${file}${at ? `:${at.line}:${at.col}` : ''}: invalid YAML: ${message}`;
      }),
    };
  }
  const { value, error } = ruleSchema.validate(doc.toJS(), { abortEarly: false, errors: { label: 'key', wrap: { label: false } } });
  if (error) return { errors: error.details.map((detail) => `${file}: ${detail.path.join('.') || '(rule)'}: ${detail.message}`) };
  const raw = value as RawRule;
  return {
    rule: {
      name: raw.name,
      description: raw.description ?? '',
      entityType: raw.entity_type,
      entityScope: raw.entity_scope,
      windowSeconds: raw.window_seconds,
      minSources: raw.min_sources,
      alertSeverity: raw.alert_severity,
      tactics: raw.mitre_tactics,
      techniques: raw.mitre_techniques,
      sources: raw.sources.map((s) => ({
        sourceType: s.source_type ?? null,
        conditions: s.conditions,
        minCount: s.min_count,
        distinct: s.distinct ?? null,
        minDistinct: s.min_distinct ?? 0,
        periodic: s.periodic ? { minIntervals: s.periodic.min_intervals, maxJitter: s.periodic.max_jitter } : null,
      })),
      file,
    },
  };
}
