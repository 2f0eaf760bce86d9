/**
 * Keeps the rules enabled here in step with the other appliances sharing a PostgreSQL store
 * (README "Scaling out"): every `detection.sigma_state_sync_interval_s` seconds it reads the
 * `sigma_rule_state` rows written since its last poll and applies their `enabled` to the engine
 * and to the service's state map, so a toggle made through any appliance's API reaches them all.
 * Not used with SQLite, whose one file has one appliance.
 *
 * Appliances' clocks differ: each poll re-reads the rows of the last `OVERLAP_NS` before the
 * previous poll began, and applying a row twice changes nothing. That re-read also repairs the
 * one race: a poll that read a row just before a toggle here committed undoes it here until the
 * next poll. A poll never throws: a store that is away is logged once per outage and tried again
 * at the next interval.
 */
import type { Logger } from 'pino';
import type { ClockNs } from '../../../main/core/clock.js';
import type { RuleState, RuleToggle, SigmaRulesRepository } from '../../../main/storage/sigma-rules-repository.js';
import type { SigmaEngine } from './engine.js';

/** How far before the previous poll each poll reads again (clock differences between appliances). */
export const OVERLAP_NS = 60_000_000_000n;

/**
 * Applies stored toggles to `engine` and `state`; rules the engine lacks are only recorded in
 * `state`, which the next rule reload applies.
 * @returns the ids of the loaded rules whose enabled state changed
 */
export function applyToggles(toggles: readonly RuleToggle[], engine: SigmaEngine, state: Map<string, RuleState>): string[] {
  const changed: string[] = [];
  for (const { ruleId, enabled } of toggles) {
    const saved = state.get(ruleId);
    if (saved?.enabled !== enabled) state.set(ruleId, saved ? { ...saved, enabled } : { ruleId, enabled, matchCount: 0, lastFiredNs: null });
    if (engine.isEnabled(ruleId) !== enabled && engine.setEnabled(ruleId, enabled)) changed.push(ruleId);
  }
  return changed;
}

export interface RuleStateSyncDeps {
  rules: Pick<SigmaRulesRepository, 'togglesSince'>;
  /** The current pack's engine (a reload swaps it). */
  engine: () => SigmaEngine;
  /** The service's state map, shared, not copied. */
  state: Map<string, RuleState>;
  clock: ClockNs;
  intervalMs: number;
  logger: Pick<Logger, 'info' | 'warn'>;
}

export class RuleStateSync {
  readonly #deps: RuleStateSyncDeps;
  /** The first poll reads every row: toggles made between loading the state and now count too. */
  #sinceNs = 0n;
  #isFailing = false;
  #isStopped = false;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;

  constructor(deps: RuleStateSyncDeps) {
    this.#deps = deps;
  }

  /** Polls every interval until `stop`; the next poll is timed from the end of the last, so polls never overlap. */
  start(): void {
    this.#timer = setTimeout(() => {
      this.#polling = this.poll().finally(() => {
        this.#polling = undefined;
        if (!this.#isStopped) this.start();
      });
    }, this.#deps.intervalMs);
    this.#timer.unref();
  }

  /** Stops polling; resolves once a poll under way has finished (before the store closes). */
  async stop(): Promise<void> {
    this.#isStopped = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }

  /** One poll; never throws. */
  async poll(): Promise<void> {
    const { rules, engine, state, clock, logger } = this.#deps;
    const startedNs = clock();
    try {
      const changed = applyToggles(await rules.togglesSince(this.#sinceNs), engine(), state);
      this.#sinceNs = startedNs - OVERLAP_NS;
      if (this.#isFailing) logger.info('Sigma rule state sync: the store answers again');
      this.#isFailing = false;
      if (changed.length > 0) logger.info({ rules: changed }, 'Sigma rules enabled or disabled on another appliance applied');
    } catch (error) {
      if (!this.#isFailing) {
        logger.warn({ err: (error as Error).message }, `Sigma rule state sync failed; retrying every ${this.#deps.intervalMs / 1000} s`);
      }
      this.#isFailing = true;
    }
  }
}
