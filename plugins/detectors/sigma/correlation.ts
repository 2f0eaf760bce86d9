/**
 * The Sigma correlation engine: stateful, it wraps the stateless detection engine. Per detection
 * match:
 *   1. Time is the event's `timestampNs`. The watermark is the newest event time seen; an event
 *      older than the watermark minus `lateToleranceNs` is late and dropped (counted), so replaying
 *      old logs in order correlates exactly as live input did. No wall clock anywhere.
 *   2. When the watermark moves, windows decided at close whose end has passed are decided, and
 *      idle groups are expired.
 *   3. Every correlation rule that references the matched rule (by id or name) files the event in
 *      its group (the `group-by` values, with `aliases` resolved for the matched rule) and checks
 *      its condition (`correlation-window.ts`).
 *   4. Each hit feeds the correlation rules that reference its rule (chained correlations), with
 *      the hit's group-by values as its fields and the moment it held as its time.
 *
 * When a rule is decided: `event_count`, `value_count`, `value_sum` and the temporal types only
 * grow while events arrive, so a condition of only `gt`/`gte` is checked on each arrival over the
 * sliding window ending there and fires as soon as it holds. With `lt`, `lte`, `eq` or `neq` the
 * answer is only known once the window is over: the window opens at the group's first event and
 * is checked once event time passes its end (or on `closeAll()` at the end of input).
 * `value_avg` and `value_percentile` always use the sliding window at each arrival. A hit
 * consumes its group: the next hit needs new events.
 *
 * Memory is bounded by `maxStateEntries` entries across all groups: expired state goes first, then
 * the least recently active groups down to 90 %, with a warning naming the setting. Each group
 * holds at most `maxEntriesPerGroup` entries. Same input, same output: no randomness, no clock,
 * only insertion-ordered maps.
 *
 * Follows the Sigma correlation rules specification 2.1.0; the engine shape (compile, then a
 * stateful wrapper fed in order, explicit time and memory) follows rsigma's CorrelationEngine.
 */
import type { SeerflowEvent } from '../../../main/core/event.js';
import {
  compileCorrelations,
  isSuppressed,
  readObservation,
  targetsOf,
  type Compiled,
  type CompiledSet,
  type Observation,
  type Target,
} from './correlation-compile.js';
import { linkCorrelationRules } from './correlation-link.js';
import { CorrelationOptionError, resolveOptions, type CorrelationEngineOptions } from './correlation-options.js';
import type { CorrelationRule } from './correlation-parser.js';
import {
  CORRELATION_STATE_VERSION,
  CorrelationStateError,
  checkSnapshot,
  type CorrelationSnapshot,
  type SavedRule,
} from './correlation-state.js';
import { CloseQueue, lastNs, type WindowCounters, type WindowEntry, type WindowGroup, type WindowHit } from './correlation-window.js';
import type { CompiledRule } from './engine.js';

export {
  CORRELATION_DEFAULTS,
  CorrelationOptionError,
  type CorrelationEngineOptions,
  type CorrelationWarning,
  type FieldReader,
} from './correlation-options.js';
export { CorrelationStateError, CORRELATION_STATE_VERSION, type CorrelationSnapshot } from './correlation-state.js';

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

/** A detection match as the correlation engine needs it; see {@link fromRuleMatch}. */
export interface CorrelationInput {
  ruleId: string;
  ruleName?: string;
  event: SeerflowEvent;
}

export interface CorrelationHit {
  rule: CorrelationRule;
  /** group-by name (as written, aliases included) → value as text; empty without group-by. */
  group: Readonly<Record<string, string>>;
  /**
   * What the condition was checked against: the event count, distinct values, sum, average or
   * percentile, or for the temporal types how many referenced rules were seen (in order).
   */
  value: number;
  /** Contributing event ids, oldest first: the newest `maxEventIdsPerHit` of the window. */
  eventIds: string[];
  /** Observations in the window (events, or upstream hits), including those beyond `eventIds`. */
  eventCount: number;
  /** Event times of the window's first and last observation, ns. */
  firstNs: bigint;
  lastNs: bigint;
  /** Event time the hit belongs to: the triggering event's, or the window's end for rules decided at close. */
  atNs: bigint;
  /** True when the rule only feeds other correlations (referenced with `generate: false`): no alert. */
  suppressed: boolean;
}

