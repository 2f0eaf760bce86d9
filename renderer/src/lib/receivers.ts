/**
 * The receivers an appliance runs, with their real ports (the bound ports when `/stats` reports
 * them, else the configured ones from `/config`) and a command that sends them a first line:
 * what the empty Overview and the System screen show.
 */
import type { RunningConfig, Stats } from '../api/types';

export interface ReceiverInfo {
  /** `syslog_udp`, `syslog_tcp`, `otlp_http`, `otlp_grpc`, `webhook`. */
  name: string;
  label: string;
  enabled: boolean;
  port: number | null;
  /** A shell command (or config snippet) to copy. */
  command: string;
}

type Obj = Record<string, unknown>;

const asObj = (value: unknown): Obj => (value && typeof value === 'object' ? (value as Obj) : {});

/** Bound ports, when the server lists them in `/stats` (`listeners`). */
function boundPort(stats: Stats | null, name: string): number | undefined {
  const port = asObj(stats?.listeners)[name];
  return typeof port === 'number' && port > 0 ? port : undefined;
}

/**
 * @param host the address clients use: the configured bind address, or this page's host name when
 *   the appliance listens on every interface.
 */
export function describeReceivers(config: RunningConfig | null, stats: Stats | null, pageHost: string): ReceiverInfo[] {
  const receivers = asObj(config?.receivers);
  const bind = typeof receivers.bind_addr === 'string' ? receivers.bind_addr : '0.0.0.0';
  const host = bind === '0.0.0.0' || bind === '::' ? pageHost : bind;
  const port = (name: string, key: string): number | null => {
    const configured = receivers[key];
    return boundPort(stats, name) ?? (typeof configured === 'number' && configured > 0 ? configured : null);
  };
  const syslog = receivers.syslog_enabled !== false;
  const udp = port('syslog_udp', 'syslog_udp_port');
  const tcp = port('syslog_tcp', 'syslog_tcp_port');
  const otlpHttp = port('otlp_http', 'otlp_http_port');
  const otlpGrpc = port('otlp_grpc', 'otlp_grpc_port');
  const webhook = port('webhook', 'webhook_port');
  const webhookPaths = Array.isArray(receivers.webhooks) ? receivers.webhooks.map((w) => String(asObj(w).path ?? '/')) : [];
  const otlpBody = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":9,"body":{"stringValue":"hello from '"$(hostname)"'"}}]}]}]}`;
  return [
    {
      name: 'syslog_udp',
      label: 'Syslog (UDP)',
      enabled: syslog,
      port: udp,
      command: `logger -d -n ${host} -P ${udp ?? '<port>'} "hello from $(hostname)"`,
    },
    {
      name: 'syslog_tcp',
      label: 'Syslog (TCP)',
      enabled: syslog && receivers.syslog_tcp_enabled !== false,
      port: tcp,
      command: `logger -T -n ${host} -P ${tcp ?? '<port>'} "hello from $(hostname)"`,
    },
    {
      name: 'otlp_http',
      label: 'OpenTelemetry logs (HTTP)',
      enabled: receivers.otlp_http_enabled !== false,
      port: otlpHttp,
      command: `curl -X POST http://${host}:${otlpHttp ?? '<port>'}/v1/logs -H 'content-type: application/json' -d '${otlpBody}'`,
    },
    {
      name: 'otlp_grpc',
      label: 'OpenTelemetry logs (gRPC)',
      enabled: receivers.otlp_grpc_enabled !== false,
      port: otlpGrpc,
      command: `# OpenTelemetry Collector exporter\nexporters:\n  otlp/seerflow:\n    endpoint: ${host}:${otlpGrpc ?? '<port>'}\n    tls: { insecure: true }`,
    },
    {
      name: 'webhook',
      label: 'Webhook (JSON)',
      enabled: receivers.webhook_enabled === true,
      port: webhook,
      command: `curl -X POST http://${host}:${webhook ?? '<port>'}${webhookPaths[0] ?? '/'} -H 'content-type: application/json' -d '{"message":"hello"}'`,
    },
  ];
}
