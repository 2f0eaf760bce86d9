/**
 * Value modifiers (specification 2.1.0, "Sigma Modifiers" appendix): checking a chain such as
 * `|base64offset|contains` once, then turning each value of a detection item into a test.
 *
 * Supported: contains, startswith, endswith, all, exists, cased, neq, re (with i, m, s), cidr
 * (IPv4 and IPv6), base64, base64offset, utf16le / wide, utf16be, utf16, windash, lt, lte, gt,
 * gte, minute, hour, day, week, month, year, fieldref, expand.
 *
 * Semantics chosen where the specification leaves room (each has a test in modifiers.test.ts):
 * - matching is case-insensitive unless `cased`; `re` is case-sensitive unless `i`;
 * - `neq` matches a present, non-null field that equals none of the values;
 * - numeric comparisons and time parts need a field that reads as a number or a date;
 *   time parts read dates as UTC and may be followed by a comparison (`|hour|gte: 22`);
 * - `fieldref` compares with another field of the same event, and may be combined with
 *   contains / startswith / endswith, cased and neq;
 * - `expand` replaces `%name%` with the configured values (OR-linked, wildcards allowed);
 *   a placeholder without values either rejects the rule or matches nothing (option
 *   `unknownPlaceholder`), the latter with a warning.
 * Encodings refuse values with wildcards: the encoded form of a wildcard is not a wildcard.
 */
import type { FieldValue } from '../../../main/core/event.js';
import { compileError, type SigmaError, type SourcePosition } from './errors.js';
import { base64, base64Offsets, textOf as encodedText, utf16be, utf16bom, utf16le, windashVariants, type Encoded } from './encoding.js';
import type { EventView, FieldRegistry } from './event-view.js';
import { cidrContains, parseCidr, parseIp } from './ip.js';
import type { ValueAst } from './parser.js';
import { anchorPattern, compilePattern, hasWildcards, literalPattern, parseSigmaString, patternText, type CompiledPattern, type PatternPart } from './pattern.js';
import { anyPattern, groupPatterns } from './pattern-set.js';
import { compareTest, DECIMAL, timePartOf, toNumber, type Comparison, type TimePart } from './comparison.js';
import { compileRegex } from './regex.js';

// ── Plans ───────────────────────────────────────────────────────────────────────────────────────

export type Position = 'eq' | 'contains' | 'startswith' | 'endswith';
export type { Comparison, TimePart } from './comparison.js';
export type Transform = 'base64' | 'base64offset' | 'utf16le' | 'utf16be' | 'utf16' | 'windash' | 'expand';

export interface ModifierPlan {
  match: 'string' | 're' | 'cidr' | 'compare' | 'exists' | 'fieldref' | 'time';
  position: Position;
  /** Values AND-linked instead of OR-linked. */
  all: boolean;
  cased: boolean;
  neq: boolean;
  comparison?: Comparison;
  timePart?: TimePart;
  regexFlags: { ignoreCase: boolean; multiline: boolean; dotAll: boolean };
  transforms: Transform[];
}