export interface CorrelationStats {
  watermarkNs: bigint | undefined;
  stateEntries: number;
  groups: number;
  /** Windows waiting for their close (close-decided rules). */
  pendingCloses: number;
  hits: number;
  /** Events dropped for arriving later than the tolerance. */
  lateDropped: number;
  /** Observations without a value for a group-by field. */
  noGroupValue: number;
  /** Observations without a usable value for the condition's field. */
  noFieldValue: number;
  /** Observations that had more group combinations than `maxFanOut`. */
  fanOutCapped: number;
  /** Entries dropped by `maxEntriesPerGroup`. */
  groupCapDrops: number;
  /** Entries dropped by `maxStateEntries` (after expiry). */
  stateCapDrops: number;
}

/** The input for a detection engine `RuleMatch` (`engine.ts`); only the rule's id and name are read. */
export function fromRuleMatch(match: { rule: Pick<CompiledRule, 'id' | 'name'>; event: SeerflowEvent }): CorrelationInput {
  const { id, name } = match.rule;
  return name === undefined ? { ruleId: id, event: match.event } : { ruleId: id, ruleName: name, event: match.event };
}

export class CorrelationEngine {
  readonly options: Readonly<CorrelationEngineOptions>;
  readonly #compiled: CompiledSet;
  readonly #rules: readonly Compiled[];
  readonly #closes = new CloseQueue();
  readonly #counters: WindowCounters = { entries: 0, groupCapDrops: 0, nextVersion: 1 };
  readonly #stats = { hits: 0, lateDropped: 0, noGroupValue: 0, noFieldValue: 0, fanOutCapped: 0, stateCapDrops: 0 };
  #watermark: bigint | undefined;
  /** Watermark minus the tolerance: no accepted event is older. Kept to spare a bigint per event. */
  #horizon: bigint | undefined;
  /** Idle groups are expired at most once per EXPIRY_STEP_NS of event time. */
  #nextExpiryNs = 0n;
  #seq = 0;

  /**
   * @param rules - parsed correlation rules that pass `linkCorrelationRules` (ids and names unique,
   *   no cycles); detection rules are referenced by the ids and names of the matches passed later.
   * @param options - `fieldOf` is required; the rest default to {@link CORRELATION_DEFAULTS}.
   * @throws CorrelationOptionError for an option out of range or a rule set that does not link.
   */
  constructor(rules: readonly CorrelationRule[], options: Partial<CorrelationEngineOptions> & Pick<CorrelationEngineOptions, 'fieldOf'>) {
    this.options = Object.freeze(resolveOptions(options));
    const linked = linkCorrelationRules(rules);
    const [problem] = linked.errors;
    if (problem !== undefined) {
      throw new CorrelationOptionError('rules', `${problem.message}; pass the rules kept by linkCorrelationRules`);
    }
    this.#compiled = compileCorrelations(rules, this.options, this.#counters, (record) => this.#closes.push(record));
    this.#rules = this.#compiled.rules;
  }

  /**
   * An engine with the state `snapshot()` saved, for the given rules and options. State of a rule
   * that is gone or changed (type, references, grouping, timespan, condition, aliases) is skipped
   * with a warning.
   * @throws CorrelationStateError for an unknown version or a malformed state, naming the field.
   */
  static restore(
    snapshot: unknown,
    rules: readonly CorrelationRule[],
    options: Partial<CorrelationEngineOptions> & Pick<CorrelationEngineOptions, 'fieldOf'>,
  ): CorrelationEngine {
    const checked = checkSnapshot(snapshot);
    const engine = new CorrelationEngine(rules, options);
    engine.#load(checked);
    return engine;
  }

