/**
 * Aho–Corasick multi-text search over lower-cased UTF-16 code units: one pass over a text finds
 * every occurrence of any of a fixed set of literals (A. Aho and M. Corasick, "Efficient string
 * matching", CACM 1975). Used by the prefilter (all rules' literals over an event's texts) and by
 * long `contains` value lists (one automaton per list instead of one check per value).
 *
 * Layout: the root and the states near it get complete transition rows (scanning spends most of
 * its time there); deeper states keep sorted child lists and follow failure links, so memory
 * grows with the trie, not with states × alphabet. Characters that occur in no literal share
 * class 0; optionally non-ASCII characters share a few classes (see the constructor).
 */

/** States this close to the root get a complete transition row… */
const DENSE_DEPTH = 4;
/** …within this many entries in all (4 bytes each). */
const MAX_DENSE_ENTRIES = 1_000_000;

/**
 * An Aho–Corasick automaton over a fixed set of texts. The root has a dense transition row (most
 * characters of a text leave the automaton at the root); other states keep their children as
 * sorted (class, target) pairs and fall back along failure links, so memory grows with the
 * number of trie edges, not with states × alphabet.
 */
export class LiteralAutomaton {
  readonly literalCount: number;
  readonly stateCount: number;
  readonly classCount: number;
  /** Character class of each ASCII code unit; other code units are looked up in #wideClass. */
  readonly #asciiClass = new Uint16Array(128);
  readonly #wideClass = new Map<number, number>();
  readonly #wideBase: number;
  readonly #wideBuckets: number;
  /** Per output state, the last scanRound() round that reported it. */
  readonly #roundOf: Uint32Array;
  /** Further literals ending at a state whose `#terminal` holds the first. */
  readonly #sharedEnd = new Map<number, number[]>();
  /** Root transitions by class (0 = stay at the root). */
  readonly #rootRow: Int32Array;
  /** Complete transition rows for shallow states (where scanning spends its time): row index or -1. */
  readonly #denseRowOf: Int32Array;
  readonly #dense: Int32Array;
  /** Children of state s: #childClass / #childTarget in [#childStart[s], #childStart[s + 1]). */
  readonly #childStart: Int32Array;
  readonly #childClass: Int32Array;
  readonly #childTarget: Int32Array;
  readonly #fail: Int32Array;
  /** Literal ending at the state, or -1. */
  readonly #terminal: Int32Array;
  /** Next state on the suffix chain that ends a literal, or -1. */
  readonly #output: Int32Array;

  /**
   * With `wideBuckets`, non-ASCII code units share that many classes (by code modulo the count):
   * the automaton then reports every literal that occurs and possibly some that do not, which is
   * what a prefilter can afford, with a much smaller alphabet. Without it matching is exact.
   */
  constructor(literals: readonly string[], options: { wideBuckets?: number } = {}) {
    this.literalCount = literals.length;
    // Alphabet: the code units the literals use; everything else is class 0.
    let classes = 1;
    for (const literal of literals) {
      for (let i = 0; i < literal.length; i++) {
        const code = literal.charCodeAt(i);
        if (code < 128 && this.#asciiClass[code] === 0) this.#asciiClass[code] = classes++;
        else if (code >= 128 && options.wideBuckets === undefined && !this.#wideClass.has(code)) this.#wideClass.set(code, classes++);
      }
    }
    this.#wideBase = classes;
    this.#wideBuckets = options.wideBuckets ?? 0;
    classes += this.#wideBuckets;
    this.classCount = classes;
    // Trie, with children in maps while building.
    const children: Map<number, number>[] = [new Map()];
    const terminal: number[] = [-1];
    literals.forEach((literal, index) => {
      let state = 0;
      for (let i = 0; i < literal.length; i++) {
        const cls = this.#classOf(literal.charCodeAt(i));
        const map = children[state] as Map<number, number>;
        let next = map.get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          terminal.push(-1);
          map.set(cls, next);
        }
        state = next;
      }
      if (terminal[state] === -1) terminal[state] = index;
      else {
        // Another literal on the same path (folded classes or a duplicate): report it too.
        const shared = this.#sharedEnd.get(state) ?? [];
        shared.push(index);
        this.#sharedEnd.set(state, shared);
      }
    });
    const states = children.length;
    this.stateCount = states;
    this.#terminal = Int32Array.from(terminal);
    this.#roundOf = new Uint32Array(states);
    // Flatten children into sorted arrays.
    this.#childStart = new Int32Array(states + 1);
    const edges = states - 1;
    this.#childClass = new Int32Array(edges);
    this.#childTarget = new Int32Array(edges);
    let at = 0;
    for (let state = 0; state < states; state++) {
      this.#childStart[state] = at;
      const sorted = [...(children[state] as Map<number, number>)].sort((a, b) => a[0] - b[0]);
      for (const [cls, target] of sorted) {
        this.#childClass[at] = cls;
        this.#childTarget[at] = target;
        at++;
      }
    }
    this.#childStart[states] = at;
    this.#rootRow = new Int32Array(classes);
    for (const [cls, target] of children[0] as Map<number, number>) this.#rootRow[cls] = target;
    // Failure and output links, breadth first.
    this.#fail = new Int32Array(states);
    this.#output = new Int32Array(states).fill(-1);
    const depth = new Uint8Array(states);
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (const target of (children[0] as Map<number, number>).values()) {
      queue[tail++] = target;
      depth[target] = 1;
    }
    while (head < tail) {
      const state = queue[head++] as number;
      const failure = this.#fail[state] as number;
      this.#output[state] = (this.#terminal[failure] as number) !== -1 ? failure : (this.#output[failure] as number);
      for (const [cls, child] of children[state] as Map<number, number>) {
        this.#fail[child] = this.#next(failure, cls);
        depth[child] = Math.min(255, (depth[state] as number) + 1);
        queue[tail++] = child;
      }
    }
    // Dense rows for states near the root, bounded in total size.
    this.#denseRowOf = new Int32Array(states).fill(-1);
    const shallow: number[] = [];
    for (let i = 0; i < tail; i++) {
      const state = queue[i] as number;
      if ((depth[state] as number) > DENSE_DEPTH || (shallow.length + 1) * classes > MAX_DENSE_ENTRIES) break;
      shallow.push(state);
    }
    this.#dense = new Int32Array(shallow.length * classes);
    shallow.forEach((state, row) => {
      this.#denseRowOf[state] = row;
      for (let cls = 1; cls < classes; cls++) this.#dense[row * classes + cls] = this.#next(state, cls);
    });
  }

  #classOf(code: number): number {
    if (code < 128) return this.#asciiClass[code] as number;
    return this.#wideBuckets > 0 ? this.#wideBase + (code % this.#wideBuckets) : (this.#wideClass.get(code) ?? 0);
  }

