/**
 * Rule AST → matcher closures, compiled once when a rule loads. The per-event path then only
 * calls closures: no parsing, no regex construction, no configuration lookups, no `await`.
 *
 * A detection item becomes a test over one field slot (or over the keyword texts); a map is the
 * AND of its items, a list of maps the OR of its maps; the condition tree is compiled to nested
 * closures, with `1 of x*` / `all of them` expanded against the rule's search identifiers (names
 * starting with `_` are left out of `them`, as the specification says).
 *
 * Alongside each matcher the compiler derives what the prefilter needs: clauses of lower-cased
 * literals such that every matching event contains at least one literal of each clause (an AND
 * keeps the MAX_CLAUSES most selective clauses of its parts, an OR merges its parts' best
 * clauses into one, a NOT yields none), and the field slots those literals are looked for in.
 */
import { v5 as uuidv5 } from 'uuid';
import type { ConditionNode } from './condition.js';
import { compileError, SigmaError, type SourcePosition } from './errors.js';
import { FieldRegistry, textOf, type EventView } from './event-view.js';
import { buildValueTests, planModifiers, type ValueContext, type ValueTest } from './modifiers.js';
import type { ConditionAst, FieldItemAst, SearchAst, SigmaRuleAst } from './parser.js';
import { compilePattern, parseSigmaString } from './pattern.js';

// ── Public types ────────────────────────────────────────────────────────────────────────────────

/** A loaded detection rule: its metadata as the rest of Seerflow sees it. */
export interface CompiledRule {
  id: string;
  title: string;
  name?: string;
  level: string;
  tags: string[];
  logsource: { product?: string; category?: string; service?: string };
  status?: string;
  description?: string;
  falsepositives?: string[];
  source: { file: string; yaml: string };
}

/** The executable part of a rule or filter. Opaque outside the engine. */
export interface RuleProgram {
  matches(view: EventView): boolean;
  /**
   * Lower-cased literal clauses: a matching event contains one literal of every clause in its
   * scanned texts. Empty when nothing is known.
   */
  clauses: string[][];
  /** Field slots the rule reads (the prefilter scans these). */
  slots: number[];
  /** True when the rule searches keywords (the prefilter also scans the keyword texts). */
  keywords: boolean;
}

export interface ExecutableRule extends CompiledRule {
  readonly program: RuleProgram;
}

export interface CompileOptions {
  /** Values of `%name%` placeholders for the `expand` modifier. */
  placeholders?: Readonly<Record<string, readonly string[]>>;
  /** What a placeholder without values does: reject the rule, or match nothing (default) with a warning. */
  unknownPlaceholder?: 'empty' | 'reject';
}

/** Level of a rule that names none (the original treated a missing level as informational). */
export const DEFAULT_LEVEL = 'informational';

/** Namespace of the ids given to rules without one (uuid5 of title|category|product|service). */
export const RULE_ID_NAMESPACE = 'b2c3d4e5-f6a7-8901-bcde-f23456789012';

/** Compiles a parsed rule; throws a compile-stage SigmaError. Warnings go to `warn`. */
export function compileRule(
  ast: SigmaRuleAst,
  registry: FieldRegistry,
  options: CompileOptions = {},
  warn: (warning: SigmaError) => void = () => {},
): ExecutableRule {
  const { logsource } = ast;
  const id = ast.id ?? uuidv5(`${ast.title}|${logsource.category ?? ''}|${logsource.product ?? ''}|${logsource.service ?? ''}`, RULE_ID_NAMESPACE);
  try {
    const program = compileDetection(ast.detection.searches, ast.detection.conditions, registry, options, warn);
    return {
      id,
      title: ast.title,
      ...(ast.name !== undefined && { name: ast.name }),
      level: ast.level ?? DEFAULT_LEVEL,
      tags: ast.tags,
      logsource: pickLogsource(logsource),
      ...(ast.status !== undefined && { status: ast.status }),
      ...(ast.description !== undefined && { description: ast.description }),
      falsepositives: ast.falsepositives,
      source: { file: ast.source.file, yaml: ast.source.yaml },
      program,
    };
  } catch (error) {
    throw error instanceof SigmaError ? error.withContext({ file: ast.source.file, rule: id }) : error;
  }
}

function pickLogsource(logsource: SigmaRuleAst['logsource']): CompiledRule['logsource'] {
  const out: CompiledRule['logsource'] = {};
  if (logsource.product) out.product = logsource.product;
  if (logsource.category) out.category = logsource.category;
  if (logsource.service) out.service = logsource.service;
  return out;
}

// ── Detection ───────────────────────────────────────────────────────────────────────────────────

interface Compiled {
  test: (view: EventView) => boolean;
  clauses: string[][];
}

/** Clauses an AND keeps: more filter better but cost a little per rule and event. */
const MAX_CLAUSES = 3;

function clausesOf(literals: string[] | null): string[][] {
  return literals === null || literals.length === 0 ? [] : [literals];
}

