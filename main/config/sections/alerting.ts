/**
 * The `alerting` section: deduplication, routing and outbound sinks (reference §10.3, §13).
 *
 * Sinks come from the original's keys: `webhooks[]` (Slack, Teams, generic JSON), the built-in
 * file sink (`file_path`…) and console sink (`console_enabled`…), and declarative `sinks[]`
 * (console, file, syslog, webhook). Not carried over: email/SMS/Telegram/WhatsApp, PagerDuty,
 * OTLP and HEC sinks, digest routing and quiet hours, time-based file rotation.
 */
import Joi from 'joi';
import { ALERT_TYPES } from '../../core/alert.js';
import { port, secret } from '../values.js';

const severity = Joi.number().integer().min(0).max(6);
const windowSeconds = Joi.number().integer().min(1).max(30 * 86_400);
/** A sink's name: what routing rules and `/health` (`alerting.sink.<name>`) call it. */
const sinkName = Joi.string().pattern(/^[A-Za-z0-9_.-]+$/).max(64);
const outboundUrl = secret().uri({ scheme: ['http', 'https'] }).invalid('', null);
/** Header values often carry tokens: the whole map is redacted. */
const headers = Joi.object()
  .pattern(Joi.string().pattern(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/), Joi.string().pattern(/^[^\r\n\0]*$/))
  .meta({ secret: true });
const typeList = Joi.alternatives(Joi.string().valid(...ALERT_TYPES), Joi.array().items(Joi.string().valid(...ALERT_TYPES)).min(1));
const entityTypeList = Joi.alternatives(Joi.string(), Joi.array().items(Joi.string()).min(1));
const notify = Joi.array().items(Joi.object({ channel: sinkName.required() }));

/** `webhooks[]` (reference §13): POST every routed alert as Slack Block Kit, a Teams card or flat JSON. */
const webhookTarget = Joi.object({
  /** Default `webhook-<n>` (1-based position in the list). */
  name: sinkName,
  url: outboundUrl.required(),
  format: Joi.string().valid('slack', 'teams', 'json').required(),
  min_severity: severity.default(0),
  headers,
  /** Let the URL reach private, loopback or reserved addresses (an in-house receiver). */
  allow_private_addresses: Joi.boolean().default(false),
});

// ── Declarative sinks: options per type, validated (and defaulted) by the item's `type` ────────

const SINK_OPTIONS = {
  console: Joi.object({ stream: Joi.string().valid('stdout', 'stderr').default('stdout') }),
  file: Joi.object({
    path: Joi.string().pattern(/\0/, { invert: true }).required(),
    /** Rotate before a write would pass this size (10 MiB). */
    max_bytes: Joi.number().integer().min(1024).default(10 * 1024 * 1024),
    /** Rotated files kept: `<path>.1` (newest) … `<path>.<n>`; 0 = start the file over. */
    backup_count: Joi.number().integer().min(0).max(100).default(5),
  }),
  syslog: Joi.object({
    host: Joi.string().hostname().required(),
    port: port.min(1).default(514),
    /** UDP: one message per datagram; TCP: RFC 6587 octet counting. */
    protocol: Joi.string().valid('udp', 'tcp').default('udp'),
    /** RFC 5424 facility; 1 = user-level, as the original. */
    facility: Joi.number().integer().min(0).max(23).default(1),
    app_name: Joi.string().pattern(/^[!-~]{1,48}$/).default('seerflow'),
    /** Start MSG with the UTF-8 BOM, as RFC 5424 asks for UTF-8 text (some collectors want it off). */
    utf8_bom: Joi.boolean().default(true),
  }),
  webhook: Joi.object({
    url: outboundUrl.required(),
    headers,
    allow_private_addresses: Joi.boolean().default(false),
  }),
} as const;

/** Formatters each sink type can use; the first is the default. */
const SINK_FORMATTERS = {
  console: ['human', 'json', 'cef', 'leef'],
  file: ['json', 'cef', 'leef'],
  syslog: ['cef', 'leef', 'json'],
  webhook: ['json', 'slack', 'teams'],
} as const;

type SinkType = keyof typeof SINK_OPTIONS;

const sink = Joi.object({
  type: Joi.string().valid(...Object.keys(SINK_OPTIONS)).required(),
  name: sinkName.required(),
  formatter: Joi.string().valid('json', 'slack', 'teams', 'cef', 'leef', 'human'),
  min_severity: severity.default(0),
  // The keys listed here are the secret ones, for redaction; the rest is checked per type below.
  options: Joi.object({ url: secret(), headers }).unknown().default({}),
}).custom((value: { type: SinkType; name: string; formatter?: string; options: object }, helpers) => {
  const allowed: readonly string[] = SINK_FORMATTERS[value.type];
  const formatter = value.formatter ?? allowed[0];
  if (!allowed.includes(formatter as string)) {
    return helpers.message({ custom: `a ${value.type} sink formats as ${allowed.join(', ')}, not ${formatter}` });
  }
  const { value: options, error } = SINK_OPTIONS[value.type].validate(value.options, { abortEarly: true });
  if (error) return helpers.message({ custom: `options (${value.type} sink "${value.name}"): ${error.message}` });
  return { ...value, formatter, options };
});

const routingRule = Joi.object({
  /** Every given condition must hold; an empty match takes every alert. */
  match: Joi.object({
    alert_type: typeList,
    /** fnmatch-style glob (`*`, `?`, `[…]`), case-sensitive. */
    rule_name: Joi.string(),
    entity_type: entityTypeList,
    min_severity: severity,
    max_severity: severity,
  }).default({}),
  notify: notify.min(1).required(),
});

