/**
 * Correlation rules → what the engine runs per match, built once at construction: each rule's
 * window spec (aggregate, decision mode, condition check), the fields to read per referenced rule
 * with aliases resolved, the dispatch table from detection rule ids and names to the rules that
 * reference them, the chains between correlation rules, and who is suppressed by `generate`.
 * Also reading one observation: its group-by values (several groups when a field holds several
 * values) and the values of the condition's field.
 */
import type { CorrelationRule, CorrelationType } from './correlation-parser.js';
import type { CorrelationEngineOptions } from './correlation-options.js';
import { RuleWindows, type AggregateKind, type CloseRecord, type WindowCounters, type WindowMode } from './correlation-window.js';
import type { ResolvedValue } from './field-mapping.js';

export interface Compiled {
  index: number;
  rule: CorrelationRule;
  windows: RuleWindows;
  /** The rule's key in a snapshot: its id, else name, else title (`#2`… when repeated). */
  stateKey: string;
  /** Everything that shapes the state; saved state of another signature is not restored. */
  signature: string;
  /** Per reference, per group-by name: the field to read; undefined = resolve per match. */
  groupFields: (string | undefined)[][];
  /** Per reference, per condition field: the field to read; undefined = resolve per match. */
  valueFields: (string | undefined)[][];
  /** Rules chained on this one. */
  downstream: Target[];
  /** Its hits feed other correlations only (`generate: false` where referenced). */
  suppressed: boolean;
}

export interface Target {
  rule: Compiled;
  /** Index of the matched reference in `rule.rule.rules`. */
  ref: number;
}

/** One detection match or upstream hit, as a rule's windows see it. */
export interface Observation {
  ts: bigint;
  seq: number;
  ruleId: string;
  ruleName: string | undefined;
  ids: readonly string[];
  read: (field: string) => ResolvedValue;
}

export interface CompiledSet {
  rules: Compiled[];
  /** Detection rule id or name → the rules that reference it, in rule order. */
  byRef: Map<string, Target[]>;
  /** References used by some correlation, and those used by one with `generate: true`. */
  referenced: Set<string>;
  generated: Set<string>;
}

/** Compile linked rules; `schedule` receives the close-decided windows' deadlines. */
export function compileCorrelations(
  rules: readonly CorrelationRule[],
  options: CorrelationEngineOptions,
  counters: WindowCounters,
  schedule: (record: CloseRecord) => void,
): CompiledSet {
  const set: CompiledSet = { rules: [], byRef: new Map(), referenced: new Set(), generated: new Set() };
  const keys = new Set<string>();
  for (const rule of rules) {
    const base = rule.id ?? rule.name ?? `title:${rule.title}`;
    let stateKey = base;
    for (let n = 2; keys.has(stateKey); n++) stateKey = `${base}#${n}`;
    keys.add(stateKey);
    const index = set.rules.length;
    const windows = new RuleWindows(
      {
        kind: KINDS[rule.type],
        mode: modeOf(rule),
        spanNs: rule.timespanNs,
        refCount: rule.rules.length,
        percentile: rule.condition.percentile ?? 50,
        check: compileCheck(rule),
        maxEntriesPerGroup: options.maxEntriesPerGroup,
        schedule: (deadlineNs, key, version) => schedule({ deadlineNs, version, rule: index, key }),
      },
      counters,
    );
    set.rules.push({
      index,
      rule,
      windows,
      stateKey,
      signature: JSON.stringify([rule.type, rule.rules, rule.groupBy, rule.timespanNs.toString(), rule.condition, rule.aliases]),
      groupFields: rule.rules.map((ref) => rule.groupBy.map((name) => aliasFor(rule, name, ref))),
      valueFields: rule.rules.map((ref) => rule.condition.fields.map((name) => aliasFor(rule, name, ref))),
      downstream: [],
      suppressed: false,
    });
    warnIfUnreachable(rule, options);
  }

  // References: to correlations (chains), or else to detection rules
  const owners = new Map<string, Compiled>();
  for (const c of set.rules) {
    if (c.rule.id !== undefined) owners.set(c.rule.id, c);
    if (c.rule.name !== undefined) owners.set(c.rule.name, c);
  }
  for (const c of set.rules) {
    c.rule.rules.forEach((ref, refIndex) => {
      set.referenced.add(ref);
      if (c.rule.generate) set.generated.add(ref);
      const upstream = owners.get(ref);
      let list = upstream?.downstream ?? set.byRef.get(ref);
      if (list === undefined) set.byRef.set(ref, (list = []));
      addTarget(list, { rule: c, ref: refIndex });
    });
  }
  for (const c of set.rules) c.suppressed = isSuppressed(set, c.rule.id ?? '', c.rule.name);
  return set;
}

