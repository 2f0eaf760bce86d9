/** The `/stats` body: pipeline and per-receiver counters, queue depth, templates, live rate. */
import type { Runtime } from '../../../main/runtime.js';

export function statsSnapshot(runtime: Runtime) {
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
    templates: miner.clusterCount,
  };
}