export const alertingSection = Joi.object({
  /** Same dedup key within this window = one alert, counted (reference §10.3). */
  dedup_window_seconds: windowSeconds.default(900),
  // Null prototype: a rule named `constructor` or `toString` must not find Object's members.
  dedup_window_overrides: Joi.object()
    .pattern(Joi.string(), windowSeconds)
    .default({})
    .custom((value: Record<string, number>) => Object.assign(Object.create(null) as Record<string, number>, value)),
  /** Base URL of the dashboard; messages link to `<dashboard_url>/alerts/<alert_id>`. */
  dashboard_url: Joi.string().uri({ scheme: ['http', 'https'] }).allow('', null).default(null),
  webhooks: Joi.array().items(webhookTarget).max(32).default([]),
  /** Built-in NDJSON file sink `file`, on when a path is set. */
  file_path: Joi.string().pattern(/\0/, { invert: true }).allow('', null).default(null),
  file_max_bytes: SINK_OPTIONS.file.extract('max_bytes'),
  file_backup_count: SINK_OPTIONS.file.extract('backup_count'),
  file_min_severity: severity.default(0),
  /** Built-in console sink `console`. */
  console_enabled: Joi.boolean().default(false),
  console_stream: SINK_OPTIONS.console.extract('stream'),
  console_format: Joi.string().valid('human', 'json').default('human'),
  console_min_severity: severity.default(0),
  sinks: Joi.array().items(sink).max(32).default([]),
  /**
   * Checked top-down, first match wins; its channels (sink names) get the alert, each still
   * subject to its own minimum severity. Without rules every sink gets every alert.
   */
  routing_rules: Joi.array().items(routingRule).default([]),
  /** For alerts no rule matches: drop them (the original's default), or notify channels (none listed = every sink). */
  default_routing: Joi.object({
    action: Joi.string().valid('drop', 'notify').default('drop'),
    notify: notify.default([]),
  }).default(),
  /** Delivery per sink: a bounded queue drained by one sender, retried with exponential backoff. */
  delivery: Joi.object({
    /** Tries per alert, first included (the original: 3). */
    attempts: Joi.number().integer().min(1).max(10).default(3),
    /** Wait before the second try; doubles each time (1 s, 2 s, 4 s…), capped at `backoff_max_ms`. */
    backoff_base_ms: Joi.number().integer().min(1).max(60_000).default(1000),
    backoff_max_ms: Joi.number().integer().min(1).max(600_000).default(30_000),
    /** Alerts waiting per sink; beyond it new alerts are dropped and counted. */
    queue_size: Joi.number().integer().min(1).max(100_000).default(1000),
    /** One try (connect + send + answer) at most this long. */
    timeout_ms: Joi.number().integer().min(100).max(120_000).default(10_000),
    /** On stop, pending deliveries get this long; what is left is dropped and counted. */
    drain_timeout_ms: Joi.number().integer().min(0).max(60_000).default(5000),
  }).default(),
}).default();

export type WebhookFormat = 'slack' | 'teams' | 'json';
export type LineFormat = 'human' | 'json' | 'cef' | 'leef';

export interface WebhookTargetConfig {
  name?: string;
  url: string;
  format: WebhookFormat;
  min_severity: number;
  headers?: Record<string, string>;
  allow_private_addresses: boolean;
}

export type SinkConfig =
  | { type: 'console'; name: string; formatter: LineFormat; min_severity: number; options: { stream: 'stdout' | 'stderr' } }
  | {
      type: 'file';
      name: string;
      formatter: Exclude<LineFormat, 'human'>;
      min_severity: number;
      options: { path: string; max_bytes: number; backup_count: number };
    }
  | {
      type: 'syslog';
      name: string;
      formatter: Exclude<LineFormat, 'human'>;
      min_severity: number;
      options: { host: string; port: number; protocol: 'udp' | 'tcp'; facility: number; app_name: string; utf8_bom: boolean };
    }
  | {
      type: 'webhook';
      name: string;
      formatter: WebhookFormat;
      min_severity: number;
      options: { url: string; headers?: Record<string, string>; allow_private_addresses: boolean };
    };

export interface RoutingMatch {
  alert_type?: string | string[];
  rule_name?: string;
  entity_type?: string | string[];
  min_severity?: number;
  max_severity?: number;
}

export interface RoutingRuleConfig {
  match: RoutingMatch;
  notify: Array<{ channel: string }>;
}

export interface DeliveryConfig {
  attempts: number;
  backoff_base_ms: number;
  backoff_max_ms: number;
  queue_size: number;
  timeout_ms: number;
  drain_timeout_ms: number;
}

export interface AlertingConfig {
  dedup_window_seconds: number;
  dedup_window_overrides: Record<string, number>;
  dashboard_url: string | null;
  webhooks: WebhookTargetConfig[];
  file_path: string | null;
  file_max_bytes: number;
  file_backup_count: number;
  file_min_severity: number;
  console_enabled: boolean;
  console_stream: 'stdout' | 'stderr';
  console_format: 'human' | 'json';
  console_min_severity: number;
  sinks: SinkConfig[];
  routing_rules: RoutingRuleConfig[];
  default_routing: { action: 'drop' | 'notify'; notify: Array<{ channel: string }> };
  delivery: DeliveryConfig;
}