/** Referenced by some correlation, and by none with `generate: true`. */
export function isSuppressed(set: CompiledSet, ruleId: string, ruleName?: string): boolean {
  const referenced = set.referenced.has(ruleId) || (ruleName !== undefined && set.referenced.has(ruleName));
  const generated = set.generated.has(ruleId) || (ruleName !== undefined && set.generated.has(ruleName));
  return referenced && !generated;
}

/** The rules a detection match feeds, each once (by its first matching reference), in rule order. */
export function targetsOf(set: CompiledSet, ruleId: string, ruleName: string | undefined): readonly Target[] {
  const byId = set.byRef.get(ruleId) ?? NO_TARGETS;
  const byName = ruleName === undefined || ruleName === ruleId ? NO_TARGETS : set.byRef.get(ruleName) ?? NO_TARGETS;
  if (byName.length === 0) return byId;
  if (byId.length === 0) return byName;
  const merged: Target[] = [];
  for (const target of [...byId, ...byName].sort((a, b) => a.rule.index - b.rule.index || a.ref - b.ref)) addTarget(merged, target);
  return merged;
}

/** What one observation adds to one rule: group key combinations and values, or why nothing. */
export type Reading =
  | { skip: 'group' | 'value' }
  | { skip?: undefined; groups: string[][]; fanOutCapped: boolean; values: (string | number | undefined)[] };