/** Search identifiers + conditions → one program (also used for filters). */
export function compileDetection(
  searches: readonly SearchAst[],
  conditions: readonly ConditionAst[],
  registry: FieldRegistry,
  options: CompileOptions,
  warn: (warning: SigmaError) => void,
): RuleProgram {
  const slots = new Set<number>();
  let keywords = false;
  const context: ValueContext = {
    registry,
    placeholders: options.placeholders ?? {},
    unknownPlaceholder: options.unknownPlaceholder ?? 'empty',
    warn,
    keyword: false,
  };
  const compiledSearches = new Map<string, Compiled>();
  for (const search of searches) {
    const body = search.body;
    if (body.kind === 'keywords') {
      keywords = true;
      compiledSearches.set(search.name, compileKeywords([], body.values, search.pos, { ...context, keyword: true }));
      continue;
    }
    const groups = body.groups.map((group) =>
      all(
        group.items.map((item) => {
          if (item.field === '') keywords = true;
          const compiled = compileItem(item, context);
          if (item.field !== '') slots.add(registry.slot(item.field));
          return compiled;
        }),
      ),
    );
    compiledSearches.set(search.name, any(groups));
  }
  for (const slot of referencedSlots(searches, registry)) slots.add(slot);
  const names = searches.map((search) => search.name);
  const roots = conditions.map((condition) => compileCondition(condition.node, compiledSearches, names, condition));
  const root = any(roots);
  return { matches: root.test, clauses: root.clauses, slots: [...slots], keywords };
}

/** Slots of `fieldref` targets, which the rule reads as well. */
function referencedSlots(searches: readonly SearchAst[], registry: FieldRegistry): number[] {
  const out: number[] = [];
  for (const search of searches) {
    if (search.body.kind !== 'fields') continue;
    for (const group of search.body.groups) {
      for (const item of group.items) {
        if (!item.modifiers.some((m) => m.toLowerCase() === 'fieldref')) continue;
        for (const value of item.values) if (typeof value.value === 'string') out.push(registry.slot(value.value));
      }
    }
  }
  return out;
}

function compileItem(item: FieldItemAst, context: ValueContext): Compiled {
  const plan = planModifiers(item.modifiers, item.pos);
  if (item.field === '') return compileKeywords(item.modifiers, item.values, item.pos, { ...context, keyword: true });
  const slot = context.registry.slot(item.field);
  if (plan.match === 'exists') {
    const [value, ...rest] = item.values;
    const wanted = value?.value === true || value?.value === 'true' ? true : value?.value === false || value?.value === 'false' ? false : undefined;
    if (wanted === undefined || rest.length > 0) {
      throw compileError('INVALID_PATTERN', '"exists" takes true or false', value?.pos ?? item.pos);
    }
    return { test: (view) => (view.value(slot) !== undefined) === wanted, clauses: [] };
  }
  if (plan.all && item.values.length < 2) {
    throw compileError('MODIFIER_CONFLICT', '"all" needs a list of at least two values', item.pos, 'drop "all", or move the single value to its own selection');
  }
  const { tests, matchesNull, literals } = buildValueTests(plan, item.values, context);
  const scalarTest = combine(tests, plan.all);
  const neq = plan.neq;
  const test = (view: EventView): boolean => {
    const value = view.value(slot);
    if (value === undefined || value === null) return matchesNull;
    if (Array.isArray(value)) return matchList(value, tests, plan.all, matchesNull, view) !== neq;
    return scalarTest(value, textOf(value) as string, view.lower(slot) as string, view) !== neq;
  };
  return { test, clauses: clausesOf(literals) };
}

/** Keyword search: the values against the message and every field value. */
function compileKeywords(modifiers: readonly string[], values: FieldItemAst['values'], pos: SourcePosition, context: ValueContext): Compiled {
  const plan = planModifiers(modifiers, pos);
  if (plan.match !== 'string' && plan.match !== 're') {
    throw compileError('MODIFIER_CONFLICT', `"${plan.match}" cannot be used on keywords`, pos);
  }
  const { tests, matchesNull, literals } = buildValueTests(plan, values, context);
  if (matchesNull) throw compileError('INVALID_PATTERN', 'a keyword cannot be null', pos);
  const test = (view: EventView): boolean => {
    const texts = view.keywordTexts();
    const lowers = view.keywordTextsLower();
    const holds = (valueTest: ValueTest) => {
      for (let i = 0; i < texts.length; i++) {
        if (valueTest(texts[i] as string, texts[i] as string, lowers[i] as string, view)) return true;
      }
      return false;
    };
    return plan.all ? tests.every(holds) : tests.some(holds);
  };
  return { test, clauses: clausesOf(literals) };
}

type ScalarTest = (raw: Parameters<ValueTest>[0], text: string, lower: string, view: EventView) => boolean;