const POSITIONS = new Set(['contains', 'startswith', 'endswith']);
const COMPARISONS = new Set(['lt', 'lte', 'gt', 'gte']);
const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
const TRANSFORMS = new Set(['base64', 'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'expand']);
const REGEX_FLAGS = new Set(['i', 'm', 's']);

export const KNOWN_MODIFIERS: readonly string[] = [
  'contains', 'startswith', 'endswith', 'all', 'exists', 'cased', 'neq', 're', 'i', 'm', 's', 'cidr', 'base64',
  'base64offset', 'utf16le', 'utf16be', 'utf16', 'wide', 'windash', 'lt', 'lte', 'gt', 'gte', 'minute', 'hour',
  'day', 'week', 'month', 'year', 'fieldref', 'expand',
];

/** Checks a modifier chain; throws a compile-stage SigmaError naming the culprit. */
export function planModifiers(names: readonly string[], at: SourcePosition): ModifierPlan {
  const plan: ModifierPlan = {
    match: 'string',
    position: 'eq',
    all: false,
    cased: false,
    neq: false,
    regexFlags: { ignoreCase: false, multiline: false, dotAll: false },
    transforms: [],
  };
  const seen = new Set<string>();
  const conflict = (message: string, hint?: string) => compileError('MODIFIER_CONFLICT', message, at, hint);
  const setMatch = (match: ModifierPlan['match'], name: string) => {
    if (plan.match !== 'string' && !(plan.match === 'time' && match === 'compare')) {
      throw conflict(`modifier "${name}" cannot be combined with "${plan.match}"`);
    }
    plan.match = match === 'compare' && plan.match === 'time' ? 'time' : match;
  };
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (name === '') throw compileError('UNKNOWN_MODIFIER', 'empty modifier (two pipes in a row?)', at);
    if (seen.has(name)) throw conflict(`modifier "${name}" is given twice`);
    seen.add(name);
    if (POSITIONS.has(name)) {
      if (plan.position !== 'eq') throw conflict(`"${name}" cannot be combined with "${plan.position}"`);
      plan.position = name as Position;
    } else if (name === 'all') plan.all = true;
    else if (name === 'cased') plan.cased = true;
    else if (name === 'neq') plan.neq = true;
    else if (name === 'exists') setMatch('exists', name);
    else if (name === 're') setMatch('re', name);
    else if (REGEX_FLAGS.has(name)) {
      if (plan.match !== 're') throw conflict(`"${name}" is a sub-modifier of "re" and must follow it`, `write "|re|${name}"`);
      if (name === 'i') plan.regexFlags.ignoreCase = true;
      if (name === 'm') plan.regexFlags.multiline = true;
      if (name === 's') plan.regexFlags.dotAll = true;
    } else if (name === 'cidr') setMatch('cidr', name);
    else if (name === 'fieldref') setMatch('fieldref', name);
    else if (COMPARISONS.has(name)) {
      setMatch('compare', name);
      if (plan.comparison) throw conflict(`"${name}" cannot be combined with "${plan.comparison}"`);
      plan.comparison = name as Comparison;
    } else if (TIME_PARTS.has(name)) {
      if (plan.match !== 'string') throw conflict(`time modifier "${name}" cannot follow "${plan.match}"`);
      plan.match = 'time';
      plan.timePart = name as TimePart;
    } else if (TRANSFORMS.has(name)) {
      plan.transforms.push(name === 'wide' ? 'utf16le' : (name as Transform));
    } else {
      const near = KNOWN_MODIFIERS.find((known) => known.startsWith(name.slice(0, 4)) && name.length > 3);
      throw compileError('UNKNOWN_MODIFIER', `unknown modifier "${raw}"`, at, near ? `did you mean "${near}"?` : `known modifiers: ${KNOWN_MODIFIERS.join(', ')}`);
    }
  }
  // Combinations that have no meaning.
  if (plan.match !== 'string' && plan.match !== 'fieldref' && plan.position !== 'eq') {
    throw conflict(`"${plan.position}" cannot be combined with "${plan.match}"`);
  }
  if (plan.match !== 'string' && plan.transforms.length > 0) {
    throw conflict(`"${plan.transforms[0]}" only applies to plain string values, not with "${plan.match}"`);
  }
  if (plan.match === 'exists' && (plan.all || plan.neq || plan.cased)) throw conflict('"exists" takes no other modifier');
  if (plan.cased && (plan.match === 're' || plan.match === 'cidr' || plan.match === 'compare' || plan.match === 'time')) {
    throw conflict(`"cased" has no meaning with "${plan.match}"`);
  }
  return plan;
}

// ── Value tests ─────────────────────────────────────────────────────────────────────────────────

/**
 * One value's test against a present, non-null scalar: `text` is its text form, `lower` that
 * lower-cased.
 */
export type ValueTest = (raw: FieldValue, text: string, lower: string, view: EventView) => boolean;

export interface ValueTests {
  tests: ValueTest[];
  /** A `null` value is among them: an absent or null field matches. */
  matchesNull: boolean;
  /**
   * Lower-cased literals: when the item matches, the field's lower-cased text contains one of
   * them. Null when no such guarantee exists (then the prefilter lets the rule through).
   */
  literals: string[] | null;
}

export interface ValueContext {
  registry: FieldRegistry;
  placeholders: Readonly<Record<string, readonly string[]>>;
  unknownPlaceholder: 'empty' | 'reject';
  warn(warning: SigmaError): void;
  /** Keyword items default to contains. */
  keyword: boolean;
}

const MAX_VALUES_PER_ITEM = 20_000;

/** Builds the tests of one detection item's values under a checked plan. */
export function buildValueTests(plan: ModifierPlan, values: readonly ValueAst[], context: ValueContext): ValueTests {
  const tests: ValueTest[] = [];
  const patterns: CompiledPattern[] = [];
  let matchesNull = false;
  let literals: string[] | null = [];
  for (const value of values) {
    if (value.value === null) {
      if (plan.match === 'string' && plan.transforms.length === 0 && !plan.neq) {
        matchesNull = true;
        literals = null;
        continue;
      }
      throw compileError('INVALID_PATTERN', '"null" cannot be combined with these modifiers', value.pos);
    }
    const built = buildOne(plan, value, context);
    if (built.patterns && !plan.all) patterns.push(...built.patterns);
    else if (built.patterns) tests.push(anyPattern(built.patterns));
    tests.push(...built.tests);
    if (tests.length + patterns.length > MAX_VALUES_PER_ITEM) {
      throw compileError('VALUE_LIMIT', `more than ${MAX_VALUES_PER_ITEM} values after expansion`, value.pos);
    }
    if (plan.all) {
      // AND: any one value's literals are required; keep the most selective.
      if (built.literals !== null && (literals === null || literals.length === 0 || score(built.literals) > score(literals))) {
        literals = built.literals;
      }
    } else if (literals !== null) {
      literals = built.literals === null ? null : [...literals, ...built.literals];
    }
  }
  if (plan.all && literals !== null && literals.length === 0) literals = null;
  if (!plan.all && literals !== null && literals.length === 0 && !matchesNull) literals = null;
  if (plan.neq) literals = null;
  return { tests: [...groupPatterns(patterns), ...tests], matchesNull, literals };
}

function score(literals: string[]): number {
  return literals.reduce((min, literal) => Math.min(min, literal.length), Number.POSITIVE_INFINITY);
}

interface Built {
  tests: ValueTest[];
  /** String patterns, kept apart so an OR list can be grouped into set lookups. */
  patterns?: CompiledPattern[];
  literals: string[] | null;
}

function buildOne(plan: ModifierPlan, value: ValueAst, context: ValueContext): Built {
  switch (plan.match) {
    case 'string':
      return buildString(plan, value, context);
    case 're':
      return buildRegex(plan, value);
    case 'cidr':
      return buildCidr(value);
    case 'compare':
      return { tests: [compareTest(plan.comparison as Comparison, numberOf(value), (text) => toNumber(text))], literals: null };
    case 'time': {
      const part = plan.timePart as TimePart;
      const read = (text: string, raw: FieldValue) => timePartOf(raw, text, part);
      return { tests: [compareTest(plan.comparison, numberOf(value), read)], literals: null };
    }
    case 'fieldref':
      return buildFieldref(plan, value, context);
    case 'exists':
      throw compileError('INVALID_PATTERN', '"exists" is handled by the compiler', value.pos);
  }
}

function buildString(plan: ModifierPlan, value: ValueAst, context: ValueContext): Built {
  const position: Position = plan.position === 'eq' && context.keyword ? 'contains' : plan.position;
  // A plain number compares as a number too (EventID: 4688 matches 4688 and "4688").
  if (typeof value.value === 'number' && position === 'eq' && plan.transforms.length === 0) {
    return numberEquality(value.value, value.source);
  }
  const raw = typeof value.value === 'string' ? value.value : value.source;
  const patterns = expandRaw(raw, plan, value, context).map((parts) => compilePattern(anchorPattern(parts, position), plan.cased));
  const literals = patterns.every((pattern) => pattern.literal !== '' && (!pattern.cased || isAscii(pattern.literal)))
    ? patterns.map((pattern) => pattern.literal)
    : null;
  // Variants of one written value (windash, base64offset, expand) are OR-linked even under `all`.
  return { tests: [], patterns, literals };
}

/** Placeholders, windash and encodings: one written value → the patterns it stands for. */
function expandRaw(raw: string, plan: ModifierPlan, value: ValueAst, context: ValueContext): PatternPart[][] {
  let raws = [raw];
  const encodings = plan.transforms.filter((t) => t !== 'expand' && t !== 'windash');
  if (plan.transforms.includes('expand')) raws = raws.flatMap((text) => expandPlaceholders(text, value, context));
  if (plan.transforms.includes('windash')) {
    raws = raws.flatMap((text) => {
      const variants = windashVariants(text);
      if (!variants) throw compileError('VALUE_LIMIT', 'windash would expand this value to too many variants', value.pos);
      return variants;
    });
  }
  if (encodings.length === 0) return raws.map((text) => parseSigmaString(text));
  return raws.flatMap((text) => {
    const parts = parseSigmaString(text);
    if (hasWildcards(parts)) {
      throw compileError('INVALID_PATTERN', `"${encodings[0]}" cannot encode a value with wildcards`, value.pos, 'escape them as \\* and \\? or drop the wildcard');
    }
    let encoded: Encoded[] = [{ kind: 'text', text: patternText(parts) }];
    for (const transform of encodings) {
      encoded = encoded.flatMap((item): Encoded[] => {
        switch (transform) {
          case 'base64':
            return [base64(item)];
          case 'base64offset':
            return base64Offsets(item);
          case 'utf16le':
            return [utf16le(item)];
          case 'utf16be':
            return [utf16be(item)];
          default:
            return [utf16bom(item)];
        }
      });
    }
    return encoded.map((item) => literalPattern(encodedText(item)));
  });
}

function expandPlaceholders(text: string, value: ValueAst, context: ValueContext): string[] {
  let results = [''];
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === '\\' && text[i + 1] === '%') {
      results = results.map((prefix) => prefix + '%');
      i += 2;
      continue;
    }
    const close = char === '%' ? text.indexOf('%', i + 1) : -1;
    if (close === -1) {
      results = results.map((prefix) => prefix + char);
      i++;
      continue;
    }
    const name = text.slice(i + 1, close);
    const replacements = Object.hasOwn(context.placeholders, name) ? (context.placeholders[name] as readonly string[]) : undefined;
    if (replacements === undefined || replacements.length === 0) {
      const message = `placeholder %${name}% has no configured values`;
      const hint = `configure placeholders.${name}`;
      if (context.unknownPlaceholder === 'reject') throw compileError('PLACEHOLDER_UNDEFINED', message, value.pos, hint);
      context.warn(compileError('PLACEHOLDER_UNDEFINED', `${message}; this value matches nothing`, value.pos, hint));
      return [];
    }
    results = results.flatMap((prefix) => replacements.map((replacement) => prefix + replacement));
    i = close + 1;
  }
  return results;
}

