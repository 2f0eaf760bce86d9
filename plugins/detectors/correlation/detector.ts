/**
 * The `correlation` detector, registered after every other detector: on each event it
 * 1. advances the event-time watermark; a late event is kept out of the windows (counted);
 * 2. matches the event against the correlation rules' sources once, appends it to the window of
 *    each entity a matched rule is about, and evaluates those rules there;
 * 3. adds the event's typed edges to the entity graph; a new edge between communities is a
 *    structural finding;
 * 4. feeds every alert raised on this event (by the detectors before it and by itself) to the
 *    risk register and the kill-chain tracker, which may raise their own alerts;
 * 5. every `graphAlgoInterval` events, and no sooner than `graphAlgoMinIntervalMs` of event time
 *    after the last run, snapshots the graph and runs the algorithms off the hot path, in slices
 *    handed to `defer`; their findings go to `onDeferredAlerts`.
 * Never throws from `process` (a failure is counted); all state is bounded.
 */
import type { Alert } from '../../../main/core/alert.js';
import type { Detector } from '../../../main/core/detector.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import { isInternalAddress } from './address-scope.js';
import {
  KILL_CHAIN_RULE,
  killChainAlert,
  RISK_RULE,
  riskAlert,
  ruleAlert,
  structuralAlert,
  type AlertOrigin,
} from './correlation-alerts.js';
import type { EntityKey } from './entity.js';
import { EntityGraph, type GraphState } from './entity-graph.js';
import { analyzeGraph, type GraphMetrics } from './graph-algorithms.js';
import { GraphStructure, type StructuralFinding, type StructuralOptions, type StructureState } from './graph-structural.js';
import { evictOver, touch } from './lru.js';
import { KillChainTracker, type KillChainOptions, type KillChainState } from './kill-chain.js';
import { RiskRegister, riskPoints, type RiskOptions, type RiskState } from './risk-register.js';
import type { RuleSet } from './rule-set.js';
import { EntityWindowBuffer } from './window-buffer.js';
import { Watermark } from './watermark.js';

export const STATE_KEYS = {
  risk: 'correlation:risk',
  killChain: 'correlation:kill_chain',
  graph: 'correlation:graph',
  structure: 'correlation:graph_structure',
} as const;

export interface CorrelationState {
  risk?: RiskState;
  killChain?: KillChainState;
  graph?: GraphState;
  structure?: StructureState;
}

export interface CorrelationDetectorOptions {
  window: { minRetentionMs: number; maxEventsPerEntity: number; maxEntities: number; lateToleranceMs: number };
  risk: RiskOptions & { halfLifeHours: number };
  killChain: KillChainOptions & { enabled: boolean };
  structure: StructuralOptions;
  graphAlgoInterval: number;
  graphAlgoMinIntervalMs: number;
  maxGraphEdges: number;
  /** Runs a slice of deferred work later (the plugin passes `setImmediate`). */
  defer: (step: () => void) => void;
  /** Receives the alerts of a graph run (and the risk and kill-chain alerts they cause). */
  onDeferredAlerts: (alerts: Alert[]) => void;
}

/** Edges the graph keeps at most. */
export const DEFAULT_MAX_GRAPH_EDGES = 50_000;

const NO_ALERTS: Alert[] = [];
const TOP_RANKED = 5;

export class CorrelationDetector implements Detector {
  readonly name = 'correlation';
  readonly #options: CorrelationDetectorOptions;
  #rules: RuleSet;
  #windows: EntityWindowBuffer;
  #ruleTypes: Set<string>;
  readonly #watermark: Watermark;
  readonly #risk: RiskRegister;
  readonly #killChain: KillChainTracker;
  readonly #graph: EntityGraph;
  readonly #structure: GraphStructure;
  #analysis: { run: Generator<void, GraphMetrics>; atNs: bigint; started: number } | null = null;
  #lastMetrics: GraphMetrics | null = null;
  #analyzedVersion = -1;
  #lastAnalysisMs = -Infinity;
  #events = 0;
  #failures = 0;
  #dirty = false;
  #snapshotRequested = false;
  /**
   * When each rule last fired for each entity (event time): a rule fires again for the same
   * entity only once its window has rolled over, so a long attack gives one alert per window
   * rather than one per event (the original re-fired on every event and left it to the store's
   * dedup). Bounded like the windows.
   */
  #lastFired = new Map<string, number>();
  readonly #stats = { rule_alerts: 0, rule_repeats_held: 0, risk_alerts: 0, kill_chain_alerts: 0, graph_alerts: 0, graph_runs: 0, graph_runs_skipped: 0, graph_runs_unchanged: 0, last_run_ms: 0 };

