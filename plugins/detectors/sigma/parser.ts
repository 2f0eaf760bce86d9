/**
 * Sigma YAML documents → typed rule ASTs (specification 2.1.0, "Sigma Rules Specification" and
 * its JSON schema). Knows nothing of events, fields mappings or matching.
 *
 * Each document is a detection rule (`detection:`), a correlation rule (`correlation:`) or a
 * filter (`filter:`). Rules are checked against the schema here: title, level, status, dates,
 * tags, logsource, the shape of every search identifier, and the condition grammar. What Sigma 2
 * dropped is rejected with a message that says so: in-condition aggregations (`| count() by`,
 * `near`), `timeframe` inside a detection, Sigma 1 `action:` collections, and rules whose own
 * `status` is `unsupported`. Modifiers are only split here; the compiler checks them.
 *
 * Correlation and filter documents are returned raw (plain value, node and position): the
 * correlation engine and the filter compiler read them.
 */
import { ConditionError, parseCondition, type ConditionNode } from './condition.js';
import { SigmaError, schemaError, type SigmaErrorCode, type SourcePosition } from './errors.js';
import { entryOf, toPlain, type YamlDocument, type YEntry, type YMap, type YNode, type YScalar } from './yaml.js';

// ── AST ─────────────────────────────────────────────────────────────────────────────────────────

export interface ValueAst {
  value: string | number | boolean | null;
  /** The value as written: numbers keep `0x1F` or `1.0`. */
  source: string;
  pos: SourcePosition;
}

export interface FieldItemAst {
  /** Empty for a keyword item written as a map (`'|all': [...]`). */
  field: string;
  modifiers: string[];
  values: ValueAst[];
  pos: SourcePosition;
}

/** AND of items (a YAML map). */
export interface FieldGroupAst {
  items: FieldItemAst[];
  pos: SourcePosition;
}

export type SearchBodyAst =
  /** OR of AND-groups: a map is one group, a list of maps several. */
  | { kind: 'fields'; groups: FieldGroupAst[] }
  /** A list of plain values searched anywhere in the event, OR-linked. */
  | { kind: 'keywords'; values: ValueAst[] };

export interface SearchAst {
  name: string;
  body: SearchBodyAst;
  pos: SourcePosition;
}

export interface ConditionAst {
  node: ConditionNode;
  text: string;
  pos: SourcePosition;
}

export interface DetectionAst {
  searches: SearchAst[];
  /** OR-linked when several (the specification's list form). */
  conditions: ConditionAst[];
  pos: SourcePosition;
}