function numberEquality(expected: number, source: string): Built {
  const sourceLower = source.toLowerCase();
  const test: ValueTest = (raw, text, lower) => {
    if (typeof raw === 'number') return raw === expected;
    if (lower === sourceLower) return true;
    return DECIMAL.test(text) && Number(text) === expected;
  };
  return { tests: [test], literals: /^\d+$/.test(source) ? [source] : null };
}


function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7e) return false;
  return true;
}

function buildRegex(plan: ModifierPlan, value: ValueAst): Built {
  const source = typeof value.value === 'string' ? value.value : value.source;
  try {
    const regex = compileRegex(source, plan.regexFlags);
    return { tests: [(_raw, text, lower) => regex.test(text, lower)], literals: regex.literal === '' ? null : [regex.literal] };
  } catch (error) {
    throw compileError('INVALID_REGEX', `invalid regular expression: ${(error as Error).message}`, value.pos, 'the Sigma regex flavour has no lookaround or backreferences');
  }
}

function buildCidr(value: ValueAst): Built {
  const cidr = typeof value.value === 'string' ? parseCidr(value.value.trim()) : undefined;
  if (!cidr) throw compileError('INVALID_CIDR', `"${value.source}" is not a CIDR range`, value.pos, 'e.g. 10.0.0.0/8 or fd00::/8');
  return {
    tests: [
      (_raw, text) => {
        const address = parseIp(text);
        return address !== undefined && cidrContains(cidr, address);
      },
    ],
    literals: null,
  };
}

