/**
 * Sigma correlation rules: one parsed YAML document → a validated `CorrelationRule`, or a typed
 * error naming the file, the 1-based position and the fix.
 *
 * Follows the Sigma correlation rules specification 2.1.0 (`sigma-correlation-rules-specification.md`)
 * and its JSON schema: the seven types `event_count`, `value_count`, `temporal`, `temporal_ordered`,
 * `value_sum`, `value_avg`, `value_percentile`; `rules` by id or name (other correlations included);
 * `group-by`; `timespan`; `condition` (gt, gte, lt, lte, eq, neq, all of them must hold, plus `field`
 * and `percentile`); `aliases`; `generate`. Two leniencies for real rule packs, as pySigma has them:
 * a single string is accepted where `rules` or `group-by` take a list, `group-by` may be left out
 * (one group for everything), and `generate` may sit inside `correlation` as well as at the top.
 * Beyond the schema it rejects what can never work: unknown keys in `correlation` (a misspelt
 * `groupby` would otherwise silently become "no grouping"), a `field` on a type that ignores it,
 * and a condition no window can satisfy.
 *
 * Leaves out: YAML decoding (the loader hands over `{ doc, file, line }`), cross-rule checks
 * (`correlation-link.ts`) and evaluation (`correlation.ts`). Pure: no I/O.
 */

import type { SourcePosition } from './errors.js';
import type { YEntry, YNode } from './yaml.js';

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export const CORRELATION_TYPES: readonly CorrelationType[] = Object.freeze([
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
]);

export type ConditionOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface ConditionPredicate {
  op: ConditionOperator;
  value: number;
}

export interface CorrelationCondition {
  /** Every predicate must hold (the spec's "AND in the mapping"); never empty. */
  predicates: ConditionPredicate[];
  /** The aggregated field(s) of the value_* types; several only for value_count (distinct tuples). */
  fields: string[];
  /** value_percentile only: the percentile rank 0–100 to compute; default 50 (the median). */
  percentile?: number;
  /** True when the rule had no condition: temporal types then require every referenced rule. */
  implicit: boolean;
}

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface CorrelationRule {
  title: string;
  id?: string;
  /** The per-pack unique name other correlations may reference. */
  name?: string;
  level?: SigmaLevel;
  status?: string;
  description?: string;
  tags: string[];
  type: CorrelationType;
  /** Referenced rules (detection or correlation) by id or name, in the order written. */
  rules: string[];
  /** Field or alias names; empty = one group for all events. */
  groupBy: string[];
  /** The timespan as written (`90m`). */
  timespan: string;
  timespanNs: bigint;
  condition: CorrelationCondition;
  /** alias → referenced rule (name or id) → field in that rule's events. */
  aliases: Record<string, Record<string, string>>;
  /** Whether the referenced rules still raise their own alerts; default false per the spec. */
  generate: boolean;
  file: string;
  /** 1-based line where the document starts. */
  line: number;
}

/** Where a document came from, and optionally how to find a key's position inside it. */
export interface CorrelationSource {
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  /**
   * 1-based position of the value at `path` (`['correlation', 'timespan']`), or of its key when
   * `part` is `key`; undefined when not known. Without it errors point at `line`.
   * {@link correlationSource} builds one from the loader's positioned tree.
   */
  locate?: (path: readonly (string | number)[], part?: 'key' | 'value') => SourcePosition | undefined;
}

/**
 * The source of a correlation document as the Sigma loader hands it over (`RawSigmaDocument`:
 * `{ doc, node, file, line }`), with a locator reading the positioned YAML tree.
 */
export function correlationSource(document: { file: string; line: number; node: YNode }): CorrelationSource {
  return {
    file: document.file,
    line: document.line,
    locate: (path, part = 'value') => {
      let node: YNode | undefined = document.node;
      let keyPos: SourcePosition | undefined;
      for (const step of path) {
        if (node?.kind === 'map') {
          const entry: YEntry | undefined = node.entries.find((e) => e.key === step);
          keyPos = entry?.keyPos;
          node = entry?.value;
        } else if (node?.kind === 'seq' && typeof step === 'number') {
          keyPos = undefined;
          node = node.items[step];
        } else {
          return undefined;
        }
      }
      return part === 'key' ? keyPos ?? node?.pos : node?.pos;
    },
  };
}

