/**
 * The Sigma condition grammar (specification 2.1.0, "Condition"): `and`, `or`, `not`,
 * parentheses, `1 of pattern`, `all of pattern`, `1 of them`, `all of them`, and identifiers.
 * Patterns may hold `*` anywhere (`selection_*`, `*_filter`). Precedence, least to most binding:
 * or, and, not, x of, parentheses. Operators are matched case-insensitively. `N of` with N > 1
 * is accepted as "at least N" (an extension: the specification only names 1 and all).
 *
 * The legacy aggregation syntax (`selection | count() by x > 5`, `sel1 | near sel2`) is rejected
 * with a message that points to correlation rules, which replaced it in Sigma 2.
 *
 * Pure: knows nothing of events or of which identifiers exist; the compiler resolves names.
 * Errors carry a 0-based offset into the condition text, which the parser turns into a line and
 * column.
 */

export type ConditionNode =
  | { op: 'and'; args: ConditionNode[] }
  | { op: 'or'; args: ConditionNode[] }
  | { op: 'not'; arg: ConditionNode }
  | { op: 'ref'; name: string; offset: number }
  /** `count` is a number ≥ 1 or 'all'; `pattern` null means `them`. */
  | { op: 'of'; count: number | 'all'; pattern: string | null; offset: number };

export type ConditionErrorCode = 'CONDITION_SYNTAX' | 'CONDITION_LIMIT' | 'LEGACY_AGGREGATION';

export class ConditionError extends Error {
  constructor(
    readonly code: ConditionErrorCode,
    message: string,
    /** 0-based offset in the condition text. */
    readonly offset: number,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConditionError';
  }
}

/** Longest condition text accepted, in characters. */
export const MAX_CONDITION_LENGTH = 8192;
/** Deepest nesting of parentheses and `not` accepted. */
export const MAX_CONDITION_DEPTH = 64;

const AGGREGATION_HINT =
  'Sigma 2 replaced in-condition aggregations with correlation rules (event_count, value_count, temporal); ' +
  'write the selection as a detection rule and the count as a correlation rule that references it';

/** Parses one condition; throws ConditionError. */
export function parseCondition(text: string): ConditionNode {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw new ConditionError('CONDITION_LIMIT', `condition is longer than ${MAX_CONDITION_LENGTH} characters`, 0);
  }
  const tokens = tokenize(text);
  const parser = new Parser(tokens, text.length);
  const node = parser.expression(0);
  parser.expectEnd();
  return node;
}

/** Every identifier and pattern the condition names (for checks and tooling). */
export function conditionNames(node: ConditionNode): string[] {
  switch (node.op) {
    case 'ref':
      return [node.name];
    case 'of':
      return node.pattern === null ? [] : [node.pattern];
    case 'not':
      return conditionNames(node.arg);
    default:
      return node.args.flatMap((arg) => conditionNames(arg));
  }
}

// ── Tokens ──────────────────────────────────────────────────────────────────────────────────────

type TokenKind = 'word' | 'number' | 'lparen' | 'rparen';

interface Token {
  kind: TokenKind;
  text: string;
  /** Lower-cased text, for keyword checks. */
  lower: string;
  offset: number;
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) || // 0-9
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x61 && code <= 0x7a) || // a-z
    code === 0x5f || // _
    code === 0x2a || // *
    code === 0x2d || // -
    code === 0x2e || // .
    code > 0x7f // non-ASCII identifiers are allowed as YAML keys
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const code = text.charCodeAt(i);
    if (code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d) {
      i++;
    } else if (code === 0x28 || code === 0x29) {
      tokens.push({ kind: code === 0x28 ? 'lparen' : 'rparen', text: text[i] as string, lower: text[i] as string, offset: i });
      i++;
    } else if (code === 0x7c /* | */) {
      throw new ConditionError(
        'LEGACY_AGGREGATION',
        `the pipe at column ${i + 1} starts a legacy aggregation ("${text.slice(i).trim().slice(0, 40)}"), which is not supported`,
        i,
        AGGREGATION_HINT,
      );
    } else if (isWordChar(code)) {
      const start = i;
      while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
      const word = text.slice(start, i);
      tokens.push({ kind: /^\d+$/.test(word) ? 'number' : 'word', text: word, lower: word.toLowerCase(), offset: start });
    } else {
      throw new ConditionError('CONDITION_SYNTAX', `unexpected character ${JSON.stringify(text[i])}`, i);
    }
  }
  return tokens;
}

