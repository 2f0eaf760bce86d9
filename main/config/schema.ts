/**
 * The one configuration schema: every key, its default, its bounds, and which keys are secret
 * (`.meta({ secret: true })`, redacted by `redactConfig`). Key names and defaults follow the
 * original (reference §14.2) unless noted; ports default to unprivileged ones.
 *
 * The larger detector, alerting and LLM sections live in `sections/`, one file each.
 * Nothing else in the code base holds a config default: modules receive the validated object.
 */
import os from 'node:os';
import path from 'node:path';
import Joi from 'joi';
import { port, secret } from './values.js';
import { alertingSection } from './sections/alerting.js';
import { correlationDetectionKeys, correlationSection } from './sections/correlation.js';
import { llmSection } from './sections/llm.js';
import { mlDetectionKeys } from './sections/ml.js';
import { uebaSection } from './sections/ueba.js';


/** `$SEERFLOW_DATA_DIR`, else `$XDG_DATA_HOME/seerflow`, else `~/.local/share/seerflow`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.SEERFLOW_DATA_DIR) return env.SEERFLOW_DATA_DIR;
  const xdg = env.XDG_DATA_HOME || path.join(os.homedir(), '.local', 'share');
  return path.join(xdg, 'seerflow');
}

/** A regular expression source; an invalid one is a config error naming its key. */
const regex = Joi.string()
  .min(1)
  .custom((value: string, helpers) => {
    try {
      new RegExp(value);
      return value;
    } catch (error) {
      return helpers.message({ custom: `{{#label}} is not a valid regular expression: ${(error as Error).message}` });
    }
  });

const maskRule = Joi.object({
  pattern: regex.required(),
  replacement: Joi.string().required(),
});

const logsourceRule = Joi.object({
  when: Joi.object({
    app: regex,
    message: regex,
    sourceType: Joi.string(),
    field: Joi.object().pattern(Joi.string(), Joi.alternatives(Joi.string(), Joi.number())),
  })
    .min(1)
    .required(),
  logsource: Joi.object({
    product: Joi.string().allow(''),
    category: Joi.string().allow(''),
    service: Joi.string().allow(''),
  })
    .min(1)
    .required(),
});

export const webhookEndpointSchema = Joi.object({
  path: Joi.string().pattern(/^\/[\w\-./]*$/).default('/ingest/webhook'),
  source_id: Joi.string().min(1).max(128).default('webhook'),
  auth_header: Joi.string().allow('', null).default(null),
  auth_token: secret().default(null),
  /** HMAC-SHA256 of the raw body, hex, in `hmac_header` (optionally prefixed `sha256=`). */
  hmac_secret: secret().default(null),
  hmac_header: Joi.string().default('X-Seerflow-Signature'),
  /** Event field ← dot-path in the body, e.g. `{ message: 'alert.text', host: 'device.name' }`. */
  field_mapping: Joi.object().pattern(Joi.string(), Joi.string()).default({}),
}).and('auth_header', 'auth_token');

const storage = Joi.object({
  /** `postgresql`: several appliances share one store (see README "Scaling out"). */
  backend: Joi.string().valid('sqlite', 'postgresql').default('sqlite'),
  /** Empty = `defaultDataDir()` of the environment the config is loaded in. */
  data_dir: Joi.string().pattern(/\0/, { invert: true }).allow('').default(''),
  /** Empty = `<data_dir>/seerflow.db`; `:memory:` keeps everything in memory. */
  sqlite_path: Joi.string().pattern(/\0/, { invert: true }).allow('').default(''),
  /** `postgres://user:password@host:5432/db`; required with the postgresql backend. */
  postgresql_url: secret()
    .default(null)
    .when('backend', { is: 'postgresql', then: Joi.string().uri({ scheme: ['postgres', 'postgresql'] }).required() }),
  postgresql_pool_min_size: Joi.number().integer().min(0).max(100).default(2),
  postgresql_pool_max_size: Joi.number().integer().min(1).max(100).default(10),
  /** A statement running longer than this is cancelled. */
  postgresql_command_timeout_s: Joi.number().greater(0).max(3600).default(30),
  /**
   * This appliance's name in a shared store: its detector state and file positions are kept
   * under it. Empty = the host name. Two appliances on one store need different names.
   */
  instance_id: Joi.string().pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'instance name').allow('').default(''),
  /** Events and alerts older than this are deleted; 0 keeps them forever. */
  retention_days: Joi.number().min(0).max(36500).default(30),
  /**
   * When the database file grows past this, the oldest events are deleted; 0 = no limit.
   * SQLite only: PostgreSQL's files do not shrink as rows go, so its size is the server's concern.
   */
  max_db_bytes: Joi.number()
    .integer()
    .min(0)
    .default(0)
    .when('backend', { is: 'postgresql', then: Joi.valid(0).messages({ 'any.only': '{{#label}} applies to SQLite only; use retention_days with PostgreSQL' }) }),
  /** Rows per multi-row INSERT (SQLite's compound-select limit caps this at 500). */
  writer_batch_rows: Joi.number().integer().min(1).max(500).default(500),
  writer_flush_ms: Joi.number().integer().min(1).max(10_000).default(100),
}).default();