export type CorrelationErrorCode =
  | 'CORRELATION_NOT_A_MAPPING'
  | 'CORRELATION_MISSING_KEY'
  | 'CORRELATION_WRONG_TYPE'
  | 'CORRELATION_UNKNOWN_KEY'
  | 'CORRELATION_BAD_VALUE'
  | 'CORRELATION_BAD_TIMESPAN'
  | 'CORRELATION_BAD_CONDITION'
  // Raised by linkCorrelationRules:
  | 'CORRELATION_DUPLICATE'
  | 'CORRELATION_UNRESOLVED'
  | 'CORRELATION_CYCLE';

/**
 * A correlation rule that cannot be used. Shaped like the detection engine's `SigmaError`
 * (`errors.ts`: `code`, `stage`, `file`, 1-based `line`/`col`, `hint`, `rule`, the same
 * `toString()`), so the plugin reports both the same way. `stage` is `schema` for one document on
 * its own and `link` for problems between rules; `col` is undefined when only the document's start
 * is known; `path` points into the document, as `/correlation/condition/gte`.
 */
export class CorrelationRuleError extends Error {
  override readonly name = 'CorrelationRuleError';

  constructor(
    readonly stage: 'schema' | 'link',
    readonly code: CorrelationErrorCode,
    readonly file: string,
    readonly line: number,
    readonly col: number | undefined,
    readonly path: string,
    message: string,
    readonly hint?: string,
    /** The rule's id or title, when read before the failure. */
    readonly rule?: string,
  ) {
    super(message);
  }

  /** `[stage] file:line:col /path: message (hint: …)`, the form a log or a CLI prints. */
  override toString(): string {
    const where = [this.file, this.line, this.col].filter((part) => part !== undefined).join(':');
    return `[${this.stage}] ${where} ${this.path}: ${this.message}${this.hint ? ` (hint: ${this.hint})` : ''}`;
  }
}

export type CorrelationParseResult = { rule: CorrelationRule } | { error: CorrelationRuleError };

/**
 * Validate one parsed YAML document as a correlation rule. Never throws on bad input: the first
 * problem found comes back as `{ error }`.
 */
export function parseCorrelationRule(doc: unknown, source: CorrelationSource): CorrelationParseResult {
  try {
    return { rule: new DocumentReader(source).read(doc) };
  } catch (caught) {
    if (caught instanceof CorrelationRuleError) return { error: caught };
    throw caught;
  }
}

/** Timespan units: the spec's s, m, h, d plus pySigma's w, M (30 days) and y (365 days). */
const UNIT_NS: Readonly<Record<string, bigint>> = Object.freeze({
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  w: 604_800_000_000_000n,
  M: 2_592_000_000_000_000n,
  y: 31_536_000_000_000_000n,
});

/** `90m` → nanoseconds; undefined unless a positive integer followed by one unit letter. */
export function parseTimespan(text: string): bigint | undefined {
  const match = /^(\d{1,9})([smhdwMy])$/.exec(text);
  if (!match) return undefined;
  const amount = BigInt(match[1] as string);
  const unit = UNIT_NS[match[2] as string];
  return amount > 0n && unit !== undefined ? amount * unit : undefined;
}

// ── Reading one document ────────────────────────────────────────────────────────────────────────