  /** The child of `state` on `cls`, or -1. */
  #child(state: number, cls: number): number {
    let low = this.#childStart[state] as number;
    let high = (this.#childStart[state + 1] as number) - 1;
    const classes = this.#childClass;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const value = classes[mid] as number;
      if (value === cls) return this.#childTarget[mid] as number;
      if (value < cls) low = mid + 1;
      else high = mid - 1;
    }
    return -1;
  }

  /** The state after reading class `cls` in `state` (the goto/failure walk). */
  #next(state: number, cls: number): number {
    let at = state;
    while (at !== 0) {
      const child = this.#child(at, cls);
      if (child !== -1) return child;
      at = this.#fail[at] as number;
    }
    return cls === 0 ? 0 : (this.#rootRow[cls] as number);
  }

  #step(state: number, code: number): number {
    const cls = this.#classOf(code);
    if (state === 0) return this.#rootRow[cls] as number;
    if (cls === 0) return 0; // a character no literal has: nothing continues
    const row = this.#denseRowOf[state] as number;
    return row !== -1 ? (this.#dense[row * this.classCount + cls] as number) : this.#next(state, cls);
  }

  /** Forgets which states scanRound() reported (before reusing round numbers). */
  resetRounds(): void {
    this.#roundOf.fill(0);
  }

  /** Bytes the automaton's tables take. */
  get tableBytes(): number {
    return (this.stateCount * 5 + (this.stateCount - 1) * 2) * 4 + this.#rootRow.byteLength + this.#dense.byteLength;
  }

  /** True when any literal occurs in `text` (stops at the first). */
  test(text: string): boolean {
    if (this.literalCount > 0 && (this.#terminal[0] as number) !== -1) return true; // the empty literal
    let state = 0;
    for (let i = 0; i < text.length; i++) {
      state = this.#step(state, text.charCodeAt(i));
      if (state !== 0 && ((this.#terminal[state] as number) !== -1 || (this.#output[state] as number) !== -1)) return true;
    }
    return false;
  }

  /**
   * Like scan(), but reports each literal at most once per `round` (a number that changes per
   * event): an output state already reported in this round, and the suffix chain after it, are
   * skipped. Common literals (`.exe`) occur many times per event; this keeps their cost at one.
   */
  scanRound(text: string, round: number, hit: (literal: number) => void): void {
    const ascii = this.#asciiClass;
    const root = this.#rootRow;
    const denseRowOf = this.#denseRowOf;
    const dense = this.#dense;
    const classes = this.classCount;
    const terminal = this.#terminal;
    const output = this.#output;
    const seen = this.#roundOf;
    const shared = this.#sharedEnd.size > 0 ? this.#sharedEnd : undefined;
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const code = text.charCodeAt(i);
      const cls = code < 128 ? (ascii[code] as number) : this.#classOf(code);
      if (state === 0) state = root[cls] as number;
      else if (cls === 0) state = 0;
      else {
        const row = denseRowOf[state] as number;
        state = row !== -1 ? (dense[row * classes + cls] as number) : this.#next(state, cls);
      }
      if (state === 0) continue;
      let at = (terminal[state] as number) !== -1 ? state : (output[state] as number);
      while (at !== -1 && seen[at] !== round) {
        seen[at] = round;
        hit(terminal[at] as number);
        if (shared) for (const literal of shared.get(at) ?? []) hit(literal);
        at = output[at] as number;
      }
    }
  }

  /** Calls `hit` with the index of each literal found in `text` (a literal may be reported more than once). */
  scan(text: string, hit: (literal: number) => void): void {
    // The hot loop of the prefilter: #step inlined, tables in locals.
    const ascii = this.#asciiClass;
    const root = this.#rootRow;
    const denseRowOf = this.#denseRowOf;
    const dense = this.#dense;
    const classes = this.classCount;
    const terminal = this.#terminal;
    const output = this.#output;
    const shared = this.#sharedEnd.size > 0 ? this.#sharedEnd : undefined;
    let state = 0;
    for (let i = 0, n = text.length; i < n; i++) {
      const code = text.charCodeAt(i);
      const cls = code < 128 ? (ascii[code] as number) : this.#classOf(code);
      if (state === 0) state = root[cls] as number;
      else if (cls === 0) state = 0;
      else {
        const row = denseRowOf[state] as number;
        state = row !== -1 ? (dense[row * classes + cls] as number) : this.#next(state, cls);
      }
      if (state === 0) continue;
      let at = (terminal[state] as number) !== -1 ? state : (output[state] as number);
      while (at !== -1) {
        hit(terminal[at] as number);
        if (shared) for (const literal of shared.get(at) ?? []) hit(literal);
        at = output[at] as number;
      }
    }
  }
}
