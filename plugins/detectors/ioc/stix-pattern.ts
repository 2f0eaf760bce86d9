/**
 * STIX 2.1 patterning (OASIS STIX 2.1 §9): parses an indicator's `pattern` and returns the
 * observable values a line-rate matcher can look for.
 *
 * The whole grammar is parsed and checked: observation expressions in `[…]`, grouping `(…)`,
 * `AND`/`OR`/`FOLLOWEDBY` between observations, `AND`/`OR` between comparisons, every comparison
 * operator (`=`, `!=`, `<`…, `IN`, `LIKE`, `MATCHES`, `ISSUBSET`, `ISSUPERSET`, `EXISTS`, `NOT`),
 * the qualifiers `WITHIN n SECONDS`, `REPEATS n TIMES`, `START t'…' STOP t'…'`, and string,
 * number, boolean, timestamp, hex and binary literals. Keywords are accepted in any case.
 *
 * What is kept: each positive equality (`=`, or `IN` a set) on `ipv4-addr:value`,
 * `ipv6-addr:value`, `domain-name:value`, `url:value`, `file:hashes.(MD5|SHA-1|SHA-256)` (also
 * `artifact:hashes`, and the unquoted `SHA1`/`SHA256` spellings) and on
 * `network-traffic:(src|dst)_ref.value`, plus `ISSUBSET 'cidr'` on addresses. Like the original
 * (reference §9), composite patterns are flattened: every kept leaf is an indicator on its own,
 * because one event cannot show the other half of an `AND` or the sequence of a `FOLLOWEDBY`;
 * `composite` tells the caller so. Comparisons on anything else, or negated ones, are valid but
 * counted as `unsupported`.
 *
 * Errors are `StixPatternError` with a `code` and the 1-based `column` where parsing stopped.
 * Limits: MAX_PATTERN_LENGTH characters, MAX_PATTERN_DEPTH nested groups.
 * Pure: no I/O.
 */
import { canonicalIndicator, detectIndicator, parseCidr, type IndicatorType } from './indicator.js';

/** The original's cap on a pattern's length (characters). */
export const MAX_PATTERN_LENGTH = 4096;
/** Nesting of `(` and `[` beyond this is refused rather than risking the stack. */
export const MAX_PATTERN_DEPTH = 64;

export type StixPatternErrorCode = 'empty' | 'too_long' | 'too_deep' | 'syntax' | 'unterminated_string' | 'invalid_value';

export class StixPatternError extends Error {
  override name = 'StixPatternError';
  constructor(
    readonly code: StixPatternErrorCode,
    message: string,
    /** 1-based character position in the pattern. */
    readonly column: number,
    readonly hint?: string,
  ) {
    super(`${message} (column ${column})${hint ? `; ${hint}` : ''}`);
  }
}

export interface PatternObservable {
  type: IndicatorType;
  /** Canonical (see `indicator.ts`). */
  value: string;
}

export interface ParsedPattern {
  /** Distinct values to match, in pattern order. */
  observables: PatternObservable[];
  /** True when the pattern joins observations or comparisons with AND or FOLLOWEDBY. */
  composite: boolean;
  /** Qualifiers seen (`WITHIN`, `REPEATS`, `START`), which a single event cannot honour. */
  qualifiers: string[];
  /** Comparisons parsed but not usable as indicators (other objects, operators or negations). */
  unsupported: number;
}

/** Parses `pattern`; throws StixPatternError when it is empty, too long or malformed. */
export function parseStixPattern(pattern: string): ParsedPattern {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new StixPatternError('too_long', `pattern is ${pattern.length} characters, over the limit of ${MAX_PATTERN_LENGTH}`, MAX_PATTERN_LENGTH + 1);
  }
  const parser = new Parser(tokenize(pattern));
  if (parser.atEnd()) throw new StixPatternError('empty', 'pattern is empty', 1, "write an observation such as [ipv4-addr:value = '198.51.100.1']");
  parser.observationExpressions(0);
  if (!parser.atEnd()) parser.fail(`unexpected ${parser.describe()}`);
  return parser.result();
}

// ── Tokens ──────────────────────────────────────────────────────────────────────────────────────

type TokenKind = 'word' | 'string' | 'number' | 'typed' | 'punct' | 'op' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
  /** For typed literals (`t'…'`, `h'…'`, `b'…'`): the prefix letter. */
  prefix?: string;
}

