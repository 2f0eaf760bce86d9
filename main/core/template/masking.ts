/**
 * Masking: replace variable parts of a log message (addresses, ids, paths, numbers) with fixed
 * placeholders before template mining, so that "from 10.0.0.1" and "from 10.0.0.2" look alike to
 * the parse tree.
 *
 * Rules are `{ pattern, replacement }` pairs (the config's `parsing.template.masks`), compiled once
 * with the global flag and applied in order, each to the output of the one before; `replacement`
 * may use `$1`-style group references. The built-in rules below are the default; a configured list
 * replaces them entirely. Built-in rules also carry a cheap pre-check (a character every match must
 * contain), so a line without a `:` never runs the IPv6 regex; configured rules always run.
 *
 * Follows Drain3's `masking.py` (regex → placeholder, in order) but not its `<:NAME:>` syntax.
 */
import { TemplateOptionError } from './errors.js';

/** One mask: every match of `pattern` (a regular-expression source, no slashes) becomes `replacement`. */
export interface MaskRule {
  pattern: string;
  replacement: string;
}

// ─── Built-in rules ──────────────────────────────────────────────────────────────────────────────

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9a-fA-F]{1,4}';
const HEX_CHAR = '[0-9a-fA-F]';

/**
 * Absolute paths: Unix with at least two segments (`/var/log/syslog`, not `/tmp` nor `read/write`)
 * that start a token or follow `=`, a quote or a bracket; Windows with a drive letter. URLs keep their
 * shape because `//` and `host/…` do not start a path. First, so a path holding an id or a number
 * stays one `<PATH>` token instead of `/srv/<UUID>`.
 */
const PATH_MASK: MaskRule = {
  pattern: '(?<![^\\s=("\'\\[])(?:(?:/[\\w.\\-@+~%]+){2,}/?|[A-Za-z]:\\\\[\\w.\\-@+~%\\\\]*)',
  replacement: '<PATH>',
};

/** RFC 4122 textual UUIDs, any case. */
const UUID_MASK: MaskRule = {
  pattern: `\\b${HEX_CHAR}{8}-${HEX_CHAR}{4}-${HEX_CHAR}{4}-${HEX_CHAR}{4}-${HEX_CHAR}{12}\\b`,
  replacement: '<UUID>',
};

/**
 * IPv6: the full eight-group form, or a `::`-compressed form, optionally ending in an IPv4 address
 * and a `%zone`. At least one digit is required, so `Foo::Bar` and a bare `::` stay text; times such
 * as `12:34:56` and MAC addresses have neither `::` nor eight groups.
 */
const IPV6_MASK: MaskRule = {
  pattern:
    `(?<![\\w:.])(?=[\\w:.]*\\d)` +
    `(?:(?:${H16}:){7}${H16}|(?:${H16}:){6}${IPV4}|` +
    `(?:${H16}(?::${H16}){0,6})?::(?:(?:${H16}:){0,5}${IPV4}|${H16}(?::${H16}){0,6})?)` +
    `(?:%[\\w.]+)?(?![\\w:])`,
  replacement: '<IP>',
};

/** IPv4 with every octet 0–255, optionally with `:port`; not a piece of a longer dotted number. */
const IPV4_MASK: MaskRule = {
  pattern: `(?<![\\w.])${IPV4}(?::\\d{1,5})?(?!\\w|\\.\\d)`,
  replacement: '<IP>',
};

/**
 * Hex: `0x`-prefixed values, and runs of 8+ hex digits mixing letters and digits (hashes, container
 * and session ids). A mix of both is required, so `deadbeef` and `12345678` are left to the other rules.
 */
const HEX_MASK: MaskRule = {
  pattern:
    `\\b0[xX]${HEX_CHAR}+\\b|` +
    `\\b(?=${HEX_CHAR}{8,}\\b)${HEX_CHAR}*?(?:\\d[a-fA-F]|[a-fA-F]\\d)${HEX_CHAR}*\\b`,
  replacement: '<HEX>',
};

/**
 * Numbers: standalone integers and decimals, with a sign when one stands before them. Digits inside
 * a word (`eth0`, `ssh2`) and dotted versions (`1.2.3`) are left alone; the parse tree treats those
 * tokens as variable anyway.
 */
const NUM_MASK: MaskRule = {
  pattern: '(?<![\\w.])-?\\d+(?:\\.\\d+)?(?!\\w|\\.\\d)',
  replacement: '<NUM>',
};