const receivers = Joi.object({
  /** Loopback by default (the original: 0.0.0.0): exposing receivers to a network is a decision. */
  bind_addr: Joi.string().ip({ cidr: 'forbidden' }).default('127.0.0.1'),
  queue_maxsize: Joi.number().integer().min(1).max(1_000_000).default(10_000),
  /** Larger messages are truncated (and counted). */
  max_message_bytes: Joi.number().integer().min(256).max(1_048_576).default(65_536),
  syslog_enabled: Joi.boolean().default(true),
  syslog_udp_port: port.default(5514),
  syslog_tcp_enabled: Joi.boolean().default(true),
  syslog_tcp_port: port.default(5514),
  syslog_tcp_max_connections: Joi.number().integer().min(1).max(65_536).default(256),
  otlp_grpc_enabled: Joi.boolean().default(true),
  otlp_grpc_port: port.default(4317),
  otlp_http_enabled: Joi.boolean().default(true),
  otlp_http_port: port.default(4318),
  otlp_http_max_request_bytes: Joi.number().integer().min(1).max(100_000_000).default(4_194_304),
  file_paths: Joi.array().items(Joi.string().min(1)).default([]),
  /** How often tailed files are checked for growth, rotation and new matches. */
  file_poll_interval_ms: Joi.number().integer().min(10).max(60_000).default(500),
  allowed_log_roots: Joi.array().items(Joi.string().min(1)).default([]),
  webhook_enabled: Joi.boolean().default(false),
  webhook_port: port.default(8081),
  webhook_max_request_bytes: Joi.number().integer().min(1).max(100_000_000).default(4_194_304),
  webhooks: Joi.array().items(webhookEndpointSchema).unique('path').default([]),
  stdin_enabled: Joi.boolean().default(false),
}).default();

const parsing = Joi.object({
  /** Messages longer than this (UTF-16 units) are cut before templating and storage. */
  max_message_length: Joi.number().integer().min(256).max(1_048_576).default(32_768),
  max_entities_per_type: Joi.number().integer().min(1).max(1024).default(32),
  template: Joi.object({
    depth: Joi.number().integer().min(3).max(32).default(4),
    sim_threshold: Joi.number().greater(0).max(1).default(0.4),
    max_children: Joi.number().integer().min(2).max(10_000).default(100),
    max_clusters: Joi.number().integer().min(1).max(1_000_000).default(1000),
    max_message_length: Joi.number().integer().min(64).max(1_048_576).default(8192),
    /** null = the built-in masks (IPs, UUIDs, hex, paths, numbers). */
    masks: Joi.array().items(maskRule).allow(null).default(null),
  }).default(),
  /** Checked before the built-in logsource rules. */
  logsource_rules: Joi.array().items(logsourceRule).default([]),
}).default();

/** `N/second|minute|hour|day`, the original's limits-string syntax. */
const rateLimit = Joi.string().pattern(/^[1-9]\d*\s*\/\s*(second|minute|hour|day)$/, 'N/second|minute|hour|day');
const origin = Joi.string().uri({ scheme: ['http', 'https'] }).invalid('*');

const detection = Joi.object({
  sigma_enabled: Joi.boolean().default(true),
  /** Our own rule pack in resources/sigma. */
  sigma_load_bundled: Joi.boolean().default(true),
  /** More rule folders (e.g. a SigmaHQ checkout); reloaded when their files change. */
  sigma_rules_dirs: Joi.array().items(Joi.string().min(1)).default([]),
  /** Where uploaded rules are kept; null = uploads are refused (422). */
  sigma_custom_upload_dir: Joi.string().allow(null).default(null),
  sigma_custom_max_rules: Joi.number().integer().min(1).max(100_000).default(1000),
  sigma_custom_max_bytes: Joi.number().integer().min(1024).default(10 * 1024 * 1024),
  /** How often rule folders are checked for changes. */
  sigma_reload_interval_ms: Joi.number().integer().min(100).max(3_600_000).default(2000),
  /** Extra Sigma field → event field mappings, per logsource key `product/category/service` or `*`. */
  sigma_field_mappings: Joi.object().pattern(Joi.string(), Joi.object().pattern(Joi.string(), Joi.string())).default({}),
  /** Values for `|expand` placeholders, e.g. `{ Admins_Workstations: ['ws1', 'ws2'] }`. */
  sigma_placeholders: Joi.object().pattern(Joi.string(), Joi.array().items(Joi.string())).default({}),
  /** Correlation state entries kept at most (time-based eviction first). */
  sigma_correlation_max_state: Joi.number().integer().min(100).max(10_000_000).default(100_000),
  /** Events older than the newest seen by more than this are late for correlation windows. */
  sigma_correlation_late_tolerance_s: Joi.number().min(0).max(86_400).default(30),
  /** How often rule toggles made on other appliances are read from a shared PostgreSQL store. */
  sigma_state_sync_interval_s: Joi.number().min(1).max(3600).default(5),
  ...mlDetectionKeys,
  ...correlationDetectionKeys,
}).default();