const WORD_RE = /[A-Za-z_][A-Za-z0-9_-]*/y;
const NUMBER_RE = /[-+]?\d+(?:\.\d+)?/y;
const OPS = ['<=', '>=', '!=', '<>', '=', '<', '>'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const column = i + 1;
    if (c === "'") {
      const end = readString(text, i + 1);
      tokens.push({ kind: 'string', text: end.value, column });
      i = end.next;
      continue;
    }
    if ((c === 't' || c === 'h' || c === 'b') && text[i + 1] === "'") {
      const end = readString(text, i + 2);
      tokens.push({ kind: 'typed', text: end.value, column, prefix: c });
      i = end.next;
      continue;
    }
    if ('[]():,.*'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, column });
      i++;
      continue;
    }
    const op = OPS.find((candidate) => text.startsWith(candidate, i));
    if (op !== undefined) {
      tokens.push({ kind: 'op', text: op, column });
      i += op.length;
      continue;
    }
    NUMBER_RE.lastIndex = i;
    const number = NUMBER_RE.exec(text);
    if (number && (c !== '-' && c !== '+' ? true : /\d/.test(text[i + 1] ?? ''))) {
      tokens.push({ kind: 'number', text: number[0], column });
      i += number[0].length;
      continue;
    }
    WORD_RE.lastIndex = i;
    const word = WORD_RE.exec(text);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], column });
      i += word[0].length;
      continue;
    }
    throw new StixPatternError('syntax', `unexpected character '${c}'`, column);
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

/** Reads a quoted string body from `start` (after the opening quote): `\'` and `\\` escapes. */
function readString(text: string, start: number): { value: string; next: number } {
  let value = '';
  for (let i = start; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      const escaped = text[i + 1];
      if (escaped !== "'" && escaped !== '\\') {
        throw new StixPatternError('syntax', `invalid escape '\\${escaped ?? ''}' in a string`, i + 1, "only \\' and \\\\ are escapes");
      }
      value += escaped;
      i++;
    } else if (c === "'") {
      return { value, next: i + 1 };
    } else {
      value += c;
    }
  }
  throw new StixPatternError('unterminated_string', 'string is not closed', start, "close it with '"); // start: the opening quote's 1-based column
}

// ── Parser ──────────────────────────────────────────────────────────────────────────────────────

const COMPARISON_WORDS = new Set(['IN', 'LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET']);

/** Object path → indicator type; `auto` = an address or a domain, decided by the value. */
const SUPPORTED_PATHS: Readonly<Record<string, IndicatorType | 'auto'>> = {
  'ipv4-addr:value': 'ipv4',
  'ipv6-addr:value': 'ipv6',
  'domain-name:value': 'domain',
  'url:value': 'url',
  'network-traffic:dst_ref.value': 'auto',
  'network-traffic:src_ref.value': 'auto',
};

const HASH_NAMES: Readonly<Record<string, IndicatorType>> = { MD5: 'md5', 'SHA-1': 'sha1', SHA1: 'sha1', 'SHA-256': 'sha256', SHA256: 'sha256' };

interface Literal {
  token: Token;
}

class Parser {
  readonly #tokens: Token[];
  #at = 0;
  readonly #observables: PatternObservable[] = [];
  readonly #seen = new Set<string>();
  readonly #qualifiers: string[] = [];
  #composite = false;
  #unsupported = 0;

  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  result(): ParsedPattern {
    return { observables: this.#observables, composite: this.#composite, qualifiers: this.#qualifiers, unsupported: this.#unsupported };
  }

  atEnd(): boolean {
    return this.#peek().kind === 'end';
  }

  describe(token: Token = this.#peek()): string {
    if (token.kind === 'end') return 'end of pattern';
    return token.kind === 'string' ? `string '${token.text}'` : `'${token.text}'`;
  }

  fail(message: string, token: Token = this.#peek(), hint?: string): never {
    throw new StixPatternError('syntax', message, token.column, hint);
  }

  /** observationExpressions := orExpr (FOLLOWEDBY orExpr)* */
  observationExpressions(depth: number): void {
    this.#observationOr(depth);
    while (this.#acceptWord('FOLLOWEDBY')) {
      this.#composite = true;
      this.#observationOr(depth);
    }
  }

  #observationOr(depth: number): void {
    this.#observationAnd(depth);
    while (this.#acceptWord('OR')) this.#observationAnd(depth);
  }

  #observationAnd(depth: number): void {
    this.#observation(depth);
    while (this.#acceptWord('AND')) {
      this.#composite = true;
      this.#observation(depth);
    }
  }