  /** Newest event time seen, ns; undefined before the first. */
  get watermarkNs(): bigint | undefined {
    return this.#watermark;
  }

  /**
   * File one detection match and return the hits it completes, chained hits right after the hit
   * that fed them; windows that closed because the event moved time forward come first.
   */
  process(input: CorrelationInput): CorrelationHit[] {
    const ts = input.event.timestampNs;
    if (this.#horizon !== undefined && ts < this.#horizon) {
      this.#stats.lateDropped += 1;
      return [];
    }
    const out = this.#moveTo(ts);
    const targets = targetsOf(this.#compiled, input.ruleId, input.ruleName);
    if (targets.length > 0) {
      const { fieldOf } = this.options;
      const { event } = input;
      const observation: Observation = {
        ts,
        seq: this.#seq++,
        ruleId: input.ruleId,
        ruleName: input.ruleName,
        ids: [event.eventId],
        read: (field) => fieldOf(event, field),
      };
      this.#feed(observation, targets, out);
    }
    this.#enforceCap();
    return out;
  }

  /**
   * Move event time to `timeNs` without a match (an event no rule matched, or an idle tick the
   * caller derives), deciding the windows that closed. Earlier times are ignored.
   */
  advance(timeNs: bigint): CorrelationHit[] {
    const out = this.#moveTo(timeNs);
    this.#enforceCap(); // chained rules may have grown
    return out;
  }

  /**
   * End of input: decide every window waiting for its close now, as if time had passed its end.
   * Sliding windows are unaffected (they were decided on arrival).
   */
  closeAll(): CorrelationHit[] {
    const out: CorrelationHit[] = [];
    this.#closeWhile(() => true, out);
    this.#enforceCap();
    return out;
  }

  /**
   * Whether the detection engine should hold back a rule's own alerts: true when some correlation
   * references it (by id or name) and none of those sets `generate: true`. Works for correlation
   * rules too (their hits carry it as `suppressed`).
   */
  suppressGenerated(ruleId: string, ruleName?: string): boolean {
    return isSuppressed(this.#compiled, ruleId, ruleName);
  }

  stats(): CorrelationStats {
    let groups = 0;
    for (const rule of this.#rules) groups += rule.windows.groups.size;
    return {
      watermarkNs: this.#watermark,
      stateEntries: this.#counters.entries,
      groups,
      pendingCloses: this.#rules.reduce((n, r) => n + (r.windows.spec.mode === 'close' ? r.windows.groups.size : 0), 0),
      groupCapDrops: this.#counters.groupCapDrops,
      ...this.#stats,
    };
  }

  /** The state as plain JSON; rebuild with {@link CorrelationEngine.restore}. */
  snapshot(): CorrelationSnapshot {
    return {
      version: CORRELATION_STATE_VERSION,
      watermarkNs: this.#watermark === undefined ? null : this.#watermark.toString(),
      seq: this.#seq,
      rules: this.#rules
        .filter((rule) => rule.windows.groups.size > 0)
        .map((rule) => ({
          key: rule.stateKey,
          signature: rule.signature,
          groups: [...rule.windows.groups.values()].map((group) => ({
            key: group.key,
            values: { ...group.values },
            entries: group.entries.map((e) => [e.ts.toString(), e.seq, e.ref, e.value ?? null, [...e.ids]]),
          })),
        })),
    };
  }

  // ── Per observation ──

  /** Observe in each target, then feed every hit to the rules chained on it, depth first. */
  #feed(observation: Observation, targets: readonly Target[], out: CorrelationHit[]): void {
    for (const target of targets) {
      for (const hit of this.#observe(target, observation)) this.#emit(target.rule, hit, out);
    }
  }

  #emit(rule: Compiled, windowHit: WindowHit, out: CorrelationHit[]): void {
    const hit = this.#toHit(rule, windowHit);
    out.push(hit);
    this.#stats.hits += 1;
    if (rule.downstream.length === 0) return;
    const observation: Observation = {
      ts: hit.atNs,
      seq: this.#seq++,
      ruleId: rule.rule.id ?? '',
      ruleName: rule.rule.name,
      ids: hit.eventIds,
      read: (field) => hit.group[field],
    };
    this.#feed(observation, rule.downstream, out);
  }

  #observe(target: Target, observation: Observation): WindowHit[] {
    const reading = readObservation(target, observation, this.options.maxFanOut);
    if (reading.skip === 'group') this.#stats.noGroupValue += 1;
    if (reading.skip === 'value') this.#stats.noFieldValue += 1;
    if (reading.skip !== undefined) return [];
    if (reading.fanOutCapped) this.#stats.fanOutCapped += 1;

    const { rule, ref } = target;
    const { groupBy } = rule.rule;
    const trimBeforeNs = (this.#horizon as bigint) - rule.rule.timespanNs;
    const hits: WindowHit[] = [];
    for (const combo of reading.groups) {
      const entries: WindowEntry[] = reading.values.map((value) => ({ ts: observation.ts, seq: observation.seq, ref, value, ids: observation.ids }));
      const named: Record<string, string> = {};
      groupBy.forEach((name, i) => (named[name] = combo[i] as string));
      const hit = rule.windows.observe(JSON.stringify(combo), named, entries, trimBeforeNs);
      if (hit !== undefined) hits.push(hit);
    }
    return hits;
  }

  #toHit(rule: Compiled, { group, value, window, atNs }: WindowHit): CorrelationHit {
    const ids: string[] = [];
    const seen = new Set<string>();
    const observations = new Set<number>();
    for (let i = window.length - 1; i >= 0; i--) {
      const entry = window[i] as WindowEntry;
      observations.add(entry.seq);
      for (let k = entry.ids.length - 1; k >= 0 && ids.length < this.options.maxEventIdsPerHit; k--) {
        const id = entry.ids[k] as string;
        if (!seen.has(id)) {
          seen.add(id);
          ids.push(id);
        }
      }
    }
    return {
      rule: rule.rule,
      group: { ...group.values },
      value,
      eventIds: ids.reverse(),
      eventCount: observations.size,
      firstNs: (window[0] as WindowEntry).ts,
      lastNs: (window[window.length - 1] as WindowEntry).ts,
      atNs,
      suppressed: rule.suppressed,
    };
  }

  // ── Time and memory ──

  /** Advance the watermark; decide closed windows and expire idle groups. */
  #moveTo(timeNs: bigint): CorrelationHit[] {
    const out: CorrelationHit[] = [];
    if (this.#watermark !== undefined && timeNs <= this.#watermark) return out;
    this.#watermark = timeNs;
    const horizon = timeNs - this.options.lateToleranceNs;
    this.#horizon = horizon;
    this.#closeWhile((deadlineNs) => deadlineNs < horizon, out);
    if (timeNs >= this.#nextExpiryNs) {
      // Reclaiming memory only: no decision depends on when idle groups go
      this.#nextExpiryNs = timeNs + EXPIRY_STEP_NS;
      for (const rule of this.#rules) {
        if (rule.windows.spec.mode === 'arrival') rule.windows.expireIdle(horizon - rule.rule.timespanNs);
      }
    }
    return out;
  }

  #closeWhile(due: (deadlineNs: bigint) => boolean, out: CorrelationHit[]): void {
    for (let next = this.#closes.peek(); next !== undefined && due(next.deadlineNs); next = this.#closes.peek()) {
      this.#closes.pop();
      const rule = this.#rules[next.rule] as Compiled;
      const hit = rule.windows.close(next.key, next.version);
      if (hit !== undefined) this.#emit(rule, hit, out);
    }
  }

