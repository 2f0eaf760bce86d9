/**
 * The Sigma detection engine: holds compiled rules and filters, and matches events.
 *
 * Per event: (1) the event's logsource picks its table: the candidate rules, their field
 * resolvers and their literal prefilters, built once per distinct logsource (prepare() builds
 * them ahead) and cached, up to MAX_CACHED_LOGSOURCES; (2) the prefilters scan the texts those
 * rules read and drop the rules whose required literals are missing; (3) the remaining rules'
 * matchers run, then any filters that tune them. Synchronous and allocation-light: no regex is
 * built, no configuration read and nothing awaited per event. Rules are added, removed, enabled
 * and disabled by id; the tables are rebuilt on the next event after a change.
 *
 * Quick start:
 *   const engine = new SigmaEngine();
 *   const { errors } = engine.load(yamlText, 'rules/whoami.yml');
 *   for (const { rule } of engine.match(event)) console.log(rule.title);
 *
 * Stateless across events: correlation (counts over time) is a separate engine fed with the
 * RuleMatch values returned here.
 */
import type { Logsource, SeerflowEvent } from '../../../main/core/event.js';
import type { CompileOptions, CompiledRule, ExecutableRule } from './compiler.js';
import { SigmaError } from './errors.js';
import { EventView, FieldRegistry } from './event-view.js';
import { derivedRecord, FieldMapper, type FieldMappingRule, type FieldResolver, type ParserName } from './field-mapping.js';
import { compileFilter, filterApplies, type CompiledFilter } from './filters.js';
import { LogsourceIndex, MAX_CACHED_LOGSOURCES } from './index-by-logsource.js';
import { loadSigmaText, type LoadResult } from './loader.js';
import type { RawSigmaDocument } from './parser.js';
import { isFilterable, Prefilter } from './prefilter.js';

export type { CompiledRule, ExecutableRule } from './compiler.js';
export type { LoadResult } from './loader.js';

/** One rule that fired on one event. */
export interface RuleMatch {
  rule: CompiledRule;
  event: SeerflowEvent;
}

export interface SigmaEngineOptions extends CompileOptions {
  /** Field mappings tried before DEFAULT_FIELD_MAPPINGS. */
  fieldMappings?: readonly FieldMappingRule[];
  /** Turn the literal prefilter off (for comparison and debugging; default on). */
  prefilter?: boolean;
}

export interface SigmaEngineHealth {
  rules: number;
  enabledRules: number;
  filters: number;
  eventsMatched: number;
  matches: number;
  /** Rule evaluations the prefilter skipped. */
  prefilterSkips: number;
  /** Rule evaluations that threw (a bug); the rule is treated as not matching. */
  evaluationErrors: number;
  prefilterLiterals: number;
  prefilterStates: number;
}

interface Entry {
  rule: ExecutableRule;
  enabled: boolean;
  filters: CompiledFilter[];
}

/** What one prefilter scans: field keys (all of them when undefined), event parts, parsed records. */
interface ScanPlan {
  prefilter: Prefilter;
  keys: Set<string> | undefined;
  parts: ('message' | 'host' | 'app' | 'raw')[];
  parsers: ParserName[];
}

/** Everything the engine needs for events of one logsource, built on its first event. */
interface Table {
  entries: Entry[];
  resolvers: (FieldResolver | undefined)[];
  resolve: (slot: number) => FieldResolver;
  /** Field rules: scan only the texts their fields read. Keyword rules: scan every text. */
  fieldScan: ScanPlan | undefined;
  textScan: ScanPlan | undefined;
  /** Entries the prefilter cannot judge, always evaluated (ascending). */
  always: readonly number[];
  /** Entry index of each rule of fieldScan and of textScan, by the prefilter's numbering. */
  fieldEntries: Int32Array;
  textEntries: Int32Array;
  /** Scratch list of entry indexes to evaluate for the current event. */
  todo: number[];
}

export class SigmaEngine {
  readonly #options: SigmaEngineOptions;
  readonly #registry = new FieldRegistry();
  readonly #mapper: FieldMapper;
  readonly #entries = new Map<string, Entry>();
  readonly #index = new LogsourceIndex<Entry>();
  readonly #tables = new Map<string, Table>();
  readonly #filters: CompiledFilter[] = [];
  readonly #view = new EventView();
  #stats = { eventsMatched: 0, matches: 0, prefilterSkips: 0, evaluationErrors: 0 };

  /** Throws FieldMappingError for a malformed field mapping. */
  constructor(options: SigmaEngineOptions = {}) {
    this.#options = options;
    this.#mapper = new FieldMapper(options.fieldMappings ?? []);
  }

