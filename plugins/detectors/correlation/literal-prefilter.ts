/**
 * A cheap necessary condition for an alternation regex: the rule patterns are mostly
 * `(a|b|c)` lists, which have no single required text, so RE2 would run on every event. For
 * each top-level branch we take the longest text that branch's matches must contain (Sigma's
 * `requiredLiterals`); a text containing none of them, lower-cased, cannot match.
 */
import { requiredLiterals } from '../sigma/regex.js';

/** The index of the `]` closing the character class that opens at `start`. */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i;
}

/** Splits `source` at its top-level `|` (outside groups, classes and escapes). */
function topLevelBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (char === '[') i = classEnd(source, i);
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === '|' && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}

/** True when `source` is one group from its first to its last character. */
function isWrapped(source: string): boolean {
  if (!source.startsWith('(') || !source.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') i++;
    else if (char === '[') i = classEnd(source, i);
    else if (char === '(') depth++;
    else if (char === ')' && --depth === 0) return i === source.length - 1;
  }
  return false;
}

/**
 * Lower-cased texts of which every match contains at least one, or null when some branch has
 * none we can be sure of (then the regex must always run).
 */
export function anyOfLiterals(source: string): string[] | null {
  let body = source;
  while (isWrapped(body)) body = body.startsWith('(?:') ? body.slice(3, -1) : body.slice(1, -1);
  if (body.startsWith('(?')) return null;
  const literals: string[] = [];
  for (const branch of topLevelBranches(body)) {
    const longest = requiredLiterals(branch).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest.length < 2) return null;
    literals.push(longest);
  }
  return literals;
}
