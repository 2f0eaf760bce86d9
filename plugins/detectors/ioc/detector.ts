/**
 * The `ioc` detector: on every event, the matcher's lookups; on a match, the event gains the
 * JSON string field `ioc_matches` and one `ioc` alert per matched value is returned. Counts what
 * it does for `/stats`. Never throws (the pipeline counts a throw as a detector failure, but a
 * matcher bug must not cost the other detectors their event either).
 */
import type { Alert } from '../../../main/core/alert.js';
import type { Detector } from '../../../main/core/detector.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import type { ComponentHealth } from '../../../main/core/health.js';
import { buildAlert, matchesJson, type MatchNames } from './enrich.js';
import type { Matcher } from './matcher.js';

export const IOC_MATCHES_FIELD = 'ioc_matches';

export interface IocDetectorStats {
  checks_total: number;
  events_matched_total: number;
  matches_total: number;
  alerts_emitted_total: number;
  errors_total: number;
  /** Matches per feed index. */
  matches_by_feed: number[];
}

const NO_ALERTS: Alert[] = [];

export class IocDetector implements Detector {
  readonly name = 'ioc';
  readonly #matcher: Matcher;
  readonly #names: MatchNames;
  readonly #health: () => ComponentHealth;
  readonly #stats: IocDetectorStats = {
    checks_total: 0,
    events_matched_total: 0,
    matches_total: 0,
    alerts_emitted_total: 0,
    errors_total: 0,
    matches_by_feed: [],
  };

  constructor(matcher: Matcher, names: MatchNames, health: () => ComponentHealth = () => ({ status: 'ok' })) {
    this.#matcher = matcher;
    this.#names = names;
    this.#health = health;
  }

  get stats(): Readonly<IocDetectorStats> {
    return this.#stats;
  }

  process(event: SeerflowEvent): Alert[] {
    this.#stats.checks_total++;
    try {
      const matches = this.#matcher.match(event);
      if (matches.length === 0) return NO_ALERTS;
      this.#stats.events_matched_total++;
      this.#stats.matches_total += matches.length;
      for (const match of matches) {
        for (const source of match.sources) this.#stats.matches_by_feed[source.feed] = (this.#stats.matches_by_feed[source.feed] ?? 0) + 1;
      }
      event.fields = { ...event.fields, [IOC_MATCHES_FIELD]: JSON.stringify(matchesJson(matches, this.#names)) };
      const alerts = matches.map((match) => buildAlert(match, event, this.#names));
      this.#stats.alerts_emitted_total += alerts.length;
      return alerts;
    } catch {
      this.#stats.errors_total++;
      return NO_ALERTS;
    }
  }

  health(): ComponentHealth {
    return this.#health();
  }
}