const LEVELS: readonly SigmaLevel[] = ['informational', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const OPERATORS: readonly ConditionOperator[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
const CORRELATION_KEYS = ['type', 'rules', 'group-by', 'timespan', 'condition', 'aliases', 'generate'];
const VALUE_TYPES: readonly CorrelationType[] = ['value_count', 'value_sum', 'value_avg', 'value_percentile'];
/** Types whose aggregate is a count of at least 1 whenever a window holds anything. */
const COUNT_TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];

/** Misspellings seen in the wild and older syntax, with what to write instead. */
const KEY_HINTS: Readonly<Record<string, string>> = Object.freeze({
  timeframe: 'Sigma v2 correlations use `timespan`',
  groupby: 'write `group-by`',
  group_by: 'write `group-by`',
  group: 'write `group-by`',
  rule: 'write `rules` (a list)',
  alias: 'write `aliases`',
});

type Path = readonly (string | number)[];
type Mapping = Record<string, unknown>;

class DocumentReader {
  /** The rule's id or title once read, to name the culprit in a pack. */
  #label: string | undefined;

  constructor(readonly source: CorrelationSource) {}

  read(doc: unknown): CorrelationRule {
    const top = this.#mapping(doc, [], 'a correlation document must be a YAML mapping');
    if ('detection' in top) {
      this.#fail([], 'CORRELATION_BAD_VALUE', 'a document cannot have both `detection` and `correlation`',
        'put the detection rule and the correlation rule in separate documents, separated by `---`');
    }
    const title = this.#string(top, ['title']);
    this.#label = typeof top.id === 'string' ? top.id : title;
    if (title.length > 256) this.#fail(['title'], 'CORRELATION_BAD_VALUE', `title is ${title.length} characters; at most 256`);
    const level = this.#optionalString(top, ['level']);
    if (level !== undefined && !LEVELS.includes(level as SigmaLevel)) {
      this.#fail(['level'], 'CORRELATION_BAD_VALUE', `unknown level "${level}"`, `use one of ${LEVELS.join(', ')}`);
    }
    const status = this.#optionalString(top, ['status']);
    if (status !== undefined && !STATUSES.includes(status)) {
      this.#fail(['status'], 'CORRELATION_BAD_VALUE', `unknown status "${status}"`, `use one of ${STATUSES.join(', ')}`);
    }

    if (!('correlation' in top)) this.#fail([], 'CORRELATION_MISSING_KEY', 'missing `correlation`');
    const body = this.#mapping(top.correlation, ['correlation'], '`correlation` must be a mapping');
    this.#rejectUnknownKeys(body);

    const type = this.#type(body);
    const rules = this.#stringList(body, ['correlation', 'rules'], true);
    const groupBy = this.#stringList(body, ['correlation', 'group-by'], false);
    const timespan = this.#string(body, ['correlation', 'timespan'], 'a timespan such as `5m`');
    const timespanNs = parseTimespan(timespan);
    if (timespanNs === undefined) {
      this.#fail(['correlation', 'timespan'], 'CORRELATION_BAD_TIMESPAN', `invalid timespan "${timespan}"`,
        'a positive integer and one unit letter: 30s, 5m, 1h, 7d (also w, M = 30 days, y = 365 days)');
    }
    const rule: CorrelationRule = {
      title,
      tags: this.#stringList(top, ['tags'], false),
      type,
      rules,
      groupBy,
      timespan,
      timespanNs,
      condition: this.#condition(body, type, rules.length),
      aliases: this.#aliases(body),
      generate: this.#generate(top, body),
      file: this.source.file,
      line: this.source.line,
    };
    const id = this.#optionalString(top, ['id']);
    const name = this.#optionalString(top, ['name']);
    const description = this.#optionalString(top, ['description']);
    if (id !== undefined) rule.id = id;
    if (name !== undefined) rule.name = name;
    if (level !== undefined) rule.level = level as SigmaLevel;
    if (status !== undefined) rule.status = status;
    if (description !== undefined) rule.description = description;
    return rule;
  }

  #type(body: Mapping): CorrelationType {
    const type = this.#string(body, ['correlation', 'type']);
    if (!CORRELATION_TYPES.includes(type as CorrelationType)) {
      this.#fail(['correlation', 'type'], 'CORRELATION_BAD_VALUE', `unknown correlation type "${type}"`,
        `use one of ${CORRELATION_TYPES.join(', ')}`);
    }
    return type as CorrelationType;
  }

  #rejectUnknownKeys(body: Mapping): void {
    for (const key of Object.keys(body)) {
      if (CORRELATION_KEYS.includes(key)) continue;
      const squashed = key.toLowerCase().replace(/[^a-z]/g, '');
      const near = CORRELATION_KEYS.find((known) => known.replace(/[^a-z]/g, '') === squashed);
      const hint = KEY_HINTS[key.toLowerCase()] ?? (near ? `write \`${near}\`` : `known keys: ${CORRELATION_KEYS.join(', ')}`);
      this.#fail(['correlation', key], 'CORRELATION_UNKNOWN_KEY', `unknown key \`${key}\` in correlation`, hint, 'key');
    }
  }

  #condition(body: Mapping, type: CorrelationType, ruleCount: number): CorrelationCondition {
    const at = ['correlation', 'condition'];
    const isValueType = VALUE_TYPES.includes(type);
    const isTemporal = type === 'temporal' || type === 'temporal_ordered';
    if (body.condition === undefined || body.condition === null) {
      if (isTemporal) return { predicates: [{ op: 'gte', value: ruleCount }], fields: [], implicit: true };
      this.#fail(['correlation'], 'CORRELATION_MISSING_KEY', `missing \`condition\` (required for ${type})`,
        isValueType ? 'e.g. condition: { field: bytes_sent, gt: 1000000 }' : 'e.g. condition: { gte: 10 }');
    }
    const condition = this.#mapping(body.condition, at, '`condition` must be a mapping such as `gte: 10`');

    const predicates: ConditionPredicate[] = [];
    for (const [key, value] of Object.entries(condition)) {
      if (key === 'field' || key === 'percentile') continue;
      if (!OPERATORS.includes(key as ConditionOperator)) {
        this.#fail([...at, key], 'CORRELATION_BAD_CONDITION', `unknown condition key \`${key}\``,
          `use ${OPERATORS.join(', ')}${isValueType ? ', field' : ''}${type === 'value_percentile' ? ', percentile' : ''}`);
      }
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        this.#fail([...at, key], 'CORRELATION_WRONG_TYPE', `\`${key}\` must be a number`,
          typeof value === 'string' ? `write ${key}: ${value.trim()} without quotes` : undefined);
      }
      predicates.push({ op: key as ConditionOperator, value });
    }
    if (predicates.length === 0) {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', 'the condition has no comparison', `add one of ${OPERATORS.join(', ')}`);
    }

    const fields = this.#conditionFields(condition, type);
    const percentile = this.#percentile(condition, type);
    this.#checkSatisfiable(predicates, type, ruleCount, at);
    return { predicates, fields, ...(percentile !== undefined && { percentile }), implicit: false };
  }

  #conditionFields(condition: Mapping, type: CorrelationType): string[] {
    const at = ['correlation', 'condition', 'field'];
    if (!VALUE_TYPES.includes(type)) {
      if ('field' in condition) {
        this.#fail(at, 'CORRELATION_BAD_CONDITION', `\`field\` has no meaning for ${type}`,
          'value_count, value_sum, value_avg and value_percentile aggregate a field; remove it or change the type');
      }
      return [];
    }
    if (!('field' in condition)) {
      this.#fail(['correlation', 'condition'], 'CORRELATION_MISSING_KEY', `${type} needs \`field\` in its condition`,
        'name the field to aggregate, e.g. field: User');
    }
    const fields = this.#stringList(condition, at, true);
    if (fields.length > 1 && type !== 'value_count') {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', `${type} aggregates exactly one field, got ${fields.length}`,
        'only value_count combines several fields (distinct tuples)');
    }
    return fields;
  }

  #percentile(condition: Mapping, type: CorrelationType): number | undefined {
    if (!('percentile' in condition)) return type === 'value_percentile' ? 50 : undefined;
    const at = ['correlation', 'condition', 'percentile'];
    if (type !== 'value_percentile') {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', `\`percentile\` has no meaning for ${type}`, 'only value_percentile uses it');
    }
    const value = condition.percentile;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', '`percentile` must be a number from 0 to 100', 'the median is 50');
    }
    return value;
  }

  /** Reject conditions no window can meet: an empty range, a count below 1, more rules than referenced. */
  #checkSatisfiable(predicates: ConditionPredicate[], type: CorrelationType, ruleCount: number, at: Path): void {
    let low = -Infinity;
    let lowOpen = false;
    let high = Infinity;
    let highOpen = false;
    for (const { op, value } of predicates) {
      if ((op === 'gt' || op === 'gte' || op === 'eq') && (value > low || (value === low && op === 'gt'))) {
        low = value;
        lowOpen = op === 'gt';
      }
      if ((op === 'lt' || op === 'lte' || op === 'eq') && (value < high || (value === high && op === 'lt'))) {
        high = value;
        highOpen = op === 'lt';
      }
    }
    const empty = low > high || (low === high && (lowOpen || highOpen));
    const eq = predicates.find((p) => p.op === 'eq');
    const excluded = eq !== undefined && predicates.some((p) => p.op === 'neq' && p.value === eq.value);
    if (empty || excluded) {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', 'the comparisons contradict each other, so the condition can never hold');
    }
    if ((type === 'temporal' || type === 'temporal_ordered') && (low > ruleCount || (low === ruleCount && lowOpen))) {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', `a ${type} value counts the referenced rules seen, at most ${ruleCount} here, so this can never hold`,
        'reference more rules or lower the condition');
    }
    if (COUNT_TYPES.includes(type) && (high < 1 || (high === 1 && highOpen))) {
      this.#fail(at, 'CORRELATION_BAD_CONDITION', `a ${type} window is only evaluated when it holds at least one event, so this can never hold`,
        'the absence of events cannot be detected by a correlation rule');
    }
  }

  #aliases(body: Mapping): Record<string, Record<string, string>> {
    if (body.aliases === undefined) return {};
    const at = ['correlation', 'aliases'];
    const aliases = this.#mapping(body.aliases, at, '`aliases` must map alias names to { rule name: field }');
    const out: Record<string, Record<string, string>> = {};
    for (const [alias, perRule] of Object.entries(aliases)) {
      const mapping = this.#mapping(perRule, [...at, alias], `alias \`${alias}\` must map rule names to field names`);
      const fields: Record<string, string> = {};
      for (const [rule, field] of Object.entries(mapping)) {
        if (typeof field !== 'string' || field === '') {
          this.#fail([...at, alias, rule], 'CORRELATION_WRONG_TYPE', `alias \`${alias}\` for rule \`${rule}\` must be a field name`);
        }
        fields[rule] = field;
      }
      out[alias] = fields;
    }
    return out;
  }

  #generate(top: Mapping, body: Mapping): boolean {
    const outer = this.#optionalBoolean(top, ['generate']);
    const inner = this.#optionalBoolean(body, ['correlation', 'generate']);
    if (outer !== undefined && inner !== undefined && outer !== inner) {
      this.#fail(['correlation', 'generate'], 'CORRELATION_BAD_VALUE', '`generate` is given twice with different values',
        'keep the top-level one');
    }
    return outer ?? inner ?? false;
  }

  // ── Typed readers: each fails with the path of what it read ──

  #mapping(value: unknown, path: Path, message: string): Mapping {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.#fail(path, path.length === 0 ? 'CORRELATION_NOT_A_MAPPING' : 'CORRELATION_WRONG_TYPE', message);
    }
    return value as Mapping;
  }

  /** A required non-empty string. */
  #string(holder: Mapping, path: Path, example?: string): string {
    const key = path[path.length - 1] as string;
    const value = holder[key];
    if (value === undefined || value === null) {
      this.#fail(path.slice(0, -1), 'CORRELATION_MISSING_KEY', `missing \`${key}\``, example);
    }
    if (typeof value !== 'string' || value.trim() === '') {
      this.#fail(path, 'CORRELATION_WRONG_TYPE', `\`${key}\` must be a non-empty string`,
        typeof value === 'number' && key === 'timespan' ? `add a unit: ${value}s` : example);
    }
    return value;
  }

  #optionalString(holder: Mapping, path: Path): string | undefined {
    const key = path[path.length - 1] as string;
    return holder[key] === undefined || holder[key] === null ? undefined : this.#string(holder, path);
  }

  #optionalBoolean(holder: Mapping, path: Path): boolean | undefined {
    const value = holder[path[path.length - 1] as string];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') this.#fail(path, 'CORRELATION_WRONG_TYPE', '`generate` must be true or false');
    return value;
  }

  /** A list of unique non-empty strings; a lone string counts as a one-item list. */
  #stringList(holder: Mapping, path: Path, required: boolean): string[] {
    const key = path[path.length - 1] as string;
    const value = holder[key];
    if (value === undefined || value === null) {
      if (required) this.#fail(path.slice(0, -1), 'CORRELATION_MISSING_KEY', `missing \`${key}\``);
      return [];
    }
    const items = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(items)) this.#fail(path, 'CORRELATION_WRONG_TYPE', `\`${key}\` must be a list of strings`);
    if (required && items.length === 0) this.#fail(path, 'CORRELATION_BAD_VALUE', `\`${key}\` is empty`);
    const seen = new Set<string>();
    items.forEach((item: unknown, index) => {
      if (typeof item !== 'string' || item.trim() === '') {
        this.#fail([...path, index], 'CORRELATION_WRONG_TYPE', `\`${key}\` item ${index + 1} must be a non-empty string`,
          typeof item === 'number' ? 'quote ids and names that look like numbers' : undefined);
      }
      if (seen.has(item)) this.#fail([...path, index], 'CORRELATION_BAD_VALUE', `\`${key}\` lists "${item}" twice`);
      seen.add(item);
    });
    return items as string[];
  }

  #fail(path: Path, code: CorrelationErrorCode, message: string, hint?: string, part: 'key' | 'value' = 'value'): never {
    const at = this.source.locate?.(path, part);
    throw new CorrelationRuleError('schema', code, this.source.file, at?.line ?? this.source.line, at?.col,
      `/${path.join('/')}`, message, hint, this.#label);
  }
}