export interface LogsourceAst {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

export interface SigmaRuleAst {
  title: string;
  id?: string;
  name?: string;
  status?: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  level?: string;
  tags: string[];
  references: string[];
  falsepositives: string[];
  fields: string[];
  related: { id: string; type: string }[];
  logsource: LogsourceAst;
  detection: DetectionAst;
  source: { file: string; yaml: string; line: number; col: number };
}

/** A correlation rule or filter document, as parsed YAML with its position. */
export interface RawSigmaDocument {
  kind: 'correlation' | 'filter';
  /** The document as plain JavaScript. */
  doc: Record<string, unknown>;
  /** The positioned tree, for error positions. */
  node: YMap;
  file: string;
  /** 1-based line where the document starts. */
  line: number;
  yaml: string;
}

export type ParsedDocument = { kind: 'rule'; rule: SigmaRuleAst } | RawSigmaDocument;

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

export const SIGMA_LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export const SIGMA_STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'] as const;

/** Sorts one YAML document into a rule AST or a raw correlation/filter; throws SigmaError. */
export function parseDocument(document: YamlDocument): ParsedDocument {
  const root = document.root;
  if (root === null || root.kind !== 'map') {
    throw located(schemaError('NOT_A_MAPPING', 'a Sigma document must be a YAML mapping', root?.pos ?? document.pos), document);
  }
  try {
    if (entryOf(root, 'correlation')) return raw('correlation', root, document);
    if (entryOf(root, 'filter') && !entryOf(root, 'detection')) return raw('filter', root, document);
    return { kind: 'rule', rule: parseRule(root, document) };
  } catch (error) {
    throw error instanceof SigmaError ? located(error, document) : error;
  }
}

// ── Rules ───────────────────────────────────────────────────────────────────────────────────────

const DATE = /^\d{4}-(0[1-9]|1[012])-(0[1-9]|[12]\d|3[01])$/;
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const RELATED_TYPES = new Set(['derived', 'obsolete', 'merged', 'renamed', 'similar']);

function parseRule(root: YMap, document: YamlDocument): SigmaRuleAst {
  if (entryOf(root, 'action')) {
    throw schemaError(
      'LEGACY_AGGREGATION',
      'Sigma 1 rule collections ("action: global" with follow-up documents) are not supported',
      entryOf(root, 'action')?.keyPos,
      'write each variant as a complete rule of its own',
    );
  }
  // The detection goes first: its legacy constructs explain a rejection best.
  const detectionEntry = required(root, 'detection');
  const detection = parseDetection(detectionEntry);
  const status = optionalEnum(root, 'status', SIGMA_STATUSES);
  if (status === 'unsupported') {
    throw schemaError(
      'UNSUPPORTED_STATUS',
      'the rule declares "status: unsupported": its author marks it unusable as written',
      entryOf(root, 'status')?.value.pos,
      'fix the detection and set the status to experimental, test or stable',
    );
  }
  const title = requiredString(root, 'title');
  if (title.length > 256) throw schemaError('INVALID_VALUE', 'title is longer than 256 characters', entryOf(root, 'title')?.value.pos);
  return {
    title,
    id: optionalString(root, 'id'),
    name: optionalString(root, 'name'),
    status,
    description: optionalString(root, 'description'),
    author: optionalString(root, 'author'),
    date: optionalDate(root, 'date'),
    modified: optionalDate(root, 'modified'),
    level: optionalEnum(root, 'level', SIGMA_LEVELS),
    tags: parseTags(root),
    references: stringList(root, 'references'),
    falsepositives: stringList(root, 'falsepositives'),
    fields: stringList(root, 'fields'),
    related: parseRelated(root),
    logsource: parseLogsource(required(root, 'logsource')),
    detection,
    source: { file: document.file, yaml: document.text, line: document.pos.line, col: document.pos.col },
  };
}

/** The `logsource:` mapping (also used for filters). */
export function parseLogsource(entry: YEntry): LogsourceAst {
  const map = expectMap(entry, 'logsource');
  const logsource: LogsourceAst = {};
  for (const { key, value } of map.entries) {
    if (key !== 'product' && key !== 'category' && key !== 'service' && key !== 'definition') continue;
    if (value.kind !== 'scalar' || typeof value.value !== 'string') {
      throw schemaError('INVALID_TYPE', `logsource.${key} must be text`, value.pos);
    }
    logsource[key] = key === 'definition' ? value.value : value.value.toLowerCase();
  }
  return logsource;
}

// ── Detection ───────────────────────────────────────────────────────────────────────────────────

function parseDetection(entry: YEntry): DetectionAst {
  const map = expectMap(entry, 'detection');
  const timeframe = entryOf(map, 'timeframe');
  if (timeframe) {
    throw schemaError(
      'LEGACY_TIMEFRAME',
      '"timeframe" inside a detection belongs to the legacy aggregation syntax and is not supported',
      timeframe.keyPos,
      'move the time window to a correlation rule ("timespan")',
    );
  }
  const conditionEntry = entryOf(map, 'condition');
  if (!conditionEntry) {
    throw schemaError('MISSING_KEY', 'detection has no "condition"', map.pos, 'add e.g. "condition: selection"');
  }
  const conditions = parseConditions(conditionEntry);
  const searches: SearchAst[] = [];
  for (const search of map.entries) {
    if (search.key === 'condition') continue;
    searches.push({ name: search.key, body: parseSearch(search), pos: search.keyPos });
  }
  if (searches.length === 0) throw schemaError('MISSING_KEY', 'detection defines no search identifier', map.pos);
  return { searches, conditions, pos: map.pos };
}

/** `condition:` as text or a list of texts (OR-linked). */
export function parseConditions(entry: YEntry): ConditionAst[] {
  const nodes = entry.value.kind === 'seq' ? entry.value.items : [entry.value];
  if (nodes.length === 0) throw schemaError('INVALID_VALUE', 'condition list is empty', entry.value.pos);
  return nodes.map((node) => {
    if (node.kind !== 'scalar' || typeof node.value !== 'string' || node.value.trim() === '') {
      throw schemaError('INVALID_TYPE', 'condition must be non-empty text', node.pos);
    }
    return { node: conditionOf(node), text: node.value, pos: node.pos };
  });
}

function conditionOf(node: YScalar): ConditionNode {
  const text = node.value as string;
  try {
    return parseCondition(text);
  } catch (error) {
    if (!(error instanceof ConditionError)) throw error;
    // Plain and quoted scalars on one line: the offset maps to a column (a quote shifts by one).
    const pos =
      node.style === 'block' || text.includes('\n')
        ? node.pos
        : { line: node.pos.line, col: node.pos.col + error.offset + (node.style === 'quoted' ? 1 : 0) };
    const code: SigmaErrorCode = error.code;
    const stage = code === 'LEGACY_AGGREGATION' ? 'schema' : 'compile';
    throw new SigmaError({ code, stage, message: `condition: ${error.message}`, ...pos, hint: error.hint });
  }
}

/** One search identifier: a map, a list of maps, or a list of keywords. */
export function parseSearch(search: YEntry): SearchBodyAst {
  const node = search.value;
  if (node.kind === 'map') return { kind: 'fields', groups: [parseGroup(node)] };
  if (node.kind === 'scalar') {
    if (node.value === null) throw schemaError('INVALID_VALUE', `search identifier "${search.key}" is empty`, node.pos);
    return { kind: 'keywords', values: [valueOf(node)] };
  }
  if (node.items.length === 0) throw schemaError('INVALID_VALUE', `search identifier "${search.key}" is an empty list`, node.pos);
  if (node.items.every((item) => item.kind === 'map')) {
    return { kind: 'fields', groups: node.items.map((item) => parseGroup(item as YMap)) };
  }
  if (node.items.every((item) => item.kind === 'scalar')) {
    return { kind: 'keywords', values: node.items.map((item) => valueOf(item as YScalar)) };
  }
  throw schemaError(
    'INVALID_TYPE',
    `search identifier "${search.key}" mixes maps and plain values`,
    node.pos,
    'use a list of maps (OR of field selections) or a list of keywords, not both',
  );
}

function parseGroup(map: YMap): FieldGroupAst {
  if (map.entries.length === 0) throw schemaError('INVALID_VALUE', 'a field selection map is empty', map.pos);
  return { items: map.entries.map((entry) => parseItem(entry)), pos: map.pos };
}

function parseItem(entry: YEntry): FieldItemAst {
  const [field, ...modifiers] = entry.key.split('|');
  const node = entry.value;
  let values: ValueAst[];
  if (node.kind === 'scalar') values = [valueOf(node)];
  else if (node.kind === 'seq') {
    if (node.items.length === 0) throw schemaError('INVALID_VALUE', `"${entry.key}" has an empty value list`, node.pos);
    values = node.items.map((item) => {
      if (item.kind !== 'scalar') {
        throw schemaError('INVALID_TYPE', `values of "${entry.key}" must be plain values, not ${item.kind === 'map' ? 'maps' : 'lists'}`, item.pos);
      }
      return valueOf(item);
    });
  } else {
    throw schemaError('INVALID_TYPE', `"${entry.key}" must have a value or a list of values, not a map`, node.pos);
  }
  return { field: (field ?? '').trim(), modifiers: modifiers.map((m) => m.trim()), values, pos: entry.keyPos };
}

function valueOf(node: YScalar): ValueAst {
  return { value: node.value, source: node.source, pos: node.pos };
}

// ── Metadata helpers ────────────────────────────────────────────────────────────────────────────

function raw(kind: 'correlation' | 'filter', root: YMap, document: YamlDocument): RawSigmaDocument {
  return {
    kind,
    doc: toPlain(root) as Record<string, unknown>,
    node: root,
    file: document.file,
    line: document.pos.line,
    yaml: document.text,
  };
}

function located(error: SigmaError, document: YamlDocument): SigmaError {
  return error.withContext({ file: document.file });
}

export function required(map: YMap, key: string): YEntry {
  const entry = entryOf(map, key);
  if (!entry) throw schemaError('MISSING_KEY', `required key "${key}" is missing`, map.pos);
  return entry;
}

export function expectMap(entry: YEntry, what: string): YMap {
  if (entry.value.kind !== 'map') throw schemaError('INVALID_TYPE', `${what} must be a mapping`, entry.value.pos);
  return entry.value;
}

export function requiredString(map: YMap, key: string): string {
  const value = optionalString(map, key);
  if (value === undefined || value.trim() === '') {
    throw schemaError('MISSING_KEY', `required key "${key}" is missing or empty`, entryOf(map, key)?.value.pos ?? map.pos);
  }
  return value;
}

export function optionalString(map: YMap, key: string): string | undefined {
  const entry = entryOf(map, key);
  if (!entry || (entry.value.kind === 'scalar' && entry.value.value === null)) return undefined;
  if (entry.value.kind !== 'scalar') throw schemaError('INVALID_TYPE', `"${key}" must be text`, entry.value.pos);
  return entry.value.source === '' ? String(entry.value.value) : typeof entry.value.value === 'string' ? entry.value.value : entry.value.source;
}

function optionalEnum<T extends string>(map: YMap, key: string, allowed: readonly T[]): T | undefined {
  const value = optionalString(map, key);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw schemaError('INVALID_VALUE', `${key} "${value}" is not one of ${allowed.join(', ')}`, entryOf(map, key)?.value.pos);
  }
  return value as T;
}

