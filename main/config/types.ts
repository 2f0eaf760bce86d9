/**
 * The typed shape of a validated configuration. Defaults and bounds live in `schema.ts` only;
 * this file just names what the schema produces.
 */
import type { LogsourceRule } from '../core/logsource.js';

export interface WebhookEndpointConfig {
  path: string;
  source_id: string;
  auth_header: string | null;
  auth_token: string | null;
  hmac_secret: string | null;
  hmac_header: string;
  field_mapping: Record<string, string>;
}

export interface SeerflowConfig {
  dashboard_port: number;
  health_bind_address: string;
  log_level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR' | 'CRITICAL';
  storage: {
    backend: 'sqlite';
    data_dir: string;
    sqlite_path: string;
    postgresql_url: string | null;
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