/** An environment variable's name (feed secrets are read from the environment only). */
const envName = Joi.string().pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable name');
const indicatorTypes = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'];

const intelFeedAuth = Joi.object({
  kind: Joi.string().valid('api_key', 'basic').required(),
  api_key_env: envName.when('kind', { is: 'api_key', then: Joi.required(), otherwise: Joi.forbidden() }),
  /** `Authorization` sends `Bearer <key>` (unless the key carries its own scheme). */
  api_key_header: Joi.string().pattern(/^[A-Za-z0-9-]+$/).default('Authorization'),
  username_env: envName.when('kind', { is: 'basic', then: Joi.required(), otherwise: Joi.forbidden() }),
  password_env: envName.when('kind', { is: 'basic', then: Joi.required(), otherwise: Joi.forbidden() }),
});

/** A TAXII 2.1 collection (reference §9), or a plain blocklist (ours) from a URL or a file. */
const intelFeed = Joi.object({
  id: Joi.string().pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'feed id').required(),
  /** `taxii`: a TAXII 2.1 collection; `lines`: one indicator per line; `csv`: one per row. */
  format: Joi.string().valid('taxii', 'lines', 'csv').default('taxii'),
  /** TAXII discovery or API root URL, or a plain feed's URL; https unless `allow_insecure`. */
  url: Joi.string().uri({ scheme: ['http', 'https'] }),
  /** A plain feed read from a local file instead of a URL. */
  path: Joi.string().pattern(/\0/, { invert: true }),
  collection_id: Joi.string().min(1).max(256).when('format', { is: 'taxii', then: Joi.required(), otherwise: Joi.forbidden() }),
  /** null = `default_poll_interval_s`. */
  poll_interval_s: Joi.number().integer().min(60).max(7 * 86_400).allow(null).default(null),
  auth: intelFeedAuth.allow(null).default(null),
  /** Indicators under this confidence are not kept. */
  confidence_floor: Joi.number().integer().min(0).max(100).default(0),
  enabled: Joi.boolean().default(true),
  allow_insecure: Joi.boolean().default(false),
  allow_private_addresses: Joi.boolean().default(false),
  /** Confidence of a plain feed's indicators, and of STIX indicators that state none. */
  default_confidence: Joi.number().integer().min(0).max(100).default(50),
  /** Kill-chain phases given to a plain feed's indicators (e.g. `command-and-control`). */
  kill_chain_phases: Joi.array().items(Joi.string().min(1).max(64)).max(64).default([]),
  /** Plain feeds: `auto` detects each value's type. */
  indicator_type: Joi.string().valid('auto', ...indicatorTypes).default('auto'),
  /** CSV: the column holding the indicator, 1-based or by header name. */
  csv_column: Joi.alternatives(Joi.number().integer().min(1).max(1000), Joi.string().min(1).max(128)).default(1),
  csv_delimiter: Joi.string().length(1).default(','),
  /** TAXII `limit` per page; null = the server's default. */
  page_size: Joi.number().integer().min(1).max(10_000).allow(null).default(null),
})
  .xor('url', 'path')
  .custom((feed: { format: string; path?: string; url?: string; allow_insecure: boolean }, helpers) => {
    if (feed.format === 'taxii' && feed.path !== undefined) return helpers.message({ custom: '{{#label}}: a TAXII feed needs a url, not a path' });
    if (feed.url !== undefined) {
      const url = new URL(feed.url);
      if (url.username !== '' || url.password !== '') return helpers.message({ custom: '{{#label}}.url must not carry user:password; use auth with environment variables' });
      if (url.protocol === 'http:' && !feed.allow_insecure) return helpers.message({ custom: '{{#label}}.url must be https (or set allow_insecure)' });
    }
    return feed;
  });