  // ── Loading ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Parses and compiles a YAML text without adding anything: rules, filters, raw correlation
   * and filter documents, errors and warnings. Ids already in the engine count as duplicates.
   */
  compile(text: string, file: string): LoadResult {
    return loadSigmaText(text, file, { ...this.#options, registry: this.#registry, seenIds: new Set(this.#entries.keys()) });
  }

  /** compile() then add every rule and filter that loaded. */
  load(text: string, file: string): LoadResult {
    const result = this.compile(text, file);
    for (const rule of result.rules) this.add(rule);
    for (const filter of result.filters) this.addFilter(filter);
    return result;
  }

  /** Compiles a filter document returned by compile() or load() of another engine. */
  compileFilter(document: RawSigmaDocument): CompiledFilter {
    return compileFilter(document, this.#registry, this.#options);
  }

  /**
   * Adds a rule compiled by this engine (compile() or load()). Throws when the id is taken:
   * remove the old rule first to replace it.
   */
  add(rule: ExecutableRule): void {
    if (this.#entries.has(rule.id)) throw new Error(`Sigma rule ${rule.id} is already loaded; remove it before adding it again`);
    const entry: Entry = { rule, enabled: true, filters: this.#filters.filter((filter) => filterApplies(filter, rule)) };
    this.#entries.set(rule.id, entry);
    this.#index.add(rule.logsource, entry);
    this.#changed();
  }

  /** Removes a rule; false when no rule has that id. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    this.#index.remove(entry.rule.logsource, entry);
    this.#changed();
    return true;
  }

  /** Enables or disables a rule; false when no rule has that id. */
  setEnabled(id: string, enabled: boolean): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    if (entry.enabled !== enabled) {
      entry.enabled = enabled;
      this.#changed();
    }
    return true;
  }

  enable(id: string): boolean {
    return this.setEnabled(id, true);
  }

  disable(id: string): boolean {
    return this.setEnabled(id, false);
  }

  isEnabled(id: string): boolean {
    return this.#entries.get(id)?.enabled ?? false;
  }

  get(id: string): CompiledRule | undefined {
    return this.#entries.get(id)?.rule;
  }

  /** Every loaded rule, enabled or not. */
  rules(): CompiledRule[] {
    return [...this.#entries.values()].map((entry) => entry.rule);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Adds a filter; it tunes the rules it names, loaded now or later. */
  addFilter(filter: CompiledFilter): void {
    this.#filters.push(filter);
    for (const entry of this.#entries.values()) if (filterApplies(filter, entry.rule)) entry.filters.push(filter);
    this.#changed();
  }

  /** Builds the tables for these event logsources now rather than on their first event. */
  prepare(logsources: readonly Logsource[]): void {
    for (const logsource of logsources) this.#table(logsource);
  }

  health(): SigmaEngineHealth {
    let literals = 0;
    let states = 0;
    for (const table of this.#tables.values()) {
      for (const plan of [table.fieldScan, table.textScan]) {
        literals += plan?.prefilter.automaton.literalCount ?? 0;
        states += plan?.prefilter.automaton.stateCount ?? 0;
      }
    }
    return {
      rules: this.#entries.size,
      enabledRules: [...this.#entries.values()].filter((entry) => entry.enabled).length,
      filters: this.#filters.length,
      ...this.#stats,
      prefilterLiterals: literals,
      prefilterStates: states,
    };
  }

  // ── Matching ──────────────────────────────────────────────────────────────────────────────────

  /** The enabled rules that fire on this event, in load order per logsource bucket. */
  match(event: SeerflowEvent): RuleMatch[] {
    const table = this.#table(event.logsource);
    const entries = table.entries;
    if (entries.length === 0) return [];
    const view = this.#view;
    view.reset(event, table.resolvers, table.resolve);
    const todo = this.#todo(table, view);
    this.#stats.prefilterSkips += entries.length - todo.length;
    let out: RuleMatch[] | undefined;
    for (let i = 0; i < todo.length; i++) {
      const entry = entries[todo[i] as number] as Entry;
      if (!this.#evaluate(entry, view)) continue;
      (out ??= []).push({ rule: entry.rule, event });
    }
    if (out === undefined) return [];
    this.#stats.eventsMatched++;
    this.#stats.matches += out.length;
    return out;
  }

  /** Entry indexes worth evaluating, ascending: the unjudged ones and those the prefilters let through. */
  #todo(table: Table, view: EventView): readonly number[] {
    const { fieldScan, textScan, always } = table;
    if (!fieldScan && !textScan) return always;
    const todo = table.todo;
    todo.length = 0;
    for (let i = 0; i < always.length; i++) todo.push(always[i] as number);
    if (fieldScan) {
      scan(fieldScan, view);
      const ready = fieldScan.prefilter.ready();
      for (let i = 0; i < ready.length; i++) todo.push(table.fieldEntries[ready[i] as number] as number);
    }
    if (textScan) {
      scan(textScan, view);
      const ready = textScan.prefilter.ready();
      for (let i = 0; i < ready.length; i++) todo.push(table.textEntries[ready[i] as number] as number);
    }
    // Keep load order: the three lists are each ascending; a numeric sort merges them.
    if (todo.length > always.length) todo.sort((a, b) => a - b);
    return todo;
  }

  #evaluate(entry: Entry, view: EventView): boolean {
    try {
      if (!entry.rule.program.matches(view)) return false;
      for (let f = 0; f < entry.filters.length; f++) if (!(entry.filters[f] as CompiledFilter).program.matches(view)) return false;
      return true;
    } catch {
      this.#stats.evaluationErrors++;
      return false;
    }
  }

  // ── Tables ────────────────────────────────────────────────────────────────────────────────────

  #changed(): void {
    this.#tables.clear();
  }

  #table(logsource: Logsource): Table {
    const key = `${logsource.product}\u0000${logsource.category}\u0000${logsource.service}`;
    let table = this.#tables.get(key);
    if (table) return table;
    const target: Logsource = { product: logsource.product, category: logsource.category, service: logsource.service };
    const entries = this.#index.candidates(target).filter((entry) => entry.enabled);
    const names = this.#registry.names;
    const always: number[] = [];
    const fieldRules: Entry[] = [];
    const textRules: Entry[] = [];
    const fieldEntries: number[] = [];
    const textEntries: number[] = [];
    entries.forEach((entry, i) => {
      const program = entry.rule.program;
      if (this.#options.prefilter === false || !isFilterable(program.clauses)) always.push(i);
      else if (program.keywords) {
        textRules.push(entry);
        textEntries.push(i);
      } else {
        fieldRules.push(entry);
        fieldEntries.push(i);
      }
    });
    table = {
      entries,
      resolvers: [],
      resolve: (slot) => this.#mapper.resolver(target, names[slot] as string),
      fieldScan: fieldRules.length > 0 ? this.#plan(target, fieldRules, false) : undefined,
      textScan: textRules.length > 0 ? this.#plan(target, textRules, true) : undefined,
      always,
      fieldEntries: Int32Array.from(fieldEntries),
      textEntries: Int32Array.from(textEntries),
      todo: [],
    };
    if (this.#tables.size >= MAX_CACHED_LOGSOURCES) this.#tables.clear();
    this.#tables.set(key, table);
    return table;
  }

  /** A prefilter over these rules' literals, and the texts it must scan to stay sound. */
  #plan(logsource: Logsource, rules: readonly Entry[], everything: boolean): ScanPlan {
    const prefilter = new Prefilter(rules.map((entry) => entry.rule.program.clauses));
    const keys = new Set<string>();
    const parts = new Set<ScanPlan['parts'][number]>(everything ? ['message'] : []);
    const parsers = new Set<ParserName>(everything ? this.#mapper.parsersFor(logsource) : []);
    for (const entry of rules) {
      for (const slot of entry.rule.program.slots) {
        const reads = this.#mapper.reads(logsource, this.#registry.names[slot] as string);
        for (const read of reads.keys) keys.add(read);
        for (const part of reads.parts) parts.add(part);
        for (const parser of reads.parsers) parsers.add(parser);
      }
    }
    return { prefilter, keys: everything ? undefined : keys, parts: [...parts], parsers: [...parsers] };
  }
}

/** Feeds a prefilter, lower-cased, every text its rules' fields can resolve to. */
function scan(plan: ScanPlan, view: EventView): void {
  const { prefilter, keys } = plan;
  prefilter.begin();
  const event = view.event;
  for (const part of plan.parts) {
    const text = event[part];
    if (text !== '') prefilter.scan(text.toLowerCase());
  }
  const fields = event.fields;
  for (const key in fields) {
    if (keys !== undefined && !keys.has(key)) continue;
    scanValue(prefilter, fields[key]);
  }
  for (const parser of plan.parsers) {
    const record = derivedRecord(event, view.derived, parser);
    if (record !== null) for (const key in record) scanValue(prefilter, record[key]);
  }
}

function scanValue(prefilter: Prefilter, value: unknown): void {
  if (typeof value === 'string') {
    if (value !== '') prefilter.scan(value.toLowerCase());
  } else if (typeof value === 'number' || typeof value === 'boolean') {
    prefilter.scan(String(value));
  }
}

export { SigmaError };
export type { FieldMappingRule } from './field-mapping.js';