function combine(tests: ValueTest[], allOf: boolean): ScalarTest {
  if (tests.length === 1) return tests[0] as ValueTest;
  if (tests.length === 0) return () => false;
  if (allOf) {
    return (raw, text, lower, view) => {
      for (let i = 0; i < tests.length; i++) if (!(tests[i] as ValueTest)(raw, text, lower, view)) return false;
      return true;
    };
  }
  return (raw, text, lower, view) => {
    for (let i = 0; i < tests.length; i++) if ((tests[i] as ValueTest)(raw, text, lower, view)) return true;
    return false;
  };
}

/** A field holding several values: OR — one element passes one test; all — each test passes on some element. */
function matchList(values: readonly Parameters<ValueTest>[0][], tests: ValueTest[], allOf: boolean, matchesNull: boolean, view: EventView): boolean {
  const passes = (test: ValueTest) =>
    values.some((value) => (value === null ? false : test(value, textOf(value) as string, (textOf(value) as string).toLowerCase(), view)));
  if (matchesNull && values.some((value) => value === null)) return true;
  return allOf ? tests.length > 0 && tests.every(passes) : tests.some(passes);
}

// ── Boolean structure and literal algebra ───────────────────────────────────────────────────────

/** Prefer the literal set whose shortest literal is longest, then the smaller set. */
function better(a: string[], b: string[]): boolean {
  const minA = Math.min(...a.map((s) => s.length));
  const minB = Math.min(...b.map((s) => s.length));
  return minA !== minB ? minA > minB : a.length < b.length;
}

function all(parts: Compiled[]): Compiled {
  const clauses = parts
    .flatMap((part) => part.clauses)
    .sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0))
    .slice(0, MAX_CLAUSES);
  if (parts.length === 1) return { test: (parts[0] as Compiled).test, clauses };
  const tests = parts.map((part) => part.test);
  return {
    test: (view) => {
      for (let i = 0; i < tests.length; i++) if (!(tests[i] as Compiled['test'])(view)) return false;
      return true;
    },
    clauses,
  };
}

/** One clause: the union of each part's best clause (empty when a part has none). */
function unionClause(parts: readonly Compiled[]): string[][] {
  if (!parts.every((part) => part.clauses.length > 0)) return [];
  return [[...new Set(parts.flatMap((part) => part.clauses[0] as string[]))]];
}

function any(parts: Compiled[]): Compiled {
  if (parts.length === 1) return parts[0] as Compiled;
  const tests = parts.map((part) => part.test);
  return {
    test: (view) => {
      for (let i = 0; i < tests.length; i++) if ((tests[i] as Compiled['test'])(view)) return true;
      return false;
    },
    clauses: unionClause(parts),
  };
}

function atLeast(parts: Compiled[], count: number): Compiled {
  if (count <= 1) return any(parts);
  if (count >= parts.length) return all(parts);
  const tests = parts.map((part) => part.test);
  return {
    test: (view) => {
      let hits = 0;
      for (let i = 0; i < tests.length; i++) if ((tests[i] as Compiled['test'])(view) && ++hits >= count) return true;
      return false;
    },
    clauses: unionClause(parts),
  };
}

function compileCondition(node: ConditionNode, searches: Map<string, Compiled>, names: readonly string[], condition: ConditionAst): Compiled {
  const at = (offset: number): SourcePosition => ({ line: condition.pos.line, col: condition.pos.col + offset });
  switch (node.op) {
    case 'and':
      return all(node.args.map((arg) => compileCondition(arg, searches, names, condition)));
    case 'or':
      return any(node.args.map((arg) => compileCondition(arg, searches, names, condition)));
    case 'not': {
      const inner = compileCondition(node.arg, searches, names, condition);
      return { test: (view) => !inner.test(view), clauses: [] };
    }
    case 'ref': {
      const search = searches.get(node.name);
      if (!search) {
        const hint = node.name.includes('*') ? `write "1 of ${node.name}" or "all of ${node.name}"` : `defined: ${names.join(', ')}`;
        throw compileError('UNKNOWN_IDENTIFIER', `condition names "${node.name}", which the detection does not define`, at(node.offset), hint);
      }
      return search;
    }
    case 'of': {
      const selected = node.pattern === null ? names.filter((name) => !name.startsWith('_')) : matchNames(node.pattern, names);
      if (selected.length === 0) {
        const what = node.pattern === null ? 'them' : `"${node.pattern}"`;
        throw compileError('UNKNOWN_IDENTIFIER', `${what} matches no search identifier`, at(node.offset), `defined: ${names.join(', ')}`);
      }
      const parts = selected.map((name) => searches.get(name) as Compiled);
      return node.count === 'all' ? all(parts) : atLeast(parts, node.count);
    }
  }
}

function matchNames(pattern: string, names: readonly string[]): string[] {
  // In identifier patterns only `*` is a wildcard.
  const compiled = compilePattern(parseSigmaString(pattern.replace(/\?/g, '\\?')), true);
  return names.filter((name) => compiled.test(name));
}
