/**
 * Sigma string values: parsing the wildcard and escape syntax, and matching text against the
 * result without regular expressions (specification 2.1.0, "String Wildcard", "Escape Character").
 *
 * `*` matches any run of characters, `?` exactly one (a UTF-16 code unit). A backslash escapes
 * `*`, `?` and itself; before any other character it is a plain backslash, so `C:\Windows` and
 * `C:\\Windows` mean the same text, `\*` is a star and `\\*` a backslash then a wildcard.
 *
 * Matching is linear-ish by construction: a pattern is split at its stars into fixed-width
 * segments, and each segment is placed at its leftmost possible position (which is optimal for
 * star-separated segments), so there is no backtracking. Case-insensitive matching lower-cases
 * the pattern here and expects the caller to pass lower-cased text.
 */

export const ANY = Symbol('*');
export const ONE = Symbol('?');

/** A parsed Sigma string: literal runs and wildcards; adjacent literals are merged. */
export type PatternPart = string | typeof ANY | typeof ONE;

export function parseSigmaString(raw: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let literal = '';
  const flush = () => {
    if (literal !== '') parts.push(literal);
    literal = '';
  };
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i] as string;
    if (char === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        i++;
      } else {
        literal += '\\';
      }
    } else if (char === '*') {
      flush();
      if (parts[parts.length - 1] !== ANY) parts.push(ANY);
    } else if (char === '?') {
      flush();
      parts.push(ONE);
    } else {
      literal += char;
    }
  }
  flush();
  return parts;
}

/** A plain text as a pattern (no wildcard interpretation). */
export function literalPattern(text: string): PatternPart[] {
  return text === '' ? [] : [text];
}

export function hasWildcards(parts: readonly PatternPart[]): boolean {
  return parts.some((part) => typeof part !== 'string');
}

/** The text of a wildcard-free pattern. */
export function patternText(parts: readonly PatternPart[]): string {
  return parts.filter((part): part is string => typeof part === 'string').join('');
}

/** Adds the stars that contains/startswith/endswith imply. */
export function anchorPattern(parts: readonly PatternPart[], position: 'eq' | 'contains' | 'startswith' | 'endswith'): PatternPart[] {
  const out = [...parts];
  if ((position === 'contains' || position === 'endswith') && out[0] !== ANY) out.unshift(ANY);
  if ((position === 'contains' || position === 'startswith') && out[out.length - 1] !== ANY) out.push(ANY);
  return out;
}

/** The longest literal run: every match contains it (used by the prefilter). */
export function longestLiteral(parts: readonly PatternPart[]): string {
  let best = '';
  for (const part of parts) if (typeof part === 'string' && part.length > best.length) best = part;
  return best;
}

export type PatternKind = 'eq' | 'prefix' | 'suffix' | 'contains' | 'glob' | 'any';

export interface CompiledPattern {
  kind: PatternKind;
  /** For eq, prefix, suffix and contains: the literal text (lower-cased unless cased). */
  text: string;
  /** True when the text must match exactly (no lower-casing). */
  cased: boolean;
  test(text: string): boolean;
  /** Longest literal, lower-cased: any matching text contains it. */
  literal: string;
}

