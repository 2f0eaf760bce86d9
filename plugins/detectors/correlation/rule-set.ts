/**
 * Correlation rules compiled for the hot path (reference §7.1, with windows on event time).
 *
 * Each event is matched against every rule source once, when it arrives (`match`): the window
 * then holds only which sources each event matched, so evaluating a rule is a count over small
 * entries rather than a regex pass over the window (the original re-ran every regex on every
 * window event, for every event). A rule is evaluated for an entity when the event just added
 * matched one of its sources; it fires when at least `min_sources` sources are satisfied within
 * `[t − window_seconds, t]`.
 */
import type { EntityType, SeerflowEvent } from '../../../main/core/event.js';
import { compileRegex, type CompiledRegex } from '../sigma/regex.js';
import { anyOfLiterals } from './literal-prefilter.js';
import type { ConditionField, CorrelationRule, RuleSource } from './rule-schema.js';
import type { WindowEntry } from './window-buffer.js';

interface CompiledCondition {
  field: ConditionField;
  regex: CompiledRegex;
}

interface CompiledSource {
  spec: RuleSource;
  rule: number;
  /** Indexes into the rule set's distinct conditions. */
  conditions: number[];
}

export interface CompiledRule {
  spec: CorrelationRule;
  windowMs: number;
  /** Global index of its first source; its sources are contiguous. */
  firstSource: number;
}

/** Which sources an event matched, with each one's `distinct` value. */
export interface SourceMatch {
  sources: number[];
  keys: string[];
  /** Indexes of the rules those sources belong to, without repeats. */
  rules: number[];
}

export interface RuleHit {
  rule: CompiledRule;
  /** Ids of the events that satisfied the rule's sources, oldest first (the newest MAX_CONTRIBUTING). */
  contributing: string[];
  /** Matching events per source within the window (at least; see `evaluate`). */
  counts: number[];
  /** Distinct values per source (0 for a source without `distinct`). */
  distinct: number[];
  satisfied: number;
}

export const MAX_CONTRIBUTING = 100;

/** The original's Python inline flag `(?i)` becomes RE2's flag; alternations get a literal prefilter. */
function compileCondition(pattern: string): CompiledRegex {
  const ignoreCase = pattern.startsWith('(?i)');
  const source = ignoreCase ? pattern.slice(4) : pattern;
  const regex = compileRegex(source, { ignoreCase, multiline: false, dotAll: false });
  const literals = anyOfLiterals(source);
  if (!literals) return regex;
  return {
    ...regex,
    test: (text, lower) => {
      for (const literal of literals) if (lower.includes(literal)) return regex.test(text, lower);
      return false;
    },
  };
}

const RELATED: Partial<Record<ConditionField, EntityType>> = {
  related_ips: 'ip',
  related_users: 'user',
  related_hosts: 'host',
};

function scalarField(event: SeerflowEvent, field: ConditionField): string | undefined {
  switch (field) {
    case 'message':
      return event.message;
    case 'source_type':
      return event.sourceType;
    case 'source_id':
      return event.sourceId;
    case 'template_str':
      return event.templateStr;
    case 'severity_id':
      return String(event.severity);
    case 'app':
      return event.app;
    case 'host':
      return event.host;
    default:
      return undefined;
  }
}

/** True when `field` (any element of a tuple field) matches; `lowerMessage` is the message lower-cased. */
function testField(event: SeerflowEvent, condition: CompiledCondition, lowerMessage: string): boolean {
  if (condition.field === 'message') return condition.regex.test(event.message, lowerMessage);
  const scalar = scalarField(event, condition.field);
  if (scalar !== undefined) return condition.regex.test(scalar, scalar.toLowerCase());
  const type = RELATED[condition.field];
  for (const entity of event.entities) {
    if (type !== undefined && entity.type !== type) continue;
    const value = type === undefined ? entity.id : entity.value;
    if (condition.regex.test(value, value.toLowerCase())) return true;
  }
  return false;
}

/** A field's value as one string (tuple fields: their values joined), for `distinct`. */
function fieldKey(event: SeerflowEvent, field: ConditionField): string {
  const scalar = scalarField(event, field);
  if (scalar !== undefined) return scalar;
  const type = RELATED[field];
  const values: string[] = [];
  for (const entity of event.entities) if (type === undefined || entity.type === type) values.push(type === undefined ? entity.id : entity.value);
  return values.join(',');
}

/** True when the times are at regular intervals: coefficient of variation of the gaps ≤ maxJitter. */
export function isPeriodic(timesMs: number[], minIntervals: number, maxJitter: number): boolean {
  if (timesMs.length < minIntervals + 1) return false;
  timesMs.sort((a, b) => a - b);
  const n = timesMs.length - 1;
  const mean = (timesMs[n]! - timesMs[0]!) / n;
  if (mean <= 0) return false;
  let squares = 0;
  for (let i = 1; i <= n; i++) squares += (timesMs[i]! - timesMs[i - 1]! - mean) ** 2;
  return Math.sqrt(squares / n) / mean <= maxJitter;
}

export class RuleSet {
  readonly rules: CompiledRule[] = [];
  readonly #sources: CompiledSource[] = [];
  /** Distinct (field, pattern) conditions: a pattern shared by several rules runs once per event. */
  readonly #conditions: CompiledCondition[] = [];
  /** Per condition, this event's result: 0 unknown, 1 match, 2 no match. */
  readonly #results: Uint8Array;
  #lowerMessage: string | null = null;
  /** The longest rule window: how much event time the entity windows must keep. */
  readonly maxWindowMs: number;