  /** Past `maxStateEntries`: expire old entries everywhere, then drop least recently active groups to 90 %. */
  #enforceCap(): void {
    const { maxStateEntries } = this.options;
    const horizon = this.#horizon;
    if (this.#counters.entries <= maxStateEntries || horizon === undefined) return;
    for (const rule of this.#rules) {
      if (rule.windows.spec.mode !== 'arrival') continue;
      for (const group of [...rule.windows.groups.values()]) rule.windows.trim(group, horizon - rule.rule.timespanNs);
    }
    if (this.#counters.entries <= maxStateEntries) return;

    const target = Math.floor(maxStateEntries * 0.9);
    const candidates: { rule: Compiled; group: WindowGroup }[] = [];
    for (const rule of this.#rules) for (const group of rule.windows.groups.values()) candidates.push({ rule, group });
    candidates.sort((a, b) => compareBigint(lastNs(a.group), lastNs(b.group))); // stable: ties stay in rule, then map order
    let groups = 0;
    let entries = 0;
    for (const { rule, group } of candidates) {
      if (this.#counters.entries <= target) break;
      entries += group.entries.length;
      groups += 1;
      rule.windows.drop(group);
    }
    this.#stats.stateCapDrops += entries;
    this.options.onWarning({
      code: 'CORRELATION_STATE_CAP',
      setting: 'maxStateEntries',
      message: `Correlation state reached maxStateEntries (${maxStateEntries}) with nothing left to expire; dropped the ` +
        `${groups} least recently active groups (${entries} entries), losing their partial windows. Raise maxStateEntries ` +
        'if this repeats.',
    });
  }

  #load(state: CorrelationSnapshot): void {
    const byKey = new Map(this.#rules.map((rule) => [rule.stateKey, rule]));
    for (const saved of state.rules) {
      const rule = byKey.get(saved.key);
      if (rule === undefined || rule.signature !== saved.signature) {
        this.options.onWarning({
          code: 'CORRELATION_STATE_SKIPPED',
          message: `Saved correlation state for "${saved.key}" skipped: the rule is ${rule === undefined ? 'gone' : 'changed'}.`,
        });
        continue;
      }
      this.#loadRule(rule, saved);
    }
    this.#watermark = state.watermarkNs === null ? undefined : BigInt(state.watermarkNs);
    this.#horizon = this.#watermark === undefined ? undefined : this.#watermark - this.options.lateToleranceNs;
    let seq = state.seq;
    for (const rule of this.#rules) {
      for (const group of rule.windows.groups.values()) for (const entry of group.entries) seq = Math.max(seq, entry.seq + 1);
    }
    this.#seq = seq;
    this.#enforceCap();
  }

  #loadRule(rule: Compiled, saved: SavedRule): void {
    const at = `rules[${saved.key}]`;
    const kind = rule.windows.spec.kind;
    const valueType = kind === 'distinct' ? 'string' : rule.rule.condition.fields.length > 0 ? 'number' : 'object';
    const keys = new Set<string>();
    const checked = saved.groups.map((group, g) => {
      if (keys.has(group.key)) throw new CorrelationStateError('CORRELATION_STATE_INVALID', `${at}.groups[${g}].key`, 'the group appears twice');
      keys.add(group.key);
      const entries = group.entries.map(([ts, seq, ref, value, ids], e): WindowEntry => {
        const where = `${at}.groups[${g}].entries[${e}]`;
        if (ref >= rule.rule.rules.length) throw new CorrelationStateError('CORRELATION_STATE_INVALID', `${where}[2]`, 'reference out of range');
        if (typeof value !== valueType) {
          throw new CorrelationStateError('CORRELATION_STATE_INVALID', `${where}[3]`, `a ${rule.rule.type} entry holds ${valueType === 'object' ? 'null' : `a ${valueType}`}`);
        }
        return { ts: BigInt(ts), seq, ref, value: value ?? undefined, ids };
      });
      return { group, entries };
    });
    for (const { group, entries } of checked) rule.windows.load(group.key, group.values, entries);
  }
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

/** How often, in event time, idle groups are looked for: 1 s. */
const EXPIRY_STEP_NS = 1_000_000_000n;

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
