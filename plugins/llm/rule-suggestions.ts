/**
 * Sigma rule suggestions (FR-066, reference §12): patterns `alert_type:rule_name:entity_type`
 * with at least `llm.rule_suggestion_min_tp` true-positive verdicts (within
 * `rule_suggestion_window_days`, 0 = all time) are eligible; a suggestion drafts a rule from the
 * pattern's newest TP alerts (at most 4) and one stored contributing event each, validated by our
 * Sigma compiler and returned with the validation result and the evidence. Suggestions are cached
 * per pattern (`rule_suggestion_cache_*`); DELETE invalidates; a pattern that is no longer
 * eligible gets no suggestion, cached or not.
 */
import type { Alert } from '../../main/core/alert.js';
import type { SeerflowEvent } from '../../main/core/event.js';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { AlertsRepository } from '../../main/storage/alerts-repository.js';
import type { EventsRepository } from '../../main/storage/events-repository.js';
import type { FeedbackPattern, FeedbackPatternsRepository } from '../../main/storage/feedback-patterns.js';
import type { LlmEngine } from './engine.js';
import { validateRule } from '../detectors/sigma/uploads.js';
import { clip, fitLines, isoOf } from './prompt-budget.js';
import { draftToYaml, SIGMA_DRAFT_SCHEMA, type SigmaDraft } from './sigma-draft.js';
import { TtlCache } from './ttl-cache.js';

const SAMPLE_ALERTS = 4;
const DAY_NS = 86_400_000_000_000n;
const SYSTEM = 'You write Sigma detection rules from confirmed alerts. Answer with JSON only.';
const INSTRUCTION =
  'Draft a Sigma rule as JSON that detects this activity: title, description, level, keywords (exact substrings of ' +
  'the log messages above that identify it, without changing values), fields (field/value pairs only if the events ' +
  'carry such fields), falsepositives.\n';

export interface Suggestion {
  pattern_key: string;
  tp_count: number;
  yaml: string;
  title: string;
  logsource_key: [string, string, string];
  validation_stage: 'ok' | 'yaml' | 'schema' | 'compile';
  validation_message: string | null;
  contributing_alert_ids: string[];
  evidence: Array<{ alert_id: string; rule_name: string; entity_value: string; timestamp_ns: string; event: { event_id: string; message: string } | null }>;
  model: string;
  generated_at_ns: string;
  latency_ms: number;
  cached: boolean;
}

export interface PatternSummary {
  pattern_key: string;
  tp_count: number;
  most_recent_tp_ns: string;
  contributing_alert_ids: string[];
}

export interface RuleSuggestionsDeps {
  engine: LlmEngine;
  patterns: FeedbackPatternsRepository;
  alerts: AlertsRepository;
  events: EventsRepository;
  config: LlmConfig;
  clock: () => bigint;
}

export class RuleSuggestions {
  readonly #deps: RuleSuggestionsDeps;
  readonly #cache: TtlCache<string, Suggestion>;

  constructor(deps: RuleSuggestionsDeps) {
    this.#deps = deps;
    this.#cache = TtlCache.onClockNs(deps.config.rule_suggestion_cache_size, deps.config.rule_suggestion_cache_ttl_s, deps.clock);
  }

  /** Eligible patterns, most TPs first (throws `not_ready` unless the LLM is ready). */
  async list(): Promise<PatternSummary[]> {
    this.#deps.engine.assertReady();
    return (await this.#eligible()).map((p) => ({
      pattern_key: p.patternKey,
      tp_count: p.tpCount,
      most_recent_tp_ns: p.mostRecentTpNs.toString(),
      contributing_alert_ids: p.alertIds,
    }));
  }

  /** The pattern's suggestion, cached or drafted; undefined when the pattern is not eligible (after the readiness check). */
  async suggest(key: string): Promise<Suggestion | undefined> {
    this.#deps.engine.assertReady();
    const pattern = (await this.#eligible()).find((p) => p.patternKey === key);
    if (!pattern) {
      this.#cache.delete(key);
      return undefined;
    }
    const hit = this.#cache.get(key);
    if (hit) return { ...hit, cached: true, latency_ms: 0 };
    const suggestion = await this.#draft(pattern);
    this.#cache.set(key, suggestion);
    return suggestion;
  }

  invalidate(key: string): void {
    this.#deps.engine.assertReady();
    this.#cache.delete(key);
  }

  async #eligible(): Promise<FeedbackPattern[]> {
    const { rule_suggestion_min_tp: minTp, rule_suggestion_window_days: days } = this.#deps.config;
    return this.#deps.patterns.list({ minTp, ...(days > 0 ? { sinceNs: this.#deps.clock() - BigInt(days) * DAY_NS } : {}) });
  }

  async #draft(pattern: FeedbackPattern): Promise<Suggestion> {
    const { engine, alerts, events, config, clock } = this.#deps;
    const samples = (await Promise.all(pattern.alertIds.slice(0, SAMPLE_ALERTS).map((id) => alerts.get(id)))).filter(
      (a): a is Alert => a !== undefined,
    );
    const withEvents = await Promise.all(
      samples.map(async (alert) => ({ alert, event: alert.contributingEventIds[0] ? await events.get(alert.contributingEventIds[0]) : undefined })),
    );
    const lines = withEvents.map(({ alert, event }) => {
      const line = `- [${isoOf(alert.timestampNs)}] entity=${alert.entityType} ${clip(alert.entityValue, 128)} description=${clip(alert.description, 256)}`;
      return event ? `${line}\n  event: source=${event.sourceType} message=${clip(event.message)}` : line;
    });
    const head = `PATTERN: ${pattern.patternKey} (${pattern.tpCount} confirmed true positives)\nRULE: ${clip(pattern.ruleName)}\nALERTS:\n`;
    const { text: prompt } = fitLines(head, lines, INSTRUCTION, config.explanation_max_prompt_chars);
    const generated = await engine.generate<SigmaDraft>({
      name: 'sigma_draft',
      system: SYSTEM,
      prompt,
      schema: SIGMA_DRAFT_SCHEMA,
      timeoutMs: config.rule_suggestion_timeout_s * 1000,
      maxTokens: config.rule_suggestion_max_tokens,
    });
    const found = withEvents.map((w) => w.event).filter((e): e is SeerflowEvent => e !== undefined);
    const yaml = draftToYaml(generated.value, {
      patternKey: pattern.patternKey,
      logsource: found[0]?.logsource ?? { product: '', category: '', service: '' },
      tactics: [...new Set(samples.flatMap((a) => a.tactics))],
      techniques: [...new Set(samples.flatMap((a) => a.techniques))],
      date: isoOf(clock()).slice(0, 10),
    });
    const validation = validateRule(yaml);
    return {
      pattern_key: pattern.patternKey,
      tp_count: pattern.tpCount,
      yaml,
      title: validation.title ?? generated.value.title,
      logsource_key: validation.logsource_key ?? ['', '', ''],
      validation_stage: validation.valid ? 'ok' : ((validation.stage ?? 'schema') as Suggestion['validation_stage']),
      validation_message: validation.valid ? null : (validation.message ?? null),
      contributing_alert_ids: pattern.alertIds,
      evidence: withEvents.map(({ alert, event }) => ({
        alert_id: alert.alertId,
        rule_name: alert.ruleName,
        entity_value: alert.entityValue,
        timestamp_ns: alert.timestampNs.toString(),
        event: event ? { event_id: event.eventId, message: event.message } : null,
      })),
      model: generated.model,
      generated_at_ns: clock().toString(),
      latency_ms: generated.latencyMs,
      cached: false,
    };
  }
}
