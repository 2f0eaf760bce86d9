/**
 * Natural-language hunts (`POST /hunt`, `seerflow hunt`). A question that names an entity is
 * answered without the model: that entity's events and alerts over the window the question
 * names (last 24 h by default), also when the LLM is disabled. Otherwise the model translates
 * the question into a `HuntFilter` under a JSON-schema grammar (translations cached by question,
 * `llm.hunt_cache_*`), each key is validated, and the filter runs as a normal query on the
 * events and alerts repositories; the response shows the filter beside the results.
 */
import { alertToJson, type Alert } from '../../main/core/alert.js';
import { eventToJson } from '../../main/core/event-json.js';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { AlertsRepository } from '../../main/storage/alerts-repository.js';
import type { EntitiesRepository } from '../../main/storage/entities-repository.js';
import type { EventsRepository } from '../../main/storage/events-repository.js';
import type { LlmEngine } from './engine.js';
import { findEntityInQuestion, type NamedEntity } from './entity-question.js';
import {
  EMPTY_FILTER,
  filterToJson,
  HUNT_FILTER_SCHEMA,
  rangeInWords,
  validateFilter,
  type HuntFilter,
  type ModelFilter,
  type Rejected,
} from './hunt-filter.js';
import { isoOf } from './prompt-budget.js';
import { TtlCache } from './ttl-cache.js';

/** The repositories' page cap. */
const MAX_PAGE = 1000;

const SYSTEM = 'You turn security questions into log search filters. Answer with JSON only.';

export interface HuntResponse {
  query: string;
  /** `entity`: the deterministic entity lookup; `model`: a filter the model wrote. */
  mode: 'entity' | 'model';
  filters: Record<string, unknown>;
  /** Keys of the model's filter that failed validation and were dropped. */
  rejected: Rejected[];
  entity: { entity_uuid: string; entity_type: string | null; entity_value: string; stored: boolean } | null;
  events: Array<Record<string, unknown>>;
  total: number;
  alerts: Array<Record<string, unknown>>;
  total_alerts: number;
  model: string | null;
  generated_at_ns: string;
  latency_ms: number;
  cached: boolean;
  truncated: boolean;
}

export interface HuntsDeps {
  engine: LlmEngine;
  events: EventsRepository;
  alerts: AlertsRepository;
  entities: EntitiesRepository;
  config: LlmConfig;
  clock: () => bigint;
}

function huntPrompt(question: string, nowNs: bigint): string {
  return (
    `Now: ${isoOf(nowNs)}\n` +
    'Fill the filter: last (15m,1h,6h,24h,7d,30d) or since/until (ISO-8601), source (syslog, file, otlp_http, webhook…), ' +
    'severity_min (0 trace … 3 warning, 4 error, 5 critical, 6 fatal), entity (IP, host or user), text (words the log ' +
    'message contains), alert_types (ml, sigma, correlation, ueba, ioc), tactic (ATT&CK, e.g. credential_access). ' +
    'null when the question does not say.\n' +
    'Example: "errors on web01 in the last 6 hours" -> {"last":"6h","severity_min":4,"entity":"web01",...}\n' +
    `Question: ${question}\n`
  );
}

export class Hunts {
  readonly #deps: HuntsDeps;
  readonly #translations: TtlCache<string, ModelFilter>;

  constructor(deps: HuntsDeps) {
    this.#deps = deps;
    this.#translations = TtlCache.onClockNs(deps.config.hunt_cache_size, deps.config.hunt_cache_ttl_s, deps.clock);
  }

  /** Answer `question` (already trimmed, non-empty, within `hunt_max_query_chars`); throws `LlmError`. */
  async hunt(question: string): Promise<HuntResponse> {
    const { engine, entities, clock } = this.#deps;
    const started = performance.now();
    const named = await findEntityInQuestion(question, entities);
    if (named) {
      const raw: ModelFilter = { ...EMPTY_FILTER, last: rangeInWords(question), entity: named.entityId };
      const { filter } = validateFilter(raw, clock());
      return this.#answer(question, 'entity', filter, [], named, { model: null, started, cached: false });
    }
    engine.assertReady();
    const key = question.replace(/\s+/g, ' ').toLowerCase();
    let raw = this.#translations.get(key);
    const cached = raw !== undefined;
    if (!raw) {
      const generated = await engine.generate<ModelFilter>({
        name: 'hunt_filter',
        system: SYSTEM,
        prompt: huntPrompt(question, clock()),
        schema: HUNT_FILTER_SCHEMA,
        timeoutMs: this.#deps.config.hunt_timeout_s * 1000,
      maxTokens: this.#deps.config.max_tokens_default,
      });
      raw = generated.value;
      this.#translations.set(key, raw);
    }
    const { filter, rejected } = validateFilter(raw, clock());
    return this.#answer(question, 'model', filter, rejected, null, { model: engine.model, started, cached });
  }

  async #answer(
    question: string,
    mode: HuntResponse['mode'],
    filter: HuntFilter,
    rejected: Rejected[],
    named: NamedEntity | null,
    meta: { model: string | null; started: number; cached: boolean },
  ): Promise<HuntResponse> {
    const { events, alerts } = await this.#run(filter);
    return {
      query: question,
      mode,
      filters: filterToJson(filter),
      rejected,
      entity: named && { entity_uuid: named.entityId, entity_type: named.entityType, entity_value: named.value, stored: named.stored },
      events: events.items.map(eventToJson),
      total: events.total,
      alerts: alerts.items.map(alertToJson),
      total_alerts: alerts.total,
      model: meta.model,
      generated_at_ns: this.#deps.clock().toString(),
      latency_ms: Math.round(performance.now() - meta.started),
      cached: meta.cached,
      truncated: events.total > events.items.length || alerts.total > alerts.items.length,
    };
  }

  /** The filter as a normal event search and alert search (one per alert type asked for). */
  async #run(filter: HuntFilter) {
    const limit = Math.min(this.#deps.config.hunt_max_results, MAX_PAGE);
    const window = { sinceNs: filter.sinceNs, untilNs: filter.untilNs, severityMin: filter.severityMin, entity: filter.entity };
    const events = await this.#deps.events.query({ ...window, source: filter.source, q: filter.text, page: 1, limit });
    const types = filter.alertTypes.length > 0 ? filter.alertTypes : [undefined];
    const pages = await Promise.all(types.map((type) => this.#deps.alerts.query({ ...window, type, tactic: filter.tactic, page: 1, limit })));
    const items: Alert[] = pages
      .flatMap((page) => page.items)
      .sort((a, b) => (a.timestampNs > b.timestampNs ? -1 : a.timestampNs < b.timestampNs ? 1 : 0))
      .slice(0, limit);
    return { events, alerts: { items, total: pages.reduce((sum, page) => sum + page.total, 0) } };
  }
}
