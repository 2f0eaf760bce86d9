/**
 * The typed shape of a validated configuration. Defaults and bounds live in `schema.ts` only;
 * this file just names what the schema produces.
 */
import type { LogsourceRule } from '../core/logsource.js';
import type { AlertingConfig } from './sections/alerting.js';
import type { CorrelationConfig, CorrelationDetectionConfig } from './sections/correlation.js';
import type { LlmConfig } from './sections/llm.js';
import type { MlDetectionConfig } from './sections/ml.js';
import type { UebaConfig } from './sections/ueba.js';

export interface WebhookEndpointConfig {
  path: string;
  source_id: string;
  auth_header: string | null;
  auth_token: string | null;
  hmac_secret: string | null;
  hmac_header: string;
  field_mapping: Record<string, string>;
}

export type IndicatorTypeName = 'ipv4' | 'ipv6' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

export interface IntelFeedConfig {
  id: string;
  format: 'taxii' | 'lines' | 'csv';
  url?: string;
  path?: string;
  collection_id?: string;
  poll_interval_s: number | null;
  auth: {
    kind: 'api_key' | 'basic';
    api_key_env?: string;
    api_key_header: string;
    username_env?: string;
    password_env?: string;
  } | null;
  confidence_floor: number;
  enabled: boolean;
  allow_insecure: boolean;
  allow_private_addresses: boolean;
  default_confidence: number;
  kill_chain_phases: string[];
  indicator_type: 'auto' | IndicatorTypeName;
  csv_column: number | string;
  csv_delimiter: string;
  page_size: number | null;
}

export interface ThreatIntelConfig {
  enabled: boolean;
  default_poll_interval_s: number;
  request_timeout_s: number;
  max_indicators_per_feed: number;
  expired_grace_days: number;
  startup_jitter_s: number;
  max_objects_per_poll: number;
  max_response_bytes: number;
  retry_attempts: number;
  retry_base_delay_s: number;
  auth_failure_threshold: number;
  auth_circuit_open_s: number;
  sweep_interval_s: number;
  url_fields: string[];
  feeds: IntelFeedConfig[];
  matcher: {
    enabled: boolean;
    fpr: number;
    min_capacity: number;
    capacity_growth_factor: number;
    confidence_floor: number;
    rebuild_debounce_ms: number;
    enabled_types: IndicatorTypeName[];
    max_matches_per_event: number;
  };
}

export interface SeerflowConfig {
  dashboard_port: number;
  health_bind_address: string;
  log_level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
  api_rate_limit_enabled: boolean;
  api_rate_limit_redis_url: string | null;
  api_list_rate_limit: string;
  api_detail_rate_limit: string;
  api_coverage_rate_limit: string;
  api_upload_rate_limit: string;
  api_trust_proxy_headers: boolean;
  api_allowed_origins: string[];
  api_allowed_hosts: string[];
  ws_max_connections: number;
  ws_queue_maxlen: number;
  ws_tick_interval_s: number;
  ws_batch_max_events: number;
  ws_status_interval_s: number;
  ws_allowed_origins: string[];
  ws_filter_min_interval_ms: number;
  storage: {
    backend: 'sqlite' | 'postgresql';
    data_dir: string;
    sqlite_path: string;
    postgresql_url: string | null;
    postgresql_pool_min_size: number;
    postgresql_pool_max_size: number;
    postgresql_command_timeout_s: number;
    instance_id: string;
    retention_days: number;
    max_db_bytes: number;
    writer_batch_rows: number;
    writer_flush_ms: number;
  };
  receivers: {
    bind_addr: string;
    queue_maxsize: number;
    max_message_bytes: number;
    syslog_enabled: boolean;
    syslog_udp_port: number;
    syslog_tcp_enabled: boolean;
    syslog_tcp_port: number;
    syslog_tcp_max_connections: number;
    otlp_grpc_enabled: boolean;
    otlp_grpc_port: number;
    otlp_http_enabled: boolean;
    otlp_http_port: number;
    otlp_http_max_request_bytes: number;
    file_paths: string[];
    file_poll_interval_ms: number;
    allowed_log_roots: string[];
    webhook_enabled: boolean;
    webhook_port: number;
    webhook_max_request_bytes: number;
    webhooks: WebhookEndpointConfig[];
    stdin_enabled: boolean;
  };
  detection: MlDetectionConfig & CorrelationDetectionConfig & {
    sigma_enabled: boolean;
    sigma_load_bundled: boolean;
    sigma_rules_dirs: string[];
    sigma_custom_upload_dir: string | null;
    sigma_custom_max_rules: number;
    sigma_custom_max_bytes: number;
    sigma_reload_interval_ms: number;
    sigma_field_mappings: Record<string, Record<string, string>>;
    sigma_placeholders: Record<string, string[]>;
    sigma_correlation_max_state: number;
    sigma_correlation_late_tolerance_s: number;
    sigma_state_sync_interval_s: number;
  };
  correlation: CorrelationConfig;
  ueba: UebaConfig;
  alerting: AlertingConfig;
  llm: LlmConfig;
  threat_intel: ThreatIntelConfig;
  parsing: {
    max_message_length: number;
    max_entities_per_type: number;
    template: {
      depth: number;
      sim_threshold: number;
      max_children: number;
      max_clusters: number;
      max_message_length: number;
      masks: Array<{ pattern: string; replacement: string }> | null;
    };
    logsource_rules: LogsourceRule[];
  };
}
