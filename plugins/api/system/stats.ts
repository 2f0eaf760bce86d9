/**
 * The `/stats` body: pipeline and per-receiver counters, queue depth, templates, live rate, and
 * the sections of optional plugins, null when the plugin is not registered: `threat_intel`
 * (per-feed counters and last-poll status, matcher and enrichment counters), `ml` (sources,
 * models, memory, thresholds), `ueba` (entities tracked and warmed up), `correlation` (windows,
 * risk register, kill chains, graph runs), `alerting` (per-sink delivery counters).
 */
import type { PluginProperties } from '@hapi/hapi';
import type { Runtime } from '../../../main/runtime.js';

export function statsSnapshot(runtime: Runtime, plugins: Partial<PluginProperties> = {}) {
  const { pipeline, writer, miner } = runtime;
  const uptimeNs = runtime.clock() - runtime.startedNs;
  return {
    uptime_s: Number(uptimeNs / 1_000_000n) / 1000,
    events_processed: pipeline.processed,
    events_stored: writer.stats.committedEvents,
    events_failed: pipeline.failed,
    events_per_second: Math.round(runtime.rate.perSecond() * 10) / 10,
    queue: { depth: pipeline.queueDepth, capacity: pipeline.queueCapacity },
    writer: {
      pending: writer.pendingEvents,
      flushes: writer.stats.flushes,
      failed_flushes: writer.stats.failedFlushes,
      last_flush_ms: Math.round(writer.stats.lastFlushMs * 10) / 10,
      last_error: writer.stats.lastError,
    },
    receivers: pipeline.allCounters(),
    /** Datagrams the kernel dropped before the syslog receiver read them (null: not on Linux). */
    syslog: plugins['receiver-syslog']?.stats() ?? null,
    /** Resent OTLP requests answered without storing their records again. */
    otlp: plugins['receiver-otlp']?.stats() ?? null,
    /** The ports the receivers actually bound (`syslog_udp`, `otlp_http`…), e.g. when configured as 0. */
    listeners: Object.fromEntries(runtime.listeners),
    templates: miner.clusterCount,
    threat_intel: plugins.ioc?.stats() ?? null,
    ml: plugins['detector-ml']?.stats() ?? null,
    ueba: plugins['detector-ueba']?.stats() ?? null,
    correlation: plugins['detector-correlation']?.stats() ?? null,
    alerting: plugins.alerting?.stats() ?? null,
  };
}