/**
 * The built-in masks, in the order they run: paths, UUIDs, IPv6, IPv4, hex, numbers. Frozen; copy
 * before changing. `parsing.template.masks: null` in the config means these.
 */
export const DEFAULT_MASKS: readonly MaskRule[] = Object.freeze(
  [PATH_MASK, UUID_MASK, IPV6_MASK, IPV4_MASK, HEX_MASK, NUM_MASK].map((rule) => Object.freeze({ ...rule })),
);

const hasDigit = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
};

/** Whether `text` has `0x` or a run of 8+ hex digits: what any HEX_MASK match needs. */
const hasHexCandidate = (text: string): boolean => {
  if (text.includes('0x') || text.includes('0X')) return true;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20; // folds A–F onto a–f; digits keep their codes
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) {
      if (++run === 8) return true;
    } else {
      run = 0;
    }
  }
  return false;
};

/** Whether `text` has `::` or six colons: what any IPV6_MASK match needs. */
const hasIpv6Candidate = (text: string): boolean => {
  const first = text.indexOf(':');
  if (first < 0) return false;
  if (text.includes('::', first)) return true;
  let colons = 1;
  for (let i = text.indexOf(':', first + 1); i >= 0; i = text.indexOf(':', i + 1)) if (++colons === 6) return true;
  return false;
};

/** Pre-checks of the built-in rules, keyed by pattern so they also apply when the config lists them. */
const PRECHECKS = new Map<string, (text: string) => boolean>([
  [PATH_MASK.pattern, (text) => text.includes('/') || text.includes(':\\')],
  [UUID_MASK.pattern, (text) => text.includes('-')],
  [IPV6_MASK.pattern, hasIpv6Candidate],
  [IPV4_MASK.pattern, (text) => text.includes('.')],
  [HEX_MASK.pattern, hasHexCandidate],
  [NUM_MASK.pattern, hasDigit],
]);

// ─── Masker ──────────────────────────────────────────────────────────────────────────────────────

interface CompiledRule {
  regex: RegExp;
  replacement: string;
  precheck: ((text: string) => boolean) | undefined;
}

/** Applies a list of mask rules, compiled once. Stateless between calls, so it may be shared. */
export class Masker {
  readonly rules: readonly MaskRule[];
  readonly #compiled: readonly CompiledRule[];

  /**
   * @param rules - the masks, in order; defaults to {@link DEFAULT_MASKS}. An empty list masks nothing.
   * @throws TemplateOptionError naming the rule when a pattern does not compile or matches the
   *   empty string (which would insert the replacement between every character).
   */
  constructor(rules: readonly MaskRule[] = DEFAULT_MASKS) {
    if (!Array.isArray(rules)) throw new TemplateOptionError('masks', 'must be an array of { pattern, replacement }');
    this.#compiled = rules.map((rule, index) => compileRule(rule, index)); // validates before copying
    const copies = rules.map((rule) => Object.freeze({ pattern: rule.pattern, replacement: rule.replacement }));
    this.rules = Object.freeze(copies);
  }

  /** `text` with every rule applied in order. */
  mask(text: string): string {
    let out = text;
    for (const rule of this.#compiled) {
      if (rule.precheck !== undefined && !rule.precheck(out)) continue;
      out = out.replace(rule.regex, rule.replacement);
    }
    return out;
  }
}

function compileRule(rule: MaskRule, index: number): CompiledRule {
  const where = `masks[${index}]`;
  if (rule === null || typeof rule !== 'object') throw new TemplateOptionError(where, 'must be { pattern, replacement }');
  if (typeof rule.pattern !== 'string' || rule.pattern.length === 0) {
    throw new TemplateOptionError(`${where}.pattern`, 'must be a non-empty regular-expression source');
  }
  if (typeof rule.replacement !== 'string') throw new TemplateOptionError(`${where}.replacement`, 'must be a string');
  let regex: RegExp;
  try {
    regex = new RegExp(rule.pattern, 'g');
  } catch (error) {
    throw new TemplateOptionError(`${where}.pattern`, `does not compile (${(error as Error).message})`);
  }
  if (regex.test('')) throw new TemplateOptionError(`${where}.pattern`, `matches the empty string: ${rule.pattern}`);
  regex.lastIndex = 0;
  return { regex, replacement: rule.replacement, precheck: PRECHECKS.get(rule.pattern) };
}