  /** Compiles the rules; throws Error naming the rule and pattern when a regex is invalid. */
  constructor(rules: readonly CorrelationRule[]) {
    const byKey = new Map<string, number>();
    for (const spec of rules) {
      const index = this.rules.length;
      this.rules.push({ spec, windowMs: spec.windowSeconds * 1000, firstSource: this.#sources.length });
      for (const source of spec.sources) {
        const conditions = Object.entries(source.conditions).map(([field, pattern]) => {
          const key = `${field}\u0000${pattern}`;
          let id = byKey.get(key);
          if (id === undefined) {
            try {
              this.#conditions.push({ field: field as ConditionField, regex: compileCondition(pattern) });
            } catch (error) {
              throw new Error(`${spec.file}: rule ${spec.name}: condition ${field}: ${(error as Error).message}`);
            }
            byKey.set(key, (id = this.#conditions.length - 1));
          }
          return id;
        });
        this.#sources.push({ spec: source, rule: index, conditions });
      }
    }
    this.#results = new Uint8Array(this.#conditions.length);
    this.maxWindowMs = Math.max(0, ...this.rules.map((r) => r.windowMs));
  }

  get size(): number {
    return this.rules.length;
  }

  /** The sources `event` satisfies, or null when none (the common case: the event is not kept). */
  match(event: SeerflowEvent): SourceMatch | null {
    let found: SourceMatch | null = null;
    this.#results.fill(0);
    this.#lowerMessage = null;
    for (let i = 0; i < this.#sources.length; i++) {
      const source = this.#sources[i]!;
      if (source.spec.sourceType !== null && source.spec.sourceType !== event.sourceType) continue;
      if (!source.conditions.every((id) => this.#test(event, id))) continue;
      found ??= { sources: [], keys: [], rules: [] };
      found.sources.push(i);
      found.keys.push(source.spec.distinct ? fieldKey(event, source.spec.distinct) : '');
      if (!found.rules.includes(source.rule)) found.rules.push(source.rule);
    }
    return found;
  }

  /**
   * Evaluates rule `index` over an entity's window ending at `nowMs`: the hit, or null.
   *
   * Scans newest first and stops at the first entry older than the window by more than
   * `disorderMs` (the watermark's tolerance): an entry was only added when it was at most that
   * far behind every entry before it, so everything earlier is outside the window too. Without a
   * periodic source it also stops once every source is satisfied (counts are then lower bounds).
   */
  evaluate(index: number, entries: readonly WindowEntry[], nowMs: number, disorderMs: number): RuleHit | null {
    const rule = this.rules[index]!;
    const specs = rule.spec.sources;
    const from = nowMs - rule.windowMs;
    const counts = specs.map(() => 0);
    const distinct = specs.map((s) => (s.distinct ? new Set<string>() : null));
    const times = specs.map((s) => (s.periodic ? ([] as number[]) : null));
    // Sources whose count (and distinct count) are reached; periodic ones are judged at the end.
    const reached = new Uint8Array(specs.length);
    let reachedCount = 0;
    const canStop = specs.every((s) => !s.periodic);
    const picked: number[] = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (entry.tMs < from - disorderMs) break;
      if (entry.tMs < from || entry.tMs > nowMs) continue;
      let used = false;
      for (let k = 0; k < entry.sources.length; k++) {
        const local = entry.sources[k]! - rule.firstSource;
        if (local < 0 || local >= specs.length) continue;
        used = true;
        counts[local]!++;
        if (entry.keys[k]) distinct[local]?.add(entry.keys[k]!); // an event without the field adds no value
        times[local]?.push(entry.tMs);
        if (reached[local] === 0 && isSatisfied(specs[local]!, counts[local]!, distinct[local]!, null)) {
          reached[local] = 1;
          reachedCount++;
        }
      }
      if (!used) continue;
      picked.push(i);
      if (canStop && reachedCount === specs.length) break;
    }
    const ok = specs.map((spec, s) => isSatisfied(spec, counts[s]!, distinct[s]!, times[s]!));
    const satisfied = ok.filter(Boolean).length;
    if (satisfied < rule.spec.minSources) return null;
    const contributing: string[] = [];
    for (const i of picked) {
      if (contributing.length >= MAX_CONTRIBUTING) break;
      const entry = entries[i]!;
      if (entry.sources.some((g) => ok[g - rule.firstSource])) contributing.push(entry.eventId);
    }
    return { rule, contributing: contributing.reverse(), counts, distinct: distinct.map((set) => set?.size ?? 0), satisfied };
  }

  #test(event: SeerflowEvent, id: number): boolean {
    const known = this.#results[id];
    if (known !== 0) return known === 1;
    const matched = testField(event, this.#conditions[id]!, (this.#lowerMessage ??= event.message.toLowerCase()));
    this.#results[id] = matched ? 1 : 2;
    return matched;
  }
}

function isSatisfied(spec: RuleSource, count: number, distinct: Set<string> | null, times: number[] | null): boolean {
  if (count < spec.minCount) return false;
  if (spec.distinct && distinct!.size < spec.minDistinct) return false;
  return !spec.periodic || (times !== null && isPeriodic(times, spec.periodic.minIntervals, spec.periodic.maxJitter));
}