  /** observation := '[' comparison ']' qualifier* | '(' observationExpressions ')' qualifier* */
  #observation(depth: number): void {
    if (depth >= MAX_PATTERN_DEPTH) {
      throw new StixPatternError('too_deep', `nesting deeper than ${MAX_PATTERN_DEPTH}`, this.#peek().column);
    }
    if (this.#acceptPunct('[')) {
      this.#comparisonOr(depth + 1);
      this.#expectPunct(']');
    } else if (this.#acceptPunct('(')) {
      this.observationExpressions(depth + 1);
      this.#expectPunct(')');
    } else {
      this.fail(`expected '[' or '(' but found ${this.describe()}`, undefined, 'an observation is written [object-type:property = value]');
    }
    this.#qualifiersAfter();
  }

  #qualifiersAfter(): void {
    for (;;) {
      if (this.#acceptWord('WITHIN')) {
        this.#expectKind('number', 'a number of seconds');
        this.#expectWord('SECONDS');
        this.#qualifiers.push('WITHIN');
      } else if (this.#acceptWord('REPEATS')) {
        this.#expectKind('number', 'a repeat count');
        this.#expectWord('TIMES');
        this.#qualifiers.push('REPEATS');
      } else if (this.#acceptWord('START')) {
        this.#expectTimestamp();
        this.#expectWord('STOP');
        this.#expectTimestamp();
        this.#qualifiers.push('START');
      } else {
        return;
      }
    }
  }

  #comparisonOr(depth: number): void {
    this.#comparisonAnd(depth);
    while (this.#acceptWord('OR')) this.#comparisonAnd(depth);
  }

  #comparisonAnd(depth: number): void {
    this.#comparison(depth);
    while (this.#acceptWord('AND')) {
      this.#composite = true;
      this.#comparison(depth);
    }
  }

  /** comparison := '(' comparisonOr ')' | EXISTS path | path NOT? op literal */
  #comparison(depth: number): void {
    if (depth >= MAX_PATTERN_DEPTH) {
      throw new StixPatternError('too_deep', `nesting deeper than ${MAX_PATTERN_DEPTH}`, this.#peek().column);
    }
    if (this.#acceptPunct('(')) {
      this.#comparisonOr(depth + 1);
      this.#expectPunct(')');
      return;
    }
    if (this.#acceptWord('EXISTS')) {
      this.#objectPath();
      this.#unsupported++;
      return;
    }
    const path = this.#objectPath();
    const negated = this.#acceptWord('NOT');
    const opToken = this.#peek();
    let op: string;
    if (opToken.kind === 'op') {
      op = opToken.text;
      this.#at++;
    } else if (opToken.kind === 'word' && COMPARISON_WORDS.has(opToken.text.toUpperCase())) {
      op = opToken.text.toUpperCase();
      this.#at++;
    } else {
      this.fail(`expected a comparison operator after ${path.text} but found ${this.describe()}`, opToken, 'use =, !=, <, >, IN, LIKE, MATCHES, ISSUBSET or ISSUPERSET');
    }
    const literals = op === 'IN' ? this.#setLiteral() : [this.#literal()];
    const supported = SUPPORTED_PATHS[path.key] ?? path.hashType;
    if (supported === undefined || negated || (op !== '=' && op !== 'IN' && !(op === 'ISSUBSET' && isAddressPath(supported)))) {
      this.#unsupported++;
      return;
    }
    for (const literal of literals) this.#keep(supported, literal, op);
  }

  #keep(type: IndicatorType | 'auto', literal: Literal, op: string): void {
    const token = literal.token;
    if (token.kind !== 'string') {
      throw new StixPatternError('invalid_value', `expected a quoted string but found ${this.describe(token)}`, token.column);
    }
    let observable: PatternObservable | undefined;
    if (type === 'auto') {
      const detected = detectIndicator(token.text);
      observable = detected && (detected.type === 'ipv4' || detected.type === 'ipv6' || detected.type === 'domain') ? detected : undefined;
    } else if (type === 'ipv4' || type === 'ipv6') {
      const cidr = parseCidr(token.text.trim());
      // ISSUBSET takes a network; '=' may also carry one (STIX allows CIDR in ipv4-addr:value).
      observable = cidr !== undefined && cidr.type === type ? { type, value: cidr.canonical } : undefined;
    } else {
      const value = canonicalIndicator(type, token.text);
      observable = value === undefined ? undefined : { type, value };
    }
    if (observable === undefined) {
      throw new StixPatternError('invalid_value', `'${token.text.slice(0, 80)}' is not a valid ${type === 'auto' ? 'address or domain' : type} value for ${op}`, token.column);
    }
    const key = `${observable.type}\u0000${observable.value}`;
    if (!this.#seen.has(key)) {
      this.#seen.add(key);
      this.#observables.push(observable);
    }
  }

  /** objectType ':' component ('.' component | '[' index ']')* */
  #objectPath(): { text: string; key: string; hashType?: IndicatorType } {
    const type = this.#peek();
    if (type.kind !== 'word') this.fail(`expected an object path such as ipv4-addr:value but found ${this.describe()}`);
    this.#at++;
    this.#expectPunct(':');
    const parts: string[] = [this.#pathComponent()];
    for (;;) {
      if (this.#acceptPunct('.')) parts.push(this.#pathComponent());
      else if (this.#acceptPunct('[')) {
        const index = this.#peek();
        if (!(index.kind === 'number' && /^\d+$/.test(index.text)) && !(index.kind === 'punct' && index.text === '*')) {
          this.fail(`expected a list index or * but found ${this.describe()}`);
        }
        this.#at++;
        this.#expectPunct(']');
        parts.push('[]');
      } else break;
    }
    const key = `${type.text.toLowerCase()}:${parts.join('.')}`;
    const objectType = type.text.toLowerCase();
    const hashType =
      (objectType === 'file' || objectType === 'artifact') && parts.length === 2 && parts[0] === 'hashes' ? HASH_NAMES[(parts[1] as string).toUpperCase()] : undefined;
    return { text: `${type.text}:${parts.join('.')}`, key, hashType };
  }

  #pathComponent(): string {
    const token = this.#peek();
    if (token.kind === 'word' || token.kind === 'string') {
      this.#at++;
      return token.text;
    }
    return this.fail(`expected a property name but found ${this.describe()}`);
  }

  #setLiteral(): Literal[] {
    this.#expectPunct('(');
    const literals = [this.#literal()];
    while (this.#acceptPunct(',')) literals.push(this.#literal());
    this.#expectPunct(')');
    return literals;
  }

  #literal(): Literal {
    const token = this.#peek();
    const word = token.kind === 'word' ? token.text.toLowerCase() : '';
    if (token.kind === 'string' || token.kind === 'number' || token.kind === 'typed' || word === 'true' || word === 'false') {
      this.#at++;
      return { token };
    }
    return this.fail(`expected a value but found ${this.describe()}`, token, "strings are quoted with ', e.g. '198.51.100.1'");
  }

  #expectTimestamp(): void {
    const token = this.#peek();
    if (token.kind !== 'typed' || token.prefix !== 't' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(token.text)) {
      this.fail(`expected a timestamp t'YYYY-MM-DDThh:mm:ssZ' but found ${this.describe()}`);
    }
    this.#at++;
  }

  #peek(): Token {
    return this.#tokens[this.#at] as Token;
  }

  #acceptWord(word: string): boolean {
    const token = this.#peek();
    if (token.kind === 'word' && token.text.toUpperCase() === word) {
      this.#at++;
      return true;
    }
    return false;
  }

  #expectWord(word: string): void {
    if (!this.#acceptWord(word)) this.fail(`expected ${word} but found ${this.describe()}`);
  }

  #acceptPunct(punct: string): boolean {
    const token = this.#peek();
    if (token.kind === 'punct' && token.text === punct) {
      this.#at++;
      return true;
    }
    return false;
  }

  #expectPunct(punct: string): void {
    if (!this.#acceptPunct(punct)) this.fail(`expected '${punct}' but found ${this.describe()}`);
  }

  #expectKind(kind: TokenKind, what: string): void {
    if (this.#peek().kind !== kind) this.fail(`expected ${what} but found ${this.describe()}`);
    this.#at++;
  }
}

function isAddressPath(type: IndicatorType | 'auto'): boolean {
  return type === 'ipv4' || type === 'ipv6';
}