function optionalDate(map: YMap, key: string): string | undefined {
  const value = optionalString(map, key);
  if (value !== undefined && !DATE.test(value)) {
    throw schemaError('INVALID_VALUE', `${key} "${value}" is not an ISO 8601 date`, entryOf(map, key)?.value.pos, 'write it as YYYY-MM-DD');
  }
  return value;
}

function stringList(map: YMap, key: string): string[] {
  const entry = entryOf(map, key);
  if (!entry) return [];
  const node = entry.value;
  if (node.kind === 'scalar') return node.value === null ? [] : [String(node.value)];
  if (node.kind !== 'seq') throw schemaError('INVALID_TYPE', `"${key}" must be a list`, node.pos);
  return node.items.map((item) => {
    if (item.kind !== 'scalar' || item.value === null) throw schemaError('INVALID_TYPE', `"${key}" items must be text`, item.pos);
    return String(item.value);
  });
}

function parseTags(map: YMap): string[] {
  const tags = stringList(map, 'tags');
  const entry = entryOf(map, 'tags');
  tags.forEach((tag, index) => {
    if (!TAG.test(tag)) {
      const node: YNode | undefined = entry?.value.kind === 'seq' ? entry.value.items[index] : entry?.value;
      throw schemaError('INVALID_VALUE', `tag "${tag}" is not namespace.name in lower case`, node?.pos, 'e.g. attack.t1059.001');
    }
  });
  return tags;
}

function parseRelated(map: YMap): { id: string; type: string }[] {
  const entry = entryOf(map, 'related');
  if (!entry) return [];
  if (entry.value.kind !== 'seq') throw schemaError('INVALID_TYPE', '"related" must be a list', entry.value.pos);
  return entry.value.items.map((item) => {
    if (item.kind !== 'map') throw schemaError('INVALID_TYPE', '"related" items must be maps with id and type', item.pos);
    const id = requiredString(item, 'id');
    const type = requiredString(item, 'type');
    if (!RELATED_TYPES.has(type)) {
      throw schemaError('INVALID_VALUE', `related type "${type}" is not one of ${[...RELATED_TYPES].join(', ')}`, item.pos);
    }
    return { id, type };
  });
}
