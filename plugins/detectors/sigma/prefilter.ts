/**
 * Literal prefilter: most rules can only match an event that contains certain texts. The
 * compiler derives, per rule, clauses of lower-cased literals (`CommandLine|contains: ' -enc '`
 * needs " -enc "; an AND may bring several clauses, each to be satisfied). One Aho–Corasick
 * automaton per event logsource scans the event's texts once, and only rules whose clauses all
 * hit are evaluated. Rules with no usable clause (negations, numeric comparisons, CIDR ranges,
 * literals shorter than MIN_LITERAL_LENGTH) are always evaluated.
 *
 * Literals are cut to their last MAX_LITERAL_LENGTH characters (any part of a required text is
 * required too), which bounds the automaton; non-ASCII characters share WIDE_BUCKETS classes,
 * which can only add hits. Sound by construction: a skipped rule could not have matched (the
 * corpus test compares every regression event with and without the prefilter).
 */
import { LiteralAutomaton } from './aho-corasick.js';

/** Literals shorter than this do not filter (they would occur in nearly every event). */
export const MIN_LITERAL_LENGTH = 3;
/** Longer literals keep their last this-many characters. */
export const MAX_LITERAL_LENGTH = 8;

/** Classes shared by non-ASCII characters in the prefilter's automaton. */
const WIDE_BUCKETS = 16;

/** The literal a rule's literal is filed under: lower-cased, at most MAX_LITERAL_LENGTH long. */
export function literalKey(literal: string): string {
  return literal.length > MAX_LITERAL_LENGTH ? literal.slice(literal.length - MAX_LITERAL_LENGTH) : literal;
}

/** Long enough to be selective: MIN_LITERAL_LENGTH characters, or any non-ASCII text. */
function isSelective(literal: string): boolean {
  if (literal.length >= MIN_LITERAL_LENGTH) return true;
  for (let i = 0; i < literal.length; i++) if (literal.charCodeAt(i) > 0x7f) return true;
  return false;
}

/** A clause can filter when it has literals and every one is selective. */
export function isSelectiveClause(clause: readonly string[]): boolean {
  return clause.length > 0 && clause.every((literal) => isSelective(literal));
}

/** True when at least one of a rule's clauses can filter. */
export function isFilterable(clauses: readonly (readonly string[])[]): boolean {
  return clauses.some((clause) => isSelectiveClause(clause));
}

/**
 * Marks, per event, which rules may match. Each rule brings clauses (from the compiler): it may
 * match only if every selective clause has one of its literals in the scanned texts. Rules are
 * numbered by the caller (0…n-1); `passes(rule)` is valid after the event's `scan` calls.
 */
export class Prefilter {
  readonly #automaton: LiteralAutomaton;
  /** Per literal, the clauses it satisfies. */
  readonly #clausesOf: Int32Array[];
  /** Per rule, its selective clauses: #ruleClauses[#ruleStart[r] … #ruleStart[r + 1]). */
  readonly #ruleStart: Int32Array;
  readonly #ruleClauses: Int32Array;
  /** Per clause, the rule it belongs to; per rule, how many selective clauses it has. */
  readonly #ruleOfClause: Int32Array;
  readonly #need: Int32Array;
  /** Per rule, clauses hit in the current event (valid when #ruleEpoch matches). */
  readonly #have: Int32Array;
  readonly #ruleEpoch: Uint32Array;
  /** Rules whose clauses all hit, in the order they completed. */
  readonly #ready: number[] = [];
  #epoch = 1;
  readonly #literalEpoch: Uint32Array;
  readonly #clauseEpoch: Uint32Array;
  readonly #onHit: (literal: number) => void;

