/**
 * The sinks a config asks for: the built-in console and file sinks (`console_*`, `file_*`), each
 * of `webhooks[]`, then `sinks[]`, all as `SinkConfig`s with unique names, opened as `Sink`s.
 * Opening fails with a message naming the sink when its file cannot be written or its URL is
 * refused by the SSRF policy.
 */
import os from 'node:os';
import type { Writable } from 'node:stream';
import type { AlertingConfig, SinkConfig } from '../../main/config/sections/alerting.js';
import { lineFormatter } from './format/lines.js';
import { ConsoleSink } from './sinks/console.js';
import { FileSink } from './sinks/file.js';
import type { Sink } from './sinks/sink.js';
import { SyslogSink } from './sinks/syslog.js';
import { WebhookSink } from './sinks/webhook.js';

export interface SinkContext {
  streams: { stdout: Writable; stderr: Writable };
  dashboardUrl: string | null;
  timeoutMs: number;
}

/** Every configured sink, built-ins first; throws when two share a name. */
export function sinkConfigs(config: AlertingConfig): SinkConfig[] {
  const sinks: SinkConfig[] = [];
  if (config.console_enabled) {
    sinks.push({
      type: 'console',
      name: 'console',
      formatter: config.console_format,
      min_severity: config.console_min_severity,
      options: { stream: config.console_stream },
    });
  }
  if (config.file_path) {
    sinks.push({
      type: 'file',
      name: 'file',
      formatter: 'json',
      min_severity: config.file_min_severity,
      options: { path: config.file_path, max_bytes: config.file_max_bytes, backup_count: config.file_backup_count },
    });
  }
  config.webhooks.forEach((target, i) =>
    sinks.push({
      type: 'webhook',
      name: target.name ?? `webhook-${i + 1}`,
      formatter: target.format,
      min_severity: target.min_severity,
      options: { url: target.url, headers: target.headers, allow_private_addresses: target.allow_private_addresses },
    }),
  );
  sinks.push(...config.sinks);
  const seen = new Set<string>();
  for (const sink of sinks) {
    if (seen.has(sink.name)) {
      throw new Error(
        `alerting: two sinks are named "${sink.name}"; names must be unique (the built-in sinks are "console" and "file", webhooks without a name are "webhook-<n>")`,
      );
    }
    seen.add(sink.name);
  }
  return sinks;
}

export async function openSink(config: SinkConfig, context: SinkContext): Promise<Sink> {
  const base = { name: config.name, minSeverity: config.min_severity, formatter: config.formatter };
  try {
    switch (config.type) {
      case 'console':
        return new ConsoleSink({ ...base, format: lineFormatter(config.formatter), stream: context.streams[config.options.stream] });
      case 'file':
        return await FileSink.open({
          ...base,
          format: lineFormatter(config.formatter),
          path: config.options.path,
          maxBytes: config.options.max_bytes,
          backupCount: config.options.backup_count,
        });
      case 'syslog': {
        const { host, port, protocol, facility, app_name: appName, utf8_bom: bom } = config.options;
        return new SyslogSink({
          ...base,
          format: lineFormatter(config.formatter),
          host,
          port,
          protocol,
          header: { facility, hostname: os.hostname(), appName, procId: String(process.pid), bom },
          timeoutMs: context.timeoutMs,
        });
      }
      case 'webhook':
        return new WebhookSink({
          ...base,
          format: config.formatter,
          url: config.options.url,
          headers: config.options.headers ?? {},
          allowPrivate: config.options.allow_private_addresses,
          timeoutMs: context.timeoutMs,
          dashboardUrl: context.dashboardUrl,
        });
    }
  } catch (error) {
    throw new Error(`alerting: cannot open the ${config.type} sink "${config.name}": ${(error as Error).message}`, { cause: error });
  }
}
