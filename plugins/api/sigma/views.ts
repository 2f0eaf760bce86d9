/**
 * Rule lists and response shapes of the Sigma routes (reference §11.2): the list's filters and
 * order, a rule summary with its 24 h alert count, the detail (+ YAML, tags, false positives),
 * and the grids of the 24 h counts and of the hourly timeline.
 *
 * Alert counts are Sigma alerts as stored, by first-occurrence time: repeats counted into an
 * alert by deduplication do not add to them (`match_count_lifetime` counts every match).
 */
import type { BucketGrid } from '../../../main/storage/buckets.js';
import type { RuleSummary } from '../../detectors/sigma/service.js';
import { severityOfLevel } from '../../detectors/sigma/sigma-alerts.js';
import { bucketStart, gridFor } from '../anomaly/windows.js';
import type { RuleListQuery } from './schemas.js';

const DAY_NS = 86_400_000_000_000n;

/** One bucket: the 24 hours up to and including `nowNs`. */
export function lastDayGrid(nowNs: bigint): BucketGrid {
  return { startNs: nowNs - DAY_NS + 1n, bucketNs: DAY_NS, count: 1 };
}

/** 24 hourly buckets, the last one holding `nowNs` (so the grid ends at the next full hour). */
export function hourlyGrid(nowNs: bigint): BucketGrid {
  return gridFor({ range: '24h', resolution: '1h' }, nowNs);
}

/** The rules that pass every filter of `query`, ordered by title (then id), not yet paged. */
export function selectRules(rules: readonly RuleSummary[], query: RuleListQuery): RuleSummary[] {
  const search = query.search?.toLowerCase();
  const category = query.category?.toLowerCase();
  const product = query.logsource_product?.toLowerCase();
  const severities = query.severity_in ? new Set(query.severity_in) : undefined;
  const { technique, tactic } = query;
  return rules
    .filter(
      (summary) =>
        (search === undefined || summary.rule.title.toLowerCase().includes(search)) &&
        (category === undefined || summary.rule.logsource.category?.toLowerCase() === category) &&
        (product === undefined || summary.rule.logsource.product?.toLowerCase() === product) &&
        (severities === undefined || severities.has(severityOfLevel(summary.rule.level))) &&
        (query.enabled === undefined || summary.enabled === query.enabled) &&
        (query.source === undefined || summary.origin === query.source) &&
        (tactic === undefined || summary.tactics.includes(tactic)) &&
        (technique === undefined || summary.techniques.some((t) => t === technique || t.startsWith(`${technique}.`))),
    )
    .sort((a, b) => a.rule.title.localeCompare(b.rule.title) || a.rule.id.localeCompare(b.rule.id));
}

export function ruleSummaryJson(summary: RuleSummary, alertCount24h: number) {
  const { rule } = summary;
  const { product = '', category = '', service = '' } = rule.logsource;
  return {
    rule_id: rule.id,
    title: rule.title,
    description: rule.description ?? '',
    level: rule.level,
    severity: severityOfLevel(rule.level),
    logsource_key: [product, category, service],
    attack_tactics: summary.tactics,
    attack_techniques: summary.techniques,
    enabled: summary.enabled,
    source: summary.origin,
    match_count_lifetime: summary.matchCount,
    last_fired_ns: summary.lastFiredNs === null ? null : summary.lastFiredNs.toString(),
    alert_count_24h: alertCount24h,
  };
}

export function ruleDetailJson(summary: RuleSummary, alertCount24h: number) {
  const { rule } = summary;
  return {
    ...ruleSummaryJson(summary, alertCount24h),
    name: rule.name ?? null,
    status: rule.status ?? null,
    tags: rule.tags,
    falsepositives: rule.falsepositives ?? [],
    yaml_source: rule.source.yaml,
  };
}

export function timelineJson(ruleId: string, grid: BucketGrid, counts: readonly number[] | undefined) {
  return {
    rule_id: ruleId,
    buckets: Array.from({ length: grid.count }, (_, i) => ({ bucket_start_ns: bucketStart(grid, i), count: counts?.[i] ?? 0 })),
  };
}