const threatIntel = Joi.object({
  enabled: Joi.boolean().default(false),
  default_poll_interval_s: Joi.number().integer().min(60).max(7 * 86_400).default(3600),
  request_timeout_s: Joi.number().greater(0).max(600).default(30),
  /** Per feed; over it, indicators are counted as capped (the original warned above 1.5M). */
  max_indicators_per_feed: Joi.number().integer().min(1).max(10_000_000).default(1_000_000),
  /** Indicators stay this long after their `valid_until`. */
  expired_grace_days: Joi.number().min(0).max(3650).default(30),
  /** First polls wait a random 0..this, so feeds and restarts do not stampede. */
  startup_jitter_s: Joi.number().min(0).max(3600).default(30),
  /** TAXII objects read per poll at most; the cursor resumes from there next time. */
  max_objects_per_poll: Joi.number().integer().min(1).max(10_000_000).default(500_000),
  /** A feed response larger than this fails. */
  max_response_bytes: Joi.number().integer().min(1024).max(2 ** 31 - 1).default(256 * 1024 * 1024),
  retry_attempts: Joi.number().integer().min(1).max(10).default(5),
  retry_base_delay_s: Joi.number().min(0).max(60).default(1),
  /** Consecutive 401/403 answers that open a feed's auth circuit breaker, and for how long. */
  auth_failure_threshold: Joi.number().integer().min(1).max(100).default(3),
  auth_circuit_open_s: Joi.number().min(1).max(7 * 86_400).default(3600),
  /** How often indicators past `valid_until` + grace are swept out. */
  sweep_interval_s: Joi.number().integer().min(10).max(86_400).default(3600),
  /** Structured fields whose value is a URL to match. */
  url_fields: Joi.array()
    .items(Joi.string().min(1))
    .default(['url', 'url.full', 'url.original', 'http.url', 'http.request.url', 'request_url', 'request.url', 'uri', 'URL', 'cs-uri']),
  feeds: Joi.array().items(intelFeed).max(256).unique('id').default([]),
  matcher: Joi.object({
    /** Unlike the original (false), on by default: enabling threat_intel alone should match. */
    enabled: Joi.boolean().default(true),
    fpr: Joi.number().greater(0).less(0.5).default(0.001),
    min_capacity: Joi.number().integer().min(1).max(100_000_000).default(100_000),
    capacity_growth_factor: Joi.number().min(1).max(4).default(1.25),
    /** Indicators under this confidence are not kept, whatever the feed's floor. */
    confidence_floor: Joi.number().integer().min(0).max(100).default(0),
    /** The Bloom filter is rebuilt this long after the last change (removals leave stale bits). */
    rebuild_debounce_ms: Joi.number().integer().min(0).max(60_000).default(200),
    enabled_types: Joi.array().items(Joi.string().valid(...indicatorTypes)).unique().default(indicatorTypes),
    /** Matches kept per event (in `ioc_matches` and as alerts). */
    max_matches_per_event: Joi.number().integer().min(1).max(1024).default(32),
  }).default(),
}).default();

export const configSchema = Joi.object({
  dashboard_port: port.default(8080),
  health_bind_address: Joi.string().ip({ cidr: 'forbidden' }).default('127.0.0.1'),
  log_level: Joi.string().uppercase().valid('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL').default('INFO'),
  // API (reference §11.1)
  api_rate_limit_enabled: Joi.boolean().default(true),
  /** With a Redis URL the rate-limit counters are shared by every instance using it. */
  api_rate_limit_redis_url: secret().default(null),
  api_list_rate_limit: rateLimit.default('60/minute'),
  api_detail_rate_limit: rateLimit.default('300/minute'),
  api_coverage_rate_limit: rateLimit.default('10/minute'),
  api_upload_rate_limit: rateLimit.default('5/minute'),
  api_trust_proxy_headers: Joi.boolean().default(false),
  /** Browser origins allowed to call the API; empty = same origin only. */
  api_allowed_origins: Joi.array().items(origin).default([]),
  /** Host names (besides the bound address and localhost) the API answers to (DNS-rebinding guard). */
  api_allowed_hosts: Joi.array().items(Joi.string().hostname()).default([]),
  // WebSocket stream (reference §11.4)
  ws_max_connections: Joi.number().integer().min(1).max(1000).default(20),
  ws_queue_maxlen: Joi.number().integer().min(1).max(100_000).default(1000),
  ws_tick_interval_s: Joi.number().greater(0).max(10).default(0.01),
  ws_batch_max_events: Joi.number().integer().min(1).max(1000).default(10),
  ws_status_interval_s: Joi.number().greater(0).max(3600).default(5),
  /** Empty = http://localhost and http://127.0.0.1 at `dashboard_port`. */
  ws_allowed_origins: Joi.array().items(origin).default([]),
  ws_filter_min_interval_ms: Joi.number().integer().min(0).max(60_000).default(100),
  storage,
  receivers,
  parsing,
  detection,
  correlation: correlationSection,
  ueba: uebaSection,
  alerting: alertingSection,
  llm: llmSection,
  threat_intel: threatIntel,
}).default();
