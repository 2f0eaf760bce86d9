/**
 * Wire shapes of the API the dashboard reads (api-reference.md). Nanosecond timestamps stay the
 * decimal strings the server sends (exact beyond 2^53); `lib/time.ts` turns them into dates.
 */
import type { StreamStatus } from '../../../plugins/stream/frames';

export type AlertType = 'ml' | 'sigma' | 'correlation' | 'ueba' | 'ioc';
export const ALERT_TYPES: readonly AlertType[] = ['ml', 'sigma', 'correlation', 'ueba', 'ioc'];
export type Verdict = 'tp' | 'fp';

export interface Page<T> {
  items: T[];
  meta: { total: number; page: number; limit: number; total_capped?: boolean };
}

export interface Alert {
  alert_id: string;
  alert_type: AlertType;
  timestamp_ns: string;
  last_seen_ns: string;
  severity: number;
  severity_text: string;
  rule_name: string;
  message: string;
  source_type: string;
  source_id: string;
  entity_uuid: string;
  entity_type: string;
  entity_value: string;
  dedup_key: string;
  dedup_count: number;
  risk_score: number;
  feedback: Verdict | null;
  mitre_tactics: string[];
  mitre_techniques: string[];
  contributing_event_ids: string[];
  details: Record<string, unknown>;
}

export interface ContributingEvent {
  event_id: string;
  timestamp_ns: string;
  message: string;
  severity_text: string;
  source_type: string;
  entity_path: { src: string | null; dst: string | null };
}

export interface AlertDetail extends Alert {
  contributing_events: ContributingEvent[];
}

export interface FeedbackEntry {
  id: number | string;
  feedback: Verdict;
  note: string;
  origin: string;
  submitted_at_ns: string;
}

/** The LLM explanation (backend reference §12); every field but the summary is optional here. */
export interface Explanation {
  alert_id: string;
  summary: string;
  anomaly_rationale?: string;
  contributing_events?: Array<{ event_id: string; timestamp_ns: string; source_type: string; message: string }>;
  recommended_next_steps?: string[];
  model?: string;
  generated_at_ns?: string;
  latency_ms?: number;
  cached?: boolean;
  truncated?: boolean;
}

export interface EntityRef {
  id: string;
  type: string;
  value: string;
}

export interface LiveEvent {
  event_id: string;
  timestamp_ns: string;
  observed_ns: string;
  severity_id: number;
  severity: string;
  source_type: string;
  source_id: string;
  host: string;
  app: string;
  message: string;
  template_id: number;
  template_str: string;
  template_params?: string[];
  entity_refs: string[];
  entities: EntityRef[];
  fields?: Record<string, unknown>;
  raw_event: string;
  [key: string]: unknown;
}

export interface EntityHit {
  entity_uuid: string;
  entity_type: string;
  entity_value: string;
  event_count?: number;
  first_seen_ns?: string;
  last_seen_ns?: string;
}

export interface RelatedEntity extends EntityHit {
  relation_type: string;
  count?: number;
}

export interface EntityTimeline {
  entity_uuid: string;
  entity_type: string;
  entity_value: string;
  events: LiveEvent[];
  related: RelatedEntity[];
  total: number;
}

export interface RiskBucket {
  bucket_start_ns: string;
  points: number;
  alert_count: number;
  top_rule_name: string | null;
}

export interface RiskHistory {
  entity_uuid: string;
  meta: { range: string; resolution: string; alert_count_truncated: boolean };
  items: RiskBucket[];
}

/** UEBA baseline (backend reference §11.2); shown as it comes, with a warm-up state on 404. */
export interface Baseline {
  entity_uuid: string;
  warmup_complete?: boolean;
  event_count?: number;
  hours?: number[];
  source_ips?: Array<[string, string | number]>;
  templates?: Array<[number | string, number]>;
  volume_ema_hour?: number;
  [key: string]: unknown;
}

export type Range = '1h' | '6h' | '24h' | '7d';
export type Resolution = '1m' | '5m' | '15m' | '1h';
export const RESOLUTIONS_OF: Record<Range, readonly Resolution[]> = {
  '1h': ['1m'],
  '6h': ['1m', '5m'],
  '24h': ['5m', '15m'],
  '7d': ['15m', '1h'],
};

export interface AnomalyBucket {
  bucket_start_ns: string;
  max_score: number | null;
  avg_score: number | null;
  event_count: number;
  upper_threshold: number | null;
  alert_count: number;
  [key: string]: unknown;
}