  constructor(rules: RuleSet, options: CorrelationDetectorOptions, state: CorrelationState = {}) {
    this.#options = options;
    this.#rules = rules;
    this.#windows = this.#newWindows(rules);
    this.#ruleTypes = new Set(rules.rules.map((r) => r.spec.entityType));
    this.#watermark = new Watermark(options.window.lateToleranceMs);
    this.#risk = new RiskRegister(options.risk, state.risk);
    this.#killChain = new KillChainTracker(options.killChain, state.killChain);
    this.#graph = new EntityGraph(options.maxGraphEdges, state.graph);
    this.#structure = new GraphStructure(options.structure, state.structure);
  }

  /** Replaces the rules (a reload); the windows start empty, since they index the old rules' sources. */
  swapRules(rules: RuleSet): void {
    this.#rules = rules;
    this.#windows = this.#newWindows(rules);
    this.#ruleTypes = new Set(rules.rules.map((r) => r.spec.entityType));
    this.#lastFired = new Map();
  }

  process(event: SeerflowEvent, raised: readonly Alert[]): Alert[] {
    try {
      return this.#process(event, raised);
    } catch {
      this.#failures++;
      return NO_ALERTS;
    }
  }

  /** Risk register, kill-chain state and graph, when a snapshot was requested and something changed. */
  flush(): Array<{ key: string; data: string }> {
    if (!this.#snapshotRequested || !this.#dirty) return [];
    this.#snapshotRequested = false;
    this.#dirty = false;
    return [
      { key: STATE_KEYS.risk, data: JSON.stringify(this.#risk.toState()) },
      { key: STATE_KEYS.killChain, data: JSON.stringify(this.#killChain.toState()) },
      { key: STATE_KEYS.graph, data: JSON.stringify(this.#graph.toState()) },
      { key: STATE_KEYS.structure, data: JSON.stringify(this.#structure.toState()) },
    ];
  }

  /** Asks for the state to ride the writer's next commit. */
  requestSnapshot(): void {
    this.#snapshotRequested = true;
  }

  /** Runs a pending graph analysis to the end at once (tests, shutdown). */
  finishAnalysis(): void {
    while (this.#analysis) this.#step();
  }

  /** The entity's decayed risk points at event time `tMs`. */
  riskOf(entityId: string, tMs: number): number {
    return this.#risk.scoreAt(entityId, tMs);
  }

  health(): ComponentHealth {
    const failures = this.#failures > 0 ? `, ${this.#failures} events failed (see /stats)` : '';
    return { status: 'ok', detail: `${this.#rules.size} rules, ${this.#graph.vertexCount} graph entities${failures}` };
  }

  /** The `correlation` section of `/stats`. */
  stats(): Record<string, unknown> {
    const metrics = this.#lastMetrics;
    const ranked = metrics
      ? [...metrics.pagerank.keys()]
          .sort((a, b) => metrics.pagerank[b]! - metrics.pagerank[a]!)
          .slice(0, TOP_RANKED)
          .map((v) => ({ ...metrics.graph.vertices[v]!, pagerank: Math.round(metrics.pagerank[v]! * 1e6) / 1e6 }))
      : [];
    const watermark = this.#watermark.currentMs;
    return {
      rules: this.#rules.size,
      events: this.#events,
      late_events: this.#watermark.lateCount,
      failures: this.#failures,
      watermark_ns: Number.isFinite(watermark) ? (BigInt(watermark) * 1_000_000n).toString() : null,
      windows: { entities: this.#windows.entityCount, evicted_entities: this.#windows.evictedEntities, dropped_entries: this.#windows.droppedEntries },
      alerts: { rule: this.#stats.rule_alerts, rule_repeats_held: this.#stats.rule_repeats_held, risk: this.#stats.risk_alerts, kill_chain: this.#stats.kill_chain_alerts, graph: this.#stats.graph_alerts },
      risk: { entities: this.#risk.entityCount, crossings: this.#risk.crossings, evicted: this.#risk.evicted },
      kill_chain: { entities: this.#killChain.entityCount, progressions: this.#killChain.progressions, evicted: this.#killChain.evicted },
      graph: {
        vertices: this.#graph.vertexCount,
        edges: this.#graph.edgeCount,
        evicted_edges: this.#graph.evicted,
        communities: this.#structure.communityCount,
        runs: this.#stats.graph_runs,
        runs_skipped: this.#stats.graph_runs_skipped,
        runs_unchanged: this.#stats.graph_runs_unchanged,
        last_run_ms: this.#stats.last_run_ms,
        top_pagerank: ranked,
      },
    };
  }

  #newWindows(rules: RuleSet): EntityWindowBuffer {
    const w = this.#options.window;
    return new EntityWindowBuffer({
      retentionMs: Math.max(w.minRetentionMs, rules.maxWindowMs),
      maxEventsPerEntity: w.maxEventsPerEntity,
      maxEntities: w.maxEntities,
    });
  }

  #process(event: SeerflowEvent, raised: readonly Alert[]): Alert[] {
    this.#events++;
    const tMs = Number(event.timestampNs / 1_000_000n);
    const late = this.#watermark.observe(tMs);
    const origin: AlertOrigin = { timestampNs: event.timestampNs, sourceType: event.sourceType, sourceId: event.sourceId };
    let out: Alert[] = NO_ALERTS;
    const emit = (alert: Alert) => (out === NO_ALERTS ? (out = [alert]) : out.push(alert));

    if (!late) for (const alert of this.#evaluateRules(event, tMs, origin)) emit(alert);
    const created = this.#graph.addEvent(event, tMs);
    if (created.length > 0) {
      this.#dirty = true;
      for (const finding of this.#structure.crossings(created, (id) => this.#graph.vertex(id))) emit(this.#structural(origin, finding));
    }
    const fed = out.length;
    for (const alert of raised) for (const derived of this.#feed(alert, tMs, event.eventId, origin)) emit(derived);
    for (let i = 0; i < fed; i++) for (const derived of this.#feed(out[i]!, tMs, event.eventId, origin)) emit(derived);

    if (this.#events % this.#options.graphAlgoInterval === 0 && tMs - this.#lastAnalysisMs >= this.#options.graphAlgoMinIntervalMs) {
      this.#startAnalysis(event.timestampNs, tMs);
    }
    return out;
  }

  #evaluateRules(event: SeerflowEvent, tMs: number, origin: AlertOrigin): Alert[] {
    if (this.#rules.size === 0) return NO_ALERTS;
    const match = this.#rules.match(event);
    if (!match) return NO_ALERTS;
    const alerts: Alert[] = [];
    const entry = { tMs, eventId: event.eventId, sources: match.sources, keys: match.keys };
    const seen = new Set<string>();
    for (const entity of event.entities) {
      if (!this.#ruleTypes.has(entity.type) || seen.has(entity.id)) continue;
      seen.add(entity.id);
      this.#windows.add(entity.id, entry, this.#watermark.currentMs);
      const entries = this.#windows.entries(entity.id);
      for (const index of match.rules) {
        const compiled = this.#rules.rules[index]!;
        const rule = compiled.spec;
        if (rule.entityType !== entity.type) continue;
        if (rule.entityScope === 'external' && isInternalAddress(entity.value)) continue;
        const key = `${index}:${entity.id}`;
        const last = this.#lastFired.get(key);
        if (last !== undefined && tMs - last < compiled.windowMs) {
          this.#stats.rule_repeats_held++;
          continue;
        }
        const hit = this.#rules.evaluate(index, entries, tMs, this.#options.window.lateToleranceMs);
        if (!hit) continue;
        touch(this.#lastFired, key, tMs);
        evictOver(this.#lastFired, this.#options.window.maxEntities);
        this.#stats.rule_alerts++;
        alerts.push(ruleAlert(origin, entity, hit));
      }
    }
    return alerts;
  }

  /** Risk points and kill-chain tactics of one alert; the alerts they raise in turn. */
  #feed(alert: Alert, tMs: number, eventId: string, origin: AlertOrigin): Alert[] {
    if (!alert.entityId || (alert.alertType === 'correlation' && (alert.ruleName === RISK_RULE || alert.ruleName === KILL_CHAIN_RULE))) {
      return NO_ALERTS;
    }
    const entity: EntityKey = { id: alert.entityId, type: alert.entityType, value: alert.entityValue };
    let derived: Alert[] = NO_ALERTS;
    const crossing = this.#risk.add(entity, riskPoints(alert), tMs, alert.ruleName);
    this.#dirty = true;
    if (crossing) {
      this.#stats.risk_alerts++;
      derived = [riskAlert(origin, crossing, this.#options.risk.threshold, this.#options.risk.halfLifeHours)];
    }
    if (this.#options.killChain.enabled && alert.tactics.length > 0) {
      const progression = this.#killChain.observe(entity, alert.tactics, alert.alertId, eventId, tMs);
      if (progression) {
        this.#stats.kill_chain_alerts++;
        const chain = killChainAlert(origin, progression, this.#options.killChain.windowMs / 1000);
        derived = derived === NO_ALERTS ? [chain] : [...derived, chain];
      }
    }
    return derived;
  }

  #structural(origin: AlertOrigin, finding: StructuralFinding): Alert {
    this.#stats.graph_alerts++;
    return structuralAlert(origin, finding, this.#options.structure.betweennessThreshold);
  }

  /**
   * Starts a run unless one is still going (skipped, counted) or the graph's shape has not
   * changed since the last run (unchanged: the results would be the same, so no run and no new
   * fan-out history sample; only edge counts and times moved).
   */
  #startAnalysis(atNs: bigint, tMs: number): void {
    if (this.#analysis) {
      this.#stats.graph_runs_skipped++;
      return;
    }
    if (this.#graph.version === this.#analyzedVersion) {
      this.#stats.graph_runs_unchanged++;
      return;
    }
    this.#analyzedVersion = this.#graph.version;
    this.#lastAnalysisMs = tMs;
    this.#analysis = { run: analyzeGraph(this.#graph.snapshot()), atNs, started: performance.now() };
    this.#options.defer(() => this.#step());
  }

  /** One slice of the running analysis; on completion, its findings and the alerts they cause. */
  #step(): void {
    const analysis = this.#analysis;
    if (!analysis) return;
    try {
      const next = analysis.run.next();
      if (!next.done) {
        this.#options.defer(() => this.#step());
        return;
      }
      this.#analysis = null;
      this.#lastMetrics = next.value;
      this.#stats.graph_runs++;
      this.#stats.last_run_ms = Math.round((performance.now() - analysis.started) * 10) / 10;
      this.#dirty = true;
      const origin: AlertOrigin = { timestampNs: analysis.atNs, sourceType: 'correlation', sourceId: 'entity-graph' };
      const tMs = Number(analysis.atNs / 1_000_000n);
      const alerts = this.#structure.afterRun(next.value).map((finding) => this.#structural(origin, finding));
      const derived = alerts.flatMap((alert) => this.#feed(alert, tMs, '', origin));
      if (alerts.length + derived.length > 0) this.#options.onDeferredAlerts([...alerts, ...derived]);
    } catch {
      this.#analysis = null;
      this.#failures++;
    }
  }
}