export function readObservation(target: Target, observation: Observation, maxFanOut: number): Reading {
  const { rule, ref } = target;
  const { groupBy, condition } = rule.rule;

  // Group-by values, aliases resolved for the matched rule
  const perField: string[][] = [];
  for (let i = 0; i < groupBy.length; i++) {
    const field = rule.groupFields[ref]?.[i] ?? runtimeAlias(rule.rule, groupBy[i] as string, observation);
    const values = texts(observation.read(field));
    if (values.length === 0) return { skip: 'group' };
    perField.push(values);
  }
  const groups = combinations(perField, maxFanOut);

  // The condition's field: distinct keys (value_count) or numbers (value_sum/avg/percentile)
  let values: (string | number | undefined)[] = [undefined];
  const fields = (rule.valueFields[ref] ?? []).map((field, i) => field ?? runtimeAlias(rule.rule, condition.fields[i] as string, observation));
  if (rule.windows.spec.kind === 'distinct') {
    const tuples = combinations(fields.map((field) => texts(observation.read(field))), maxFanOut).items;
    values = tuples.map((tuple) => (tuple.length === 1 ? (tuple[0] as string) : JSON.stringify(tuple)));
  } else if (fields.length > 0) {
    values = numbers(observation.read(fields[0] as string));
  }
  if (values.length === 0) return { skip: 'value' };
  return { groups: groups.items, fanOutCapped: groups.truncated, values };
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

const NO_TARGETS: readonly Target[] = Object.freeze([]) as readonly Target[];

const KINDS: Readonly<Record<CorrelationType, AggregateKind>> = Object.freeze({
  event_count: 'count',
  value_count: 'distinct',
  value_sum: 'sum',
  value_avg: 'avg',
  value_percentile: 'percentile',
  temporal: 'temporal',
  temporal_ordered: 'temporal_ordered',
});

/** Aggregates that only grow as a window fills (sums assume non-negative values, like bytes). */
const GROWING: readonly CorrelationType[] = ['event_count', 'value_count', 'value_sum', 'temporal', 'temporal_ordered'];

/** A growing aggregate under an upper bound can only be judged once its window is over. */
function modeOf(rule: CorrelationRule): WindowMode {
  const bounded = rule.condition.predicates.some((p) => p.op !== 'gt' && p.op !== 'gte');
  return bounded && GROWING.includes(rule.type) ? 'close' : 'arrival';
}

function compileCheck(rule: CorrelationRule): (value: number) => boolean {
  const checks = rule.condition.predicates.map(({ op, value: limit }): ((v: number) => boolean) => {
    switch (op) {
      case 'gt': return (v) => v > limit;
      case 'gte': return (v) => v >= limit;
      case 'lt': return (v) => v < limit;
      case 'lte': return (v) => v <= limit;
      case 'eq': return (v) => v === limit;
      case 'neq': return (v) => v !== limit;
    }
  });
  return (value) => !Number.isNaN(value) && checks.every((check) => check(value));
}

function warnIfUnreachable(rule: CorrelationRule, options: CorrelationEngineOptions): void {
  if (rule.type !== 'event_count' && rule.type !== 'value_count') return;
  const { maxEntriesPerGroup } = options;
  const needs = Math.max(...rule.condition.predicates.map((p) => (p.op === 'gt' ? p.value + 1 : p.op === 'gte' || p.op === 'eq' ? p.value : 0)));
  if (needs <= maxEntriesPerGroup) return;
  options.onWarning({
    code: 'CORRELATION_THRESHOLD_UNREACHABLE',
    setting: 'maxEntriesPerGroup',
    message: `Correlation rule "${rule.title}" needs ${needs} events in one group but a group holds at most ` +
      `${maxEntriesPerGroup}; raise maxEntriesPerGroup or the rule can never fire.`,
  });
}

/** The field behind `name` for events of reference `ref`; undefined when only the match can tell. */
function aliasFor(rule: CorrelationRule, name: string, ref: string): string | undefined {
  const alias = rule.aliases[name];
  if (alias === undefined) return name;
  return alias[ref];
}

/** An alias keyed by the matched rule's other identifier (referenced by id, aliased by name). */
function runtimeAlias(rule: CorrelationRule, name: string, observation: Observation): string {
  const alias = rule.aliases[name] ?? {};
  return (observation.ruleName !== undefined ? alias[observation.ruleName] : undefined) ?? alias[observation.ruleId] ?? name;
}

function addTarget(list: Target[], target: Target): void {
  if (!list.some((t) => t.rule === target.rule)) list.push(target);
}

/** Field values as distinct non-empty texts; null and '' count as absent. */
function texts(value: ResolvedValue): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return value === '' ? [] : [String(value)];
  const out: string[] = [];
  for (const item of value) {
    if (item === null || item === '') continue;
    const text = String(item);
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

const NUMERIC = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Field values as finite numbers; numeric text counts, anything else is skipped. */
function numbers(value: ResolvedValue): number[] {
  const out: number[] = [];
  for (const item of Array.isArray(value) ? value : [value]) {
    const n = typeof item === 'number' ? item : typeof item === 'string' && NUMERIC.test(item.trim()) ? Number(item) : Number.NaN;
    if (Number.isFinite(n)) out.push(n);
  }
  return out;
}

/** Every combination of one value per list, in order, at most `limit`. */
function combinations(lists: readonly string[][], limit: number): { items: string[][]; truncated: boolean } {
  let items: string[][] = [[]];
  let truncated = false;
  for (const list of lists) {
    const next: string[][] = [];
    for (const prefix of items) {
      for (const value of list) {
        if (next.length === limit) {
          truncated = true;
          break;
        }
        next.push([...prefix, value]);
      }
    }
    items = next;
  }
  return { items, truncated };
}