  /** `clausesOf[rule]` are the rule's literal clauses (none: the rule always passes). */
  constructor(clausesOf: readonly (readonly (readonly string[])[])[]) {
    const index = new Map<string, number>();
    const literalClauses: number[][] = [];
    const ruleClauses: number[] = [];
    const ruleOfClause: number[] = [];
    this.#ruleStart = new Int32Array(clausesOf.length + 1);
    this.#need = new Int32Array(clausesOf.length);
    let clauseCount = 0;
    clausesOf.forEach((clauses, rule) => {
      this.#ruleStart[rule] = ruleClauses.length;
      for (const clause of clauses) {
        if (!isSelectiveClause(clause)) continue;
        const id = clauseCount++;
        ruleClauses.push(id);
        ruleOfClause.push(rule);
        this.#need[rule] = (this.#need[rule] as number) + 1;
        for (const literal of clause) {
          const key = literalKey(literal);
          let literalId = index.get(key);
          if (literalId === undefined) {
            literalId = literalClauses.length;
            index.set(key, literalId);
            literalClauses.push([]);
          }
          const list = literalClauses[literalId] as number[];
          if (list[list.length - 1] !== id) list.push(id);
        }
      }
    });
    this.#ruleStart[clausesOf.length] = ruleClauses.length;
    this.#ruleClauses = Int32Array.from(ruleClauses);
    this.#automaton = new LiteralAutomaton([...index.keys()], { wideBuckets: WIDE_BUCKETS });
    this.#clausesOf = literalClauses.map((list) => Int32Array.from(list));
    this.#literalEpoch = new Uint32Array(literalClauses.length);
    this.#clauseEpoch = new Uint32Array(clauseCount);
    this.#ruleOfClause = Int32Array.from(ruleOfClause);
    this.#have = new Int32Array(clausesOf.length);
    this.#ruleEpoch = new Uint32Array(clausesOf.length);
    this.#onHit = (literal) => {
      const epoch = this.#epoch;
      if (this.#literalEpoch[literal] === epoch) return;
      this.#literalEpoch[literal] = epoch;
      const clauses = this.#clausesOf[literal] as Int32Array;
      for (let i = 0; i < clauses.length; i++) {
        const clause = clauses[i] as number;
        if (this.#clauseEpoch[clause] === epoch) continue;
        this.#clauseEpoch[clause] = epoch;
        const rule = this.#ruleOfClause[clause] as number;
        const have = this.#ruleEpoch[rule] === epoch ? (this.#have[rule] as number) + 1 : 1;
        this.#ruleEpoch[rule] = epoch;
        this.#have[rule] = have;
        if (have === this.#need[rule]) this.#ready.push(rule);
      }
    };
  }

  /**
   * The rules (by number) whose clauses all hit in the current event, in ascending order. Rules
   * without selective clauses are not listed: they always pass. The array is reused.
   */
  ready(): readonly number[] {
    const ready = this.#ready;
    // Usually a few dozen, nearly sorted: insertion sort.
    for (let i = 1; i < ready.length; i++) {
      const value = ready[i] as number;
      let j = i - 1;
      while (j >= 0 && (ready[j] as number) > value) {
        ready[j + 1] = ready[j] as number;
        j--;
      }
      ready[j + 1] = value;
    }
    return ready;
  }

  get automaton(): LiteralAutomaton {
    return this.#automaton;
  }

  /** Starts a new event. */
  begin(): void {
    this.#ready.length = 0;
    if (++this.#epoch === 0xffffffff) {
      // Wrapped: start the rounds afresh (a stale mark could hide a literal).
      this.#epoch = 1;
      this.#literalEpoch.fill(0);
      this.#clauseEpoch.fill(0);
      this.#ruleEpoch.fill(0);
      this.#automaton.resetRounds();
    }
  }

  /** Scans one lower-cased text of the current event. */
  scan(text: string): void {
    this.#automaton.scanRound(text, this.#epoch, this.#onHit);
  }

  /** Whether the rule may match the current event. */
  passes(rule: number): boolean {
    const end = this.#ruleStart[rule + 1] as number;
    for (let i = this.#ruleStart[rule] as number; i < end; i++) {
      if (this.#clauseEpoch[this.#ruleClauses[i] as number] !== this.#epoch) return false;
    }
    return true;
  }
}
