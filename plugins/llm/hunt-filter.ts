/**
 * The hunt's structured filter: the JSON schema the model fills (time range, source, minimum
 * severity, entity, free text, alert types, tactic), the validation that turns its answer into
 * a query (every key checked on its own: a bad value is dropped and reported, the rest is kept),
 * and the relative ranges a question can also name in plain words.
 */
import { ALERT_TYPES, type AlertType } from '../../main/core/alert.js';
import { TACTICS } from '../../main/core/attack.js';
import { parseIsoNs } from '../../main/core/time.js';
import { objectSchema } from './json-schema.js';
import { isoOf } from './prompt-budget.js';

const MINUTE_NS = 60_000_000_000n;
export const RANGES = { '15m': 15n, '1h': 60n, '6h': 360n, '24h': 1440n, '7d': 10_080n, '30d': 43_200n } as const;
export type RangeName = keyof typeof RANGES;
/** The window when the question names none (the original's last 24 h). */
const DEFAULT_RANGE: RangeName = '24h';

export const HUNT_FILTER_SCHEMA = objectSchema({
  last: { enum: [...Object.keys(RANGES), null] },
  since: { type: ['string', 'null'], maxLength: 40 },
  until: { type: ['string', 'null'], maxLength: 40 },
  source: { type: ['string', 'null'], maxLength: 64 },
  severity_min: { enum: [0, 1, 2, 3, 4, 5, 6, null] },
  entity: { type: ['string', 'null'], maxLength: 256 },
  text: { type: ['string', 'null'], maxLength: 256 },
  alert_types: { type: 'array', items: { enum: ALERT_TYPES }, maxItems: ALERT_TYPES.length },
  tactic: { enum: [...TACTICS.map((t) => t.name), null] },
});

/** What the model answers (the schema above). */
export interface ModelFilter {
  last: RangeName | null;
  since: string | null;
  until: string | null;
  source: string | null;
  severity_min: number | null;
  entity: string | null;
  text: string | null;
  alert_types: AlertType[];
  tactic: string | null;
}

/** The validated filter a hunt runs. */
export interface HuntFilter {
  sinceNs: bigint;
  untilNs: bigint;
  source?: string;
  severityMin?: number;
  entity?: string;
  text?: string;
  alertTypes: AlertType[];
  tactic?: string;
}

export interface Rejected {
  field: string;
  value: unknown;
  reason: string;
}

const SOURCE = /^[\w.:/-]{1,256}$/;

export const EMPTY_FILTER: ModelFilter = {
  last: null,
  since: null,
  until: null,
  source: null,
  severity_min: null,
  entity: null,
  text: null,
  alert_types: [],
  tactic: null,
};

/** Check each key of the model's filter; what fails is dropped and listed in `rejected`. */
export function validateFilter(raw: ModelFilter, nowNs: bigint): { filter: HuntFilter; rejected: Rejected[] } {
  const rejected: Rejected[] = [];
  const time = (field: 'since' | 'until') => {
    const value = raw[field];
    if (value === null || value.trim() === '') return undefined;
    const ns = parseIsoNs(value);
    if (ns === undefined) rejected.push({ field, value, reason: 'not an ISO-8601 time' });
    return ns;
  };
  let untilNs = time('until') ?? nowNs;
  let sinceNs = time('since') ?? untilNs - RANGES[raw.last ?? DEFAULT_RANGE] * MINUTE_NS;
  if (sinceNs > untilNs) {
    rejected.push({ field: 'since', value: raw.since, reason: 'after until' });
    untilNs = nowNs;
    sinceNs = nowNs - RANGES[DEFAULT_RANGE] * MINUTE_NS;
  }
  const filter: HuntFilter = { sinceNs, untilNs, alertTypes: [...new Set(raw.alert_types)] };
  const source = raw.source?.trim();
  if (source) {
    if (SOURCE.test(source)) filter.source = source;
    else rejected.push({ field: 'source', value: raw.source, reason: 'not a source name' });
  }
  if (raw.severity_min !== null) filter.severityMin = raw.severity_min;
  const entity = raw.entity?.trim();
  if (entity) filter.entity = entity;
  const text = raw.text?.trim();
  if (text) filter.text = text;
  if (raw.tactic !== null) filter.tactic = raw.tactic;
  return { filter, rejected };
}

/** A relative range named in plain words ("last hour", "past 7 days"), else null. */
export function rangeInWords(question: string): RangeName | null {
  const m = /\b(?:last|past)\s+(\d+\s*)?(minute|min|hour|day|week|month)s?\b/i.exec(question);
  if (!m) return null;
  const count = Number(m[1] ?? 1);
  const unit = m[2]!.toLowerCase();
  const minutes = count * ({ minute: 1, min: 1, hour: 60, day: 1440, week: 10_080, month: 43_200 } as Record<string, number>)[unit]!;
  // The smallest named range that covers it.
  return (Object.keys(RANGES) as RangeName[]).find((name) => Number(RANGES[name]) >= minutes) ?? '30d';
}

/** The filter as the response shows it (times as ISO and as ns strings). */
export function filterToJson(filter: HuntFilter): Record<string, unknown> {
  return {
    since: isoOf(filter.sinceNs),
    until: isoOf(filter.untilNs),
    since_ns: filter.sinceNs.toString(),
    until_ns: filter.untilNs.toString(),
    source: filter.source ?? null,
    severity_min: filter.severityMin ?? null,
    entity: filter.entity ?? null,
    text: filter.text ?? null,
    alert_types: filter.alertTypes,
    tactic: filter.tactic ?? null,
  };
}
