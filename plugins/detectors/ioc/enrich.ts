/**
 * From matches to what the rest of Seerflow sees: `ioc` alerts and the event's `ioc_matches`.
 *
 * Follows the original's enricher (reference §9): type `ioc`, `rule_name` `ti:<feed>`, severity
 * by confidence (<33 NOTICE, <67 WARNING, <85 ERROR, else CRITICAL), risk = confidence/100, the
 * description `Threat-intel match: <value> (<type>) from <feed> confidence=<c>` with control
 * characters escaped, and the dedup key `ioc:<type>:<value[:512]>:<entity id>`. Differences:
 * tactics are the canonical ATT&CK names (`normalizeTactic`), not TA ids; phases that name no
 * tactic stay in `details` only; one alert per matched value, from the most confident feed (the
 * others are listed in `details.feeds`), rather than one per feed.
 *
 * Fields hold scalars only, so `ioc_matches` is stored as a JSON string field of the event.
 * Pure: no I/O.
 */
import { v7 as uuidv7 } from 'uuid';
import type { Alert } from '../../../main/core/alert.js';
import { normalizeTactic } from '../../../main/core/attack.js';
import type { SeerflowEvent } from '../../../main/core/event.js';
import { Severity } from '../../../main/core/severity.js';
import type { IocMatch } from './matcher.js';

/** Resolves the indices a match carries: feed ids and phase lists. */
export interface MatchNames {
  feedId(feed: number): string;
  phases(index: number): readonly string[];
}

/** Risk points an IoC adds to the risk register: confidence/100 × 20 (reference §7.3). */
export const RISK_POINTS_PER_UNIT = 20;

/** The original's bands (reference §18 vector 8). */
export function severityForConfidence(confidence: number): Severity {
  const c = Math.max(0, Math.min(100, confidence));
  if (c < 33) return Severity.NOTICE;
  if (c < 67) return Severity.WARNING;
  if (c < 85) return Severity.ERROR;
  return Severity.CRITICAL;
}

/** Canonical tactic names of the phases that name one, in order, without repeats. */
export function tacticsOf(phases: readonly string[]): string[] {
  const tactics: string[] = [];
  for (const phase of phases) {
    const tactic = normalizeTactic(phase);
    if (tactic.known && !tactics.includes(tactic.name)) tactics.push(tactic.name);
  }
  return tactics;
}

/** `ip`, `domain`, `url` or `hash`: what kind of thing in the event matched. */
export function entityKind(match: IocMatch): 'ip' | 'domain' | 'url' | 'hash' {
  if (match.type === 'ipv4' || match.type === 'ipv6') return 'ip';
  if (match.type === 'domain' || match.type === 'url') return match.type;
  return 'hash';
}

export function buildAlert(match: IocMatch, event: SeerflowEvent, names: MatchNames): Alert {
  const best = match.sources[0] as IocMatch['sources'][number];
  const feed = names.feedId(best.feed);
  const phases = names.phases(best.phases);
  const entity = match.entity;
  const seenAs = match.observed === match.indicator ? '' : ` seen as ${escapeControls(match.observed.slice(0, 512))}`;
  return {
    alertId: uuidv7(),
    alertType: 'ioc',
    timestampNs: event.timestampNs,
    lastSeenNs: event.timestampNs,
    severity: severityForConfidence(best.confidence),
    ruleName: `ti:${feed}`,
    description: `Threat-intel match: ${escapeControls(match.indicator.slice(0, 512))} (${match.type}) from ${feed} confidence=${best.confidence}${seenAs}`,
    sourceType: event.sourceType,
    sourceId: event.sourceId,
    entityId: entity?.id ?? '',
    entityType: entity?.type ?? '',
    entityValue: entity?.value ?? match.observed.slice(0, 2048),
    dedupKey: `ioc:${match.type}:${match.indicator.slice(0, 512)}:${entity?.id ?? ''}`,
    dedupCount: 1,
    riskScore: best.confidence / 100,
    feedback: null,
    tactics: tacticsOf(phases),
    techniques: [],
    contributingEventIds: [event.eventId],
    details: {
      indicator: match.indicator,
      indicator_type: match.type,
      observed: match.observed,
      feed,
      confidence: best.confidence,
      kill_chain_phases: phases,
      feeds: match.sources.map((source) => ({ feed: names.feedId(source.feed), confidence: source.confidence })),
      risk_points: (best.confidence / 100) * RISK_POINTS_PER_UNIT,
    },
  };
}

/** The `ioc_matches` list, as the original's attributes carried it, plus what was observed. */
export function matchesJson(matches: readonly IocMatch[], names: MatchNames): Array<Record<string, unknown>> {
  return matches.map((match) => {
    const best = match.sources[0] as IocMatch['sources'][number];
    return {
      value: match.indicator,
      type: match.type,
      source_feed: names.feedId(best.feed),
      confidence: best.confidence,
      kill_chain_phases: names.phases(best.phases),
      entity_kind: entityKind(match),
      observed: match.observed,
      entity_uuid: match.entity?.id ?? null,
    };
  });
}

/** Control characters as `\xNN`, so a hostile value cannot forge log lines or terminal codes. */
export function escapeControls(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