/** Compiles a pattern; with `cased` false the caller must pass lower-cased text to `test`. */
export function compilePattern(parts: readonly PatternPart[], cased: boolean): CompiledPattern {
  const norm = cased ? [...parts] : parts.map((part) => (typeof part === 'string' ? part.toLowerCase() : part));
  const literal = longestLiteral(norm).toLowerCase();
  const base = { cased, literal, text: '' };
  const onlyLiterals = (list: readonly PatternPart[]) => list.every((part) => typeof part === 'string');
  const first = norm[0];
  const last = norm[norm.length - 1];
  if (norm.length === 0) return { ...base, kind: 'eq', test: (text) => text === '' };
  if (norm.length === 1 && first === ANY) return { ...base, kind: 'any', test: () => true };
  if (onlyLiterals(norm)) {
    const text = patternText(norm);
    return { ...base, kind: 'eq', text, test: (value) => value === text };
  }
  const inner = norm.slice(first === ANY ? 1 : 0, last === ANY ? -1 : undefined);
  if (onlyLiterals(inner)) {
    const text = patternText(inner);
    if (first === ANY && last === ANY) return { ...base, kind: 'contains', text, test: (value) => value.includes(text) };
    if (last === ANY) return { ...base, kind: 'prefix', text, test: (value) => value.startsWith(text) };
    if (first === ANY) return { ...base, kind: 'suffix', text, test: (value) => value.endsWith(text) };
  }
  return { ...base, kind: 'glob', test: globMatcher(norm) };
}

// ── Glob matching ───────────────────────────────────────────────────────────────────────────────

/** A star-free run: literal text with `?` positions (code -1). */
interface Segment {
  text: string;
  /** Char codes, -1 for `?`; empty when the segment has no `?` (then `text` is used). */
  codes: number[];
  length: number;
}

function toSegments(parts: readonly PatternPart[]): Segment[] {
  const segments: Segment[] = [];
  let current: PatternPart[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const hasOne = current.includes(ONE);
    const text = current.map((part) => (part === ONE ? '?' : (part as string))).join('');
    const codes: number[] = [];
    if (hasOne) for (const part of current) {
      if (part === ONE) codes.push(-1);
      else for (let i = 0; i < (part as string).length; i++) codes.push((part as string).charCodeAt(i));
    }
    segments.push({ text, codes, length: hasOne ? codes.length : text.length });
    current = [];
  };
  for (const part of parts) {
    if (part === ANY) flush();
    else current.push(part);
  }
  flush();
  return segments;
}

function matchesAt(text: string, at: number, segment: Segment): boolean {
  if (segment.codes.length === 0) return text.startsWith(segment.text, at);
  if (at + segment.length > text.length) return false;
  const codes = segment.codes;
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i] as number;
    if (code !== -1 && text.charCodeAt(at + i) !== code) return false;
  }
  return true;
}

/** Leftmost position ≥ from where the segment matches and ends by `limit`; -1 if none. */
function findSegment(text: string, from: number, limit: number, segment: Segment): number {
  if (segment.codes.length === 0) {
    const at = text.indexOf(segment.text, from);
    return at !== -1 && at + segment.length <= limit ? at : -1;
  }
  for (let at = from; at + segment.length <= limit; at++) if (matchesAt(text, at, segment)) return at;
  return -1;
}

function globMatcher(parts: readonly PatternPart[]): (text: string) => boolean {
  const segments = toSegments(parts);
  const anchoredStart = parts[0] !== ANY;
  const anchoredEnd = parts[parts.length - 1] !== ANY;
  const minLength = segments.reduce((sum, segment) => sum + segment.length, 0);
  return (text) => {
    if (text.length < minLength) return false;
    let from = 0;
    let limit = text.length;
    let firstIndex = 0;
    let lastIndex = segments.length - 1;
    if (anchoredStart) {
      const segment = segments[0] as Segment;
      if (segments.length === 1 && anchoredEnd) return text.length === segment.length && matchesAt(text, 0, segment);
      if (!matchesAt(text, 0, segment)) return false;
      from = segment.length;
      firstIndex = 1;
    }
    if (anchoredEnd) {
      const segment = segments[lastIndex] as Segment;
      const at = text.length - segment.length;
      if (at < from || !matchesAt(text, at, segment)) return false;
      limit = at;
      lastIndex--;
    }
    for (let i = firstIndex; i <= lastIndex; i++) {
      const segment = segments[i] as Segment;
      const at = findSegment(text, from, limit, segment);
      if (at === -1) return false;
      from = at + segment.length;
    }
    return true;
  };
}