export interface AnomalyTimeline {
  meta: { range: Range; resolution: Resolution; source: string | null; alert_count_truncated: boolean };
  items: AnomalyBucket[];
}

export interface CoverageCell {
  tactic: string;
  technique: string;
  rule_count: number;
  alert_count: number;
  covered: boolean;
  detected: boolean;
  rule_names: string[];
}

export interface Coverage {
  window_since: string;
  window_until: string;
  attack_version?: string;
  tactics: Array<{ tactic: string; tactic_display_name: string; techniques: CoverageCell[] }>;
  summary: {
    total_techniques_covered: number;
    total_techniques_detected: number;
    total_rules_with_attack_tags: number;
    total_alerts_matched: number;
  };
}

export interface RuleSummary {
  rule_id: string;
  title: string;
  description: string;
  level: string;
  severity: number;
  logsource_key: [string, string, string];
  attack_tactics: string[];
  attack_techniques: string[];
  enabled: boolean;
  source: string;
  match_count_lifetime: number;
  last_fired_ns: string | null;
  alert_count_24h: number;
}

export interface RuleDetail extends RuleSummary {
  name: string | null;
  status: string | null;
  tags: string[];
  falsepositives: string[];
  yaml_source: string;
}

export interface RuleTimeline {
  rule_id: string;
  buckets: Array<{ bucket_start_ns: string; count: number }>;
}

export interface RuleValidation {
  valid: boolean;
  rule_id?: string;
  title?: string;
  logsource_key?: string;
  stage?: string;
  message?: string;
  line?: number;
  column?: number;
  field?: string;
}

export interface RuleSuggestionPattern {
  pattern_key: string;
  tp_count: number;
  most_recent_tp_ns?: string;
  contributing_alert_ids?: string[];
}

export interface RuleSuggestion {
  pattern_key: string;
  tp_count?: number;
  yaml: string;
  title?: string;
  validation_stage?: string;
  validation_message?: string | null;
  contributing_alert_ids?: string[];
  /** The true-positive alerts the draft was written from, each with one of its events. */
  evidence?: Array<{ alert_id: string; rule_name: string; entity_value: string; event: { event_id: string; message: string } | null }>;
  model?: string;
  cached?: boolean;
}

/** The hunt's structured filter (what the model wrote, validated; or the entity lookup's window). */
export interface HuntFilters {
  since?: string | null;
  until?: string | null;
  source?: string | null;
  severity_min?: number | null;
  entity?: string | null;
  text?: string | null;
  alert_types?: AlertType[];
  tactic?: string | null;
}

export interface HuntResult {
  query: string;
  /** `entity`: answered by the deterministic entity lookup; `model`: a filter the model wrote. */
  mode: 'entity' | 'model';
  filters: HuntFilters;
  /** Keys of the model's filter that failed validation and were dropped. */
  rejected: Array<{ field: string; value: unknown; reason: string }>;
  entity: { entity_uuid: string; entity_type: string | null; entity_value: string; stored: boolean } | null;
  events: LiveEvent[];
  total: number;
  alerts: Alert[];
  total_alerts: number;
  model: string | null;
  latency_ms: number;
  cached: boolean;
  truncated: boolean;
}

export interface ReceiverCounters {
  received?: number;
  accepted?: number;
  [key: string]: unknown;
}

export interface Stats {
  uptime_s: number;
  events_processed: number;
  events_stored: number;
  events_failed: number;
  events_per_second: number;
  queue: { depth: number; capacity: number };
  writer: { pending: number; flushes: number; failed_flushes: number; last_flush_ms: number; last_error: string | null };
  receivers: Record<string, ReceiverCounters>;
  templates: number;
  [section: string]: unknown;
}

export interface Health {
  status: string;
  components: Record<string, { status: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

export type RunningConfig = Record<string, unknown>;

/** The stream's `status` frame data: the server's own definition of the wire shape. */
export type { StreamStatus };

export type ServerFrame =
  | { type: 'event'; data: LiveEvent }
  | { type: 'batch'; events: LiveEvent[] }
  | { type: 'alert'; data: Alert }
  | { type: 'alert_batch'; alerts: Alert[] }
  | { type: 'status'; data: StreamStatus }
  | { type: 'error'; message: string };

/** The client's `filter` frame. */
export interface StreamFilter {
  min_severity?: number;
  source?: string[];
  entity?: string;
  alert_types?: AlertType[];
  template_ids?: number[];
}

export interface DemoStatus {
  status: 'idle' | 'running' | 'done' | 'failed';
  sent: number;
  total: number;
  message?: string;
}
