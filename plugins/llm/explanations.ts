/**
 * Alert explanations (`POST /alerts/{id}/explain`, `GET /alerts/{id}/explanation`): context from
 * the alert, its stored contributing events (the newest `llm.explanation_max_contributing_events`)
 * and the entity's UEBA baseline when the ueba plugin offers one, within the prompt budget;
 * cached per alert (`llm.explanation_cache_size`, `_ttl_s`). The cache-only read never calls the
 * model; concurrent requests for one alert share one generation.
 */
import type { Alert } from '../../main/core/alert.js';
import type { SeerflowEvent } from '../../main/core/event.js';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { EventsRepository } from '../../main/storage/events-repository.js';
import type { LlmEngine } from './engine.js';
import { EXPLAIN_SYSTEM, EXPLANATION_SCHEMA, explainPrompt, explanationMarkdown, type ExplanationFields } from './explain-prompt.js';
import { TtlCache } from './ttl-cache.js';

/** The entity's baseline as text for the prompt, or undefined when there is none. */
export type BaselineSource = (entityId: string) => Promise<string | undefined>;

export interface Explanation extends ExplanationFields {
  alert_id: string;
  markdown: string;
  contributing_events: Array<{ event_id: string; timestamp_ns: string; source_type: string; message: string }>;
  model: string;
  generated_at_ns: string;
  latency_ms: number;
  cached: boolean;
  truncated: boolean;
}

export interface ExplanationsDeps {
  engine: LlmEngine;
  events: EventsRepository;
  baseline: BaselineSource;
  config: LlmConfig;
  clock: () => bigint;
}

export class Explanations {
  readonly #deps: ExplanationsDeps;
  readonly #cache: TtlCache<string, Explanation>;
  readonly #inFlight = new Map<string, Promise<Explanation>>();

  constructor(deps: ExplanationsDeps) {
    this.#deps = deps;
    this.#cache = TtlCache.onClockNs(deps.config.explanation_cache_size, deps.config.explanation_cache_ttl_s, deps.clock);
  }

  /**
   * The cached explanation (`cached: true, latency_ms: 0`), or undefined; never calls the model.
   * Throws `not_ready` on a miss while the LLM is not ready (nothing could have been cached).
   */
  cached(alertId: string): Explanation | undefined {
    const hit = this.#cache.get(alertId);
    if (!hit) {
      this.#deps.engine.assertReady();
      return undefined;
    }
    return { ...hit, cached: true, latency_ms: 0 };
  }

  /** The cached explanation, else a new one (throws `LlmError`). */
  async explain(alert: Alert): Promise<Explanation> {
    const hit = this.cached(alert.alertId);
    if (hit) return hit;
    let pending = this.#inFlight.get(alert.alertId);
    if (!pending) {
      pending = this.#generate(alert).finally(() => this.#inFlight.delete(alert.alertId));
      this.#inFlight.set(alert.alertId, pending);
    }
    return pending;
  }

  async #generate(alert: Alert): Promise<Explanation> {
    const { engine, config, clock } = this.#deps;
    const events = await this.#contributing(alert);
    const baseline = alert.entityId ? await this.#deps.baseline(alert.entityId) : undefined;
    const { prompt, truncated, used } = explainPrompt(alert, events, baseline, config.explanation_max_prompt_chars);
    const generated = await engine.generate<ExplanationFields>({
      name: 'explanation',
      system: EXPLAIN_SYSTEM,
      prompt,
      schema: EXPLANATION_SCHEMA,
      timeoutMs: config.explanation_timeout_s * 1000,
      maxTokens: config.explanation_max_tokens,
    });
    const fields = generated.value;
    const explanation: Explanation = {
      alert_id: alert.alertId,
      ...fields,
      markdown: explanationMarkdown(fields),
      contributing_events: used.map((e) => ({
        event_id: e.eventId,
        timestamp_ns: e.timestampNs.toString(),
        source_type: e.sourceType,
        message: e.message,
      })),
      model: generated.model,
      generated_at_ns: clock().toString(),
      latency_ms: generated.latencyMs,
      cached: false,
      truncated,
    };
    this.#cache.set(alert.alertId, explanation);
    return explanation;
  }

  /** The newest stored contributing events, oldest first. */
  async #contributing(alert: Alert): Promise<SeerflowEvent[]> {
    const ids = alert.contributingEventIds.slice(-this.#deps.config.explanation_max_contributing_events);
    const found = await Promise.all(ids.map((id) => this.#deps.events.get(id)));
    return found.filter((e): e is SeerflowEvent => e !== undefined).sort((a, b) => (a.timestampNs < b.timestampNs ? -1 : a.timestampNs > b.timestampNs ? 1 : 0));
  }
}
