/**
 * Multi-document YAML → a small positioned tree (`YNode`), the only form the Sigma parser reads.
 *
 * Uses the `yaml` package (YAML 1.2 core schema, so `yes` stays text and dates stay strings, as
 * Sigma's JSON schema expects). Each document keeps its 1-based start line, its own source text
 * and every node's position, so later stages can point at the offending key. A document with a
 * YAML error is reported and skipped; the others in the same stream still load. Numbers keep the
 * text they were written as (`0x1F`, `1.0`), because a Sigma value is compared as text too.
 *
 * Limits: aliases may be expanded at most MAX_ALIAS_EXPANSIONS times per document and nesting is
 * bounded by MAX_DEPTH, so a hostile pack cannot blow up memory or the stack.
 */
import { Alias, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import { SigmaError, type SourcePosition } from './errors.js';

export type ScalarValue = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  value: ScalarValue;
  /** The scalar as written (numbers and booleans), or its string value. */
  source: string;
  /** How it was written: a quoted scalar's text starts one column after `pos`. */
  style: 'plain' | 'quoted' | 'block';
  pos: SourcePosition;
}

export interface YSeq {
  kind: 'seq';
  items: YNode[];
  pos: SourcePosition;
}

export interface YEntry {
  key: string;
  keyPos: SourcePosition;
  value: YNode;
}

export interface YMap {
  kind: 'map';
  entries: YEntry[];
  pos: SourcePosition;
}

export type YNode = YScalar | YSeq | YMap;

export interface YamlDocument {
  file: string;
  /** 0-based index of the document in its stream. */
  index: number;
  /** Null for an empty document. */
  root: YNode | null;
  /** Where the document starts, 1-based. */
  pos: SourcePosition;
  /** The document's own source text, without a leading `---` line. */
  text: string;
}

export interface YamlParseResult {
  documents: YamlDocument[];
  errors: SigmaError[];
}

const MAX_ALIAS_EXPANSIONS = 100;
const MAX_DEPTH = 64;

/** Parses every document of `text`; one error per broken document, the rest still parse. */
export function parseYamlDocuments(text: string, file: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const documents: YamlDocument[] = [];
  const errors: SigmaError[] = [];
  const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true, merge: false });
  const list = Array.isArray(parsed) ? parsed : [];
  list.forEach((doc, index) => {
    // The document's position is that of its content (after any `---` marker).
    const start = (doc.contents as Node | null)?.range?.[0] ?? doc.range?.[0] ?? 0;
    const pos = toPos(lineCounter, start);
    const first = doc.errors[0];
    if (first) {
      const at = first.linePos?.[0];
      errors.push(
        new SigmaError({
          code: 'YAML_SYNTAX',
          stage: 'yaml',
          message: firstLine(first.message),
          file,
          line: at?.line ?? pos.line,
          col: at?.col ?? pos.col,
          hint: first.code === 'DUPLICATE_KEY' ? 'each key may appear once per mapping' : undefined,
        }),
      );
      return;
    }
    try {
      const converter = new Converter(doc, lineCounter, file);
      const contents = doc.contents as Node | null;
      const empty = contents === null || (isScalar(contents) && contents.value === null && !contents.source);
      const root = empty ? null : converter.node(contents, 0);
      documents.push({ file, index, root, pos, text: sliceDocument(text, doc) });
    } catch (error) {
      if (error instanceof SigmaError) errors.push(error);
      else throw error;
    }
  });
  return { documents, errors };
}

/** The node as plain JavaScript (maps → objects, sequences → arrays). */
export function toPlain(node: YNode | null): unknown {
  if (node === null) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map((item) => toPlain(item));
  const object: Record<string, unknown> = {};
  for (const entry of node.entries) {
    Object.defineProperty(object, entry.key, { value: toPlain(entry.value), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** The entry of a map with this key, if any. */
export function entryOf(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((entry) => entry.key === key);
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

function toPos(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

function firstLine(message: string): string {
  const end = message.indexOf('\n');
  return end === -1 ? message : message.slice(0, end);
}

function sliceDocument(text: string, doc: Document): string {
  const [start, , end] = doc.range ?? [0, 0, text.length];
  const slice = text.slice(start, end);
  // Drop the document marker line so the text is the rule alone.
  return slice.startsWith('---') ? slice.slice(slice.indexOf('\n') + 1 || slice.length) : slice;
}

class Converter {
  #aliases = 0;

  constructor(
    private readonly doc: Document,
    private readonly lineCounter: LineCounter,
    private readonly file: string,
  ) {}

  node(node: Node, depth: number): YNode {
    const pos = toPos(this.lineCounter, node.range?.[0] ?? 0);
    if (depth > MAX_DEPTH) throw this.#limit(`nesting deeper than ${MAX_DEPTH} levels`, pos);
    if (isAlias(node)) {
      if (++this.#aliases > MAX_ALIAS_EXPANSIONS) {
        throw this.#limit(`more than ${MAX_ALIAS_EXPANSIONS} alias expansions`, pos);
      }
      const target = (node as Alias).resolve(this.doc);
      if (!target) throw this.#limit(`unresolved alias *${(node as Alias).source}`, pos);
      return this.node(target, depth + 1);
    }
    if (isScalar(node)) return scalar(node.value, node.source, pos, styleOf(node.type));
    if (isSeq(node)) {
      return { kind: 'seq', items: node.items.map((item) => this.node(item as Node, depth + 1)), pos };
    }
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as Node | null;
        const keyPos = keyNode ? toPos(this.lineCounter, keyNode.range?.[0] ?? 0) : pos;
        if (!isScalar(keyNode)) throw this.#syntax('mapping keys must be plain text', keyPos);
        const key = keyNode.value === null ? '' : String(keyNode.value);
        const value = pair.value ? this.node(pair.value as Node, depth + 1) : scalar(null, '', keyPos);
        entries.push({ key, keyPos, value });
      }
      return { kind: 'map', entries, pos };
    }
    throw this.#syntax('unsupported YAML node', pos);
  }

  #limit(what: string, pos: SourcePosition): SigmaError {
    return new SigmaError({ code: 'YAML_LIMIT', stage: 'yaml', message: `document has ${what}`, file: this.file, ...pos });
  }

  #syntax(message: string, pos: SourcePosition): SigmaError {
    return new SigmaError({ code: 'YAML_SYNTAX', stage: 'yaml', message, file: this.file, ...pos });
  }
}

function styleOf(type: string | undefined): YScalar['style'] {
  if (type === 'QUOTE_SINGLE' || type === 'QUOTE_DOUBLE') return 'quoted';
  if (type === 'BLOCK_LITERAL' || type === 'BLOCK_FOLDED') return 'block';
  return 'plain';
}

function scalar(value: unknown, source: string | undefined, pos: SourcePosition, style: YScalar['style'] = 'plain'): YScalar {
  if (value === null || value === undefined) return { kind: 'scalar', value: null, source: source ?? '', style, pos };
  if (typeof value === 'number') {
    return { kind: 'scalar', value, source: source !== undefined && source !== '' ? source : String(value), style, pos };
  }
  if (typeof value === 'boolean') return { kind: 'scalar', value, source: String(value), style, pos };
  if (typeof value === 'string') return { kind: 'scalar', value, source: value, style, pos };
  if (typeof value === 'bigint') return { kind: 'scalar', value: String(value), source: source ?? String(value), style, pos };
  // Binary, dates or other tagged values: Sigma only knows text.
  const text = String(value);
  return { kind: 'scalar', value: text, source: text, style, pos };
}