function buildFieldref(plan: ModifierPlan, value: ValueAst, context: ValueContext): Built {
  if (typeof value.value !== 'string' || value.value === '') {
    throw compileError('INVALID_PATTERN', 'fieldref needs the name of another field', value.pos);
  }
  const slot = context.registry.slot(value.value);
  const position = plan.position;
  const compare = (mine: string, other: string) =>
    position === 'contains' ? mine.includes(other) : position === 'startswith' ? mine.startsWith(other) : position === 'endswith' ? mine.endsWith(other) : mine === other;
  const test: ValueTest = plan.cased
    ? (_raw, text, _lower, view) => {
        const other = view.value(slot);
        if (other === undefined || other === null || Array.isArray(other)) return false;
        return compare(text, String(other));
      }
    : (_raw, _text, lower, view) => {
        const other = view.lower(slot);
        return other !== undefined && compare(lower, other);
      };
  return { tests: [test], literals: null };
}

function numberOf(value: ValueAst): number {
  const number = typeof value.value === 'number' ? value.value : typeof value.value === 'string' && DECIMAL.test(value.value.trim()) ? Number(value.value) : Number.NaN;
  if (!Number.isFinite(number)) throw compileError('INVALID_NUMBER', `"${value.source}" is not a number`, value.pos);
  return number;
}