// ── Parser ──────────────────────────────────────────────────────────────────────────────────────

const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all']);

class Parser {
  #at = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  expression(depth: number): ConditionNode {
    return this.#or(depth);
  }

  expectEnd(): void {
    const token = this.tokens[this.#at];
    if (token === undefined) return;
    if (token.kind === 'rparen') throw new ConditionError('CONDITION_SYNTAX', 'unbalanced ")"', token.offset);
    throw new ConditionError('CONDITION_SYNTAX', `expected "and" or "or" before "${token.text}"`, token.offset);
  }

  #peek(): Token | undefined {
    return this.tokens[this.#at];
  }

  #isWord(token: Token | undefined, word: string): boolean {
    return token !== undefined && token.kind === 'word' && token.lower === word;
  }

  #or(depth: number): ConditionNode {
    const args = [this.#and(depth)];
    while (this.#isWord(this.#peek(), 'or')) {
      this.#at++;
      args.push(this.#and(depth));
    }
    return args.length === 1 ? (args[0] as ConditionNode) : { op: 'or', args };
  }

  #and(depth: number): ConditionNode {
    const args = [this.#not(depth)];
    while (this.#isWord(this.#peek(), 'and')) {
      this.#at++;
      args.push(this.#not(depth));
    }
    return args.length === 1 ? (args[0] as ConditionNode) : { op: 'and', args };
  }

  #not(depth: number): ConditionNode {
    if (this.#isWord(this.#peek(), 'not')) {
      const token = this.#peek() as Token;
      this.#checkDepth(depth + 1, token.offset);
      this.#at++;
      return { op: 'not', arg: this.#not(depth + 1) };
    }
    return this.#primary(depth);
  }

  #primary(depth: number): ConditionNode {
    const token = this.#peek();
    if (token === undefined) {
      throw new ConditionError('CONDITION_SYNTAX', 'condition ends where a selection name was expected', this.length);
    }
    if (token.kind === 'lparen') {
      this.#checkDepth(depth + 1, token.offset);
      this.#at++;
      const inner = this.expression(depth + 1);
      const close = this.#peek();
      if (close?.kind !== 'rparen') {
        throw new ConditionError('CONDITION_SYNTAX', 'missing ")"', close?.offset ?? this.length);
      }
      this.#at++;
      return inner;
    }
    if (token.kind === 'rparen') throw new ConditionError('CONDITION_SYNTAX', 'unexpected ")"', token.offset);
    const next = this.tokens[this.#at + 1];
    if ((token.kind === 'number' || this.#isWord(token, 'all')) && this.#isWord(next, 'of')) {
      return this.#quantified(token, next as Token);
    }
    if (token.kind === 'number') {
      throw new ConditionError('CONDITION_SYNTAX', `"${token.text}" must be followed by "of"`, token.offset, 'write "1 of selection_*"');
    }
    if (token.lower === 'near') {
      throw new ConditionError('LEGACY_AGGREGATION', '"near" is a legacy aggregation and is not supported', token.offset, AGGREGATION_HINT);
    }
    if (KEYWORDS.has(token.lower)) {
      throw new ConditionError('CONDITION_SYNTAX', `"${token.text}" cannot start an expression here`, token.offset);
    }
    this.#at++;
    return { op: 'ref', name: token.text, offset: token.offset };
  }

  #quantified(countToken: Token, ofToken: Token): ConditionNode {
    this.#at += 2;
    let count: number | 'all' = 'all';
    if (countToken.kind === 'number') {
      count = Number(countToken.text);
      if (!Number.isSafeInteger(count) || count < 1) {
        throw new ConditionError('CONDITION_SYNTAX', `"${countToken.text} of" needs a count of at least 1`, countToken.offset);
      }
    }
    const target = this.#peek();
    if (target === undefined || target.kind !== 'word' || (KEYWORDS.has(target.lower) && target.lower !== 'them')) {
      throw new ConditionError(
        'CONDITION_SYNTAX',
        `"${countToken.text} of" must be followed by "them" or a selection pattern`,
        target?.offset ?? ofToken.offset,
      );
    }
    this.#at++;
    return { op: 'of', count, pattern: target.lower === 'them' ? null : target.text, offset: countToken.offset };
  }

  #checkDepth(depth: number, offset: number): void {
    if (depth > MAX_CONDITION_DEPTH) {
      throw new ConditionError('CONDITION_LIMIT', `condition nests deeper than ${MAX_CONDITION_DEPTH} levels`, offset);
    }
  }
}
