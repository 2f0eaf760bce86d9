/**
 * The `re` modifier, in linear time: patterns compile with RE2 semantics (package `re2js`, a
 * JavaScript port of RE2), so a hostile rule such as `(a+)+$` cannot stall the pipeline however
 * long the field is. Backreferences and lookaround, which the Sigma flavour excludes anyway,
 * fail to compile and reject the rule. Sub-modifiers `i`, `m` and `s` map to RE2's flags; Sigma
 * regexes are case-sensitive unless `i` is given.
 *
 * `requiredLiteral` finds, conservatively, a text every match must contain; the prefilter uses it
 * so most events never reach the regex at all.
 */
import { RE2JS } from 're2js';

/** Longest pattern accepted, in characters. */
export const MAX_REGEX_LENGTH = 8192;

export interface RegexFlags {
  ignoreCase: boolean;
  multiline: boolean;
  dotAll: boolean;
}

export interface CompiledRegex {
  /** `lower` is `text` lower-cased (used for the cheap pre-checks). */
  test(text: string, lower: string): boolean;
  /** A lower-cased ASCII text every match contains, or '' when none is known. */
  literal: string;
  /** No match is shorter than this many UTF-16 code units. */
  minLength: number;
}

/** Compiles a Sigma regex; throws Error with RE2's message when the pattern is invalid. */
export function compileRegex(source: string, flags: RegexFlags): CompiledRegex {
  if (source.length > MAX_REGEX_LENGTH) throw new Error(`pattern is longer than ${MAX_REGEX_LENGTH} characters`);
  let bits = 0;
  if (flags.ignoreCase) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.multiline) bits |= RE2JS.MULTILINE;
  if (flags.dotAll) bits |= RE2JS.DOTALL;
  const compiled = RE2JS.compile(source, bits);
  const literals = requiredLiterals(source).filter((run) => run.length >= 2);
  const literal = literals.reduce((a, b) => (b.length > a.length ? b : a), '');
  const minLength = minimumLength(source);
  // Cheap necessary conditions first: RE2 is linear but not free (`.{1000,}` walks 1000 states).
  const test =
    literals.length > 0
      ? (text: string, lower: string) => {
          if (text.length < minLength) return false;
          for (let i = 0; i < literals.length; i++) if (!lower.includes(literals[i] as string)) return false;
          return compiled.test(text);
        }
      : minLength > 0
        ? (text: string) => text.length >= minLength && compiled.test(text)
        : (text: string) => compiled.test(text);
  return { test, literal, minLength };
}

/**
 * A lower bound on the length of any match (0 when unsure): literals and classes count one,
 * quantifiers multiply by their minimum, alternation takes the shortest branch.
 */
export function minimumLength(source: string): number {
  let i = 0;
  const alternation = (): number => {
    let best = sequence();
    while (source[i] === '|') {
      i++;
      best = Math.min(best, sequence());
    }
    return best;
  };
  const sequence = (): number => {
    let total = 0;
    while (i < source.length && source[i] !== '|' && source[i] !== ')') {
      const atomLength = atom();
      total += atomLength * quantifierMinimum();
    }
    return total;
  };
  const atom = (): number => {
    const char = source[i] as string;
    if (char === '(') {
      i++;
      if (source[i] === '?') {
        // (?:…), (?P<name>…), (?<name>…), (?i) / (?i:…)
        i++;
        if (source[i] === 'P' || source[i] === '<') {
          const close = source.indexOf('>', i);
          if (close === -1) throw new Error('bad group');
          i = close + 1;
        } else {
          while (i < source.length && /[a-zA-Z-]/.test(source[i] as string)) i++;
          if (source[i] === ')') {
            i++;
            return 0; // a flag group matches nothing
          }
          if (source[i] !== ':') throw new Error('bad group');
          i++;
        }
      }
      const inner = alternation();
      if (source[i] !== ')') throw new Error('unbalanced');
      i++;
      return inner;
    }
    if (char === '[') {
      const end = skipClass(source, i);
      if (end === -1) throw new Error('bad class');
      i = end;
      return 1;
    }
    if (char === '\\') {
      const next = source[i + 1];
      i += 2;
      if (next === 'b' || next === 'B' || next === 'A' || next === 'z' || next === 'Z') return 0;
      if (next === 'Q') throw new Error('quoted text');
      if (next === 'p' || next === 'P') {
        if (source[i] === '{') i = source.indexOf('}', i) + 1;
        else i++;
        if (i === 0) throw new Error('bad class');
      } else if (next === 'x' && source[i] === '{') {
        i = source.indexOf('}', i) + 1;
        if (i === 0) throw new Error('bad escape');
      } else if (next === 'x') {
        i += 2;
      }
      return 1;
    }
    i++;
    return char === '^' || char === '$' ? 0 : 1;
  };
  const quantifierMinimum = (): number => {
    const char = source[i];
    let minimum = 1;
    if (char === '*' || char === '?') {
      minimum = 0;
      i++;
    } else if (char === '+') {
      i++;
    } else if (char === '{' && /^\{\d+(,\d*)?\}/.test(source.slice(i, i + 16))) {
      const close = source.indexOf('}', i);
      minimum = Number.parseInt(source.slice(i + 1, close), 10);
      i = close + 1;
    } else {
      return 1;
    }
    if (source[i] === '?' || source[i] === '+') i++; // lazy or possessive
    return minimum;
  };
  try {
    const length = alternation();
    return i === source.length && Number.isFinite(length) ? length : 0;
  } catch {
    return 0;
  }
}

