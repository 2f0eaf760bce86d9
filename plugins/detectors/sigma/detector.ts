/**
 * The Sigma detector on the pipeline: each event goes through the detection engine, its matches
 * through the correlation engine (on event time), and both become alerts, except detection rules
 * whose correlations say `generate: false`. Per-rule match counts are kept as deltas for the
 * plugin to persist; the correlation state is snapshotted at most every `snapshotEveryNs` of
 * event time (and at shutdown) so a restart keeps open windows.
 */
import type { Alert } from '../../../main/core/alert.js';
import type { Detector } from '../../../main/core/detector.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import type { RuleDelta } from '../../../main/storage/sigma-rules-repository.js';
import { CorrelationEngine, fromRuleMatch } from './correlation.js';
import type { CorrelationEngineOptions } from './correlation-options.js';
import { fieldValue } from './field-mapping.js';
import type { SigmaPack } from './pack.js';
import { alertForCorrelation, alertForMatch } from './sigma-alerts.js';

export const CORRELATION_STATE_KEY = 'sigma:correlation';

export interface SigmaDetectorOptions {
  correlation: Partial<Omit<CorrelationEngineOptions, 'fieldOf'>>;
  onWarning: (message: string) => void;
}

export class SigmaDetector implements Detector {
  readonly name = 'sigma';
  readonly #options: SigmaDetectorOptions;
  #pack: SigmaPack;
  #correlation: CorrelationEngine;
  #deltas = new Map<string, RuleDelta>();
  #snapshotDue = false;

  constructor(pack: SigmaPack, options: SigmaDetectorOptions, savedState?: unknown) {
    this.#options = options;
    this.#pack = pack;
    this.#correlation = this.#correlationFor(pack, savedState);
  }

  get pack(): SigmaPack {
    return this.#pack;
  }

  /** Use a reloaded pack; open correlation windows carry over where the rules still exist. */
  swap(pack: SigmaPack): void {
    const state = this.#correlation.snapshot();
    this.#pack = pack;
    this.#correlation = this.#correlationFor(pack, state);
  }

  process(event: SeerflowEvent): Alert[] {
    const alerts: Alert[] = [];
    const correlation = this.#correlation;
    for (const match of this.#pack.engine.match(event)) {
      const { rule } = match;
      this.#count(rule.id, event.timestampNs);
      if (!correlation.suppressGenerated(rule.id, rule.name)) {
        alerts.push(alertForMatch(rule, event, this.#pack.origins.get(rule.id) ?? 'dir'));
      }
      for (const hit of correlation.process(fromRuleMatch(match))) {
        if (!hit.suppressed) alerts.push(alertForCorrelation(hit, event));
      }
    }
    // Windows decided at their end (lt, eq… conditions) close as event time passes.
    for (const hit of correlation.advance(event.timestampNs)) {
      if (!hit.suppressed) alerts.push(alertForCorrelation(hit, event));
    }
    return alerts;
  }

  /** Matches of a rule not yet taken by `takeDeltas` (read-only). */
  pending(ruleId: string): Readonly<RuleDelta> | undefined {
    return this.#deltas.get(ruleId);
  }

  /** Counts since the last call, per rule id (the plugin persists them). */
  takeDeltas(): Map<string, RuleDelta> {
    const deltas = this.#deltas;
    this.#deltas = new Map();
    return deltas;
  }

  /** Ask for the correlation state with the next commit. */
  requestSnapshot(): void {
    this.#snapshotDue = true;
  }

  flush(): Array<{ key: string; data: string }> {
    if (!this.#snapshotDue) return [];
    this.#snapshotDue = false;
    return [{ key: CORRELATION_STATE_KEY, data: JSON.stringify(this.#correlation.snapshot()) }];
  }

  health(): ComponentHealth {
    const engine = this.#pack.engine.health();
    const problems = this.#pack.problems.length;
    return {
      status: 'ok',
      detail: `${engine.enabledRules}/${engine.rules} rules enabled, ${this.#pack.correlations.length} correlations${problems ? `, ${problems} rules failed to load` : ''}`,
    };
  }

  #count(ruleId: string, timestampNs: bigint): void {
    const delta = this.#deltas.get(ruleId);
    if (delta) {
      delta.matches++;
      if (timestampNs > delta.lastFiredNs) delta.lastFiredNs = timestampNs;
    } else {
      this.#deltas.set(ruleId, { matches: 1, lastFiredNs: timestampNs });
    }
  }

  #correlationFor(pack: SigmaPack, state: unknown): CorrelationEngine {
    const options = { ...this.#options.correlation, fieldOf: fieldValue };
    if (state !== undefined) {
      try {
        return CorrelationEngine.restore(state, pack.correlations, options);
      } catch (error) {
        this.#options.onWarning(`correlation state not restored (${(error as Error).message}); windows start empty`);
      }
    }
    return new CorrelationEngine(pack.correlations, options);
  }
}