const META = new Set(['.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\']);
/** Escapes that stand for one literal character. */
const ESCAPED_LITERALS = new Set(['.', '^', '$', '|', '(', ')', '[', ']', '{', '}', '*', '+', '?', '\\', '/', '-', ':', '"', "'", ' ', '#', '%', '&', ',', ';', '<', '=', '>', '@', '`', '~', '!']);

/**
 * A literal every match must contain: the longest run of plain characters at the top level of
 * a pattern without top-level alternation, ignoring runs an optional quantifier may drop.
 * Returns '' when unsure (inline flags, alternation, non-ASCII).
 */
export function requiredLiteral(pattern: string): string {
  const runs = requiredLiterals(pattern);
  return runs.reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * Texts every match must contain, lower-cased ASCII: the runs of plain characters at the top
 * level of a pattern without top-level alternation, leaving out runs an optional quantifier may
 * drop. Empty when unsure (inline flags other than a leading (?i), alternation, non-ASCII).
 */
export function requiredLiterals(pattern: string): string[] {
  // Leading flag groups such as (?i) or (?is) change no text; other (?…) forms are left alone.
  const flags = /^\(\?[imsU]+\)/.exec(pattern);
  const source = flags ? pattern.slice(flags[0].length) : pattern;
  if (source.startsWith('(?')) return [];
  const runs: string[] = [];
  let run = '';
  const end = () => {
    if (run !== '') runs.push(run);
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    let atom: string | null = null; // a literal character, or null for a non-literal atom
    if (char === '\\') {
      const next = source[i + 1];
      if (next === undefined) return [];
      atom = ESCAPED_LITERALS.has(next) ? next : null;
      i += 2;
    } else if (char === '[') {
      i = skipClass(source, i);
      if (i === -1) return [];
    } else if (char === '(') {
      i = skipGroup(source, i);
      if (i === -1) return [];
    } else if (char === '|') {
      return []; // top-level alternation: no single required text
    } else if (char === '^' || char === '$') {
      i++;
      end();
      continue;
    } else if (char === '.') {
      i++; // any character: not a literal, but may carry a quantifier
    } else if (META.has(char)) {
      return []; // a stray quantifier: leave it to RE2
    } else {
      atom = char;
      i++;
    }
    // A following quantifier decides whether the atom is required.
    const quantifier = source[i];
    let optional = false;
    let repeated = false;
    if (quantifier === '*' || quantifier === '?') {
      optional = true;
      i++;
    } else if (quantifier === '+') {
      repeated = true;
      i++;
    } else if (quantifier === '{') {
      const close = source.indexOf('}', i);
      if (close === -1) return [];
      const min = Number.parseInt(source.slice(i + 1, close), 10);
      optional = !(min >= 1);
      repeated = true;
      i = close + 1;
    }
    if (i < source.length && (source[i] === '?' || source[i] === '+') && (optional || repeated)) i++; // lazy/possessive
    if (atom === null || optional) {
      end();
    } else {
      run += atom;
      if (repeated) end();
    }
  }
  end();
  // Only ASCII survives lower-casing without context effects.
  return runs.filter((run) => /^[\x20-\x7e]+$/.test(run)).map((run) => run.toLowerCase());
}

function skipClass(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length) {
    if (source[i] === '\\') i += 2;
    else if (source[i] === ']') return i + 1;
    else i++;
  }
  return -1;
}

function skipGroup(source: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < source.length) {
    const char = source[i];
    if (char === '\\') {
      i += 2;
      continue;
    }
    if (char === '[') {
      i = skipClass(source, i);
      if (i === -1) return -1;
      continue;
    }
    if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i + 1;
    i++;
  }
  return -1;
}
