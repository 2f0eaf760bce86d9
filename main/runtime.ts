/**
 * The appliance's running parts, independent of hapi: the store, the batched writer, the
 * template miner (restored from its saved state), the normalizer and the ingest pipeline, plus
 * the periodic work (rate sampling, retention). `server.ts` decorates the server with it; the
 * CLI's batch commands use it without a server.
 */
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { SeerflowConfig } from './config/types.js';
import { Bus, type AlertBus, type VerdictNotice } from './core/bus.js';
import type { ClockNs } from './core/clock.js';
import { HealthRegistry } from './core/health.js';
import { compileLogsourceRules } from './core/logsource.js';
import { createNormalizer } from './core/normalizer.js';
import { Pipeline } from './core/pipeline.js';
import { RateMeter } from './core/rate-meter.js';
import { TemplateMiner } from './core/template/template-miner.js';
import { openStore, TEMPLATE_ID_BLOCK } from './storage/database.js';
import { EntitiesRepository } from './storage/entities-repository.js';
import { AlertsRepository } from './storage/alerts-repository.js';
import { storeErrorMessage } from './storage/errors.js';
import { EventsRepository } from './storage/events-repository.js';
import { applyRetention } from './storage/retention.js';
import { StateRepository } from './storage/state-repository.js';
import { TemplatesRepository } from './storage/templates-repository.js';
import { BatchedWriter } from './storage/writer.js';

const MINER_STATE_KEY = 'templates:miner';
const RATE_SAMPLE_MS = 1000;
const RETENTION_INTERVAL_MS = 10 * 60_000;

export interface Runtime {
  config: SeerflowConfig;
  db: Knex;
  writer: BatchedWriter;
  pipeline: Pipeline;
  miner: TemplateMiner;
  /** Read-only pool for queries (the same connection as `db` for an in-memory store). */
  reader: Knex;
  events: EventsRepository;
  entities: EntitiesRepository;
  templates: TemplatesRepository;
  state: StateRepository;
  rate: RateMeter;
  /** New alerts, for the stream and other listeners. */
  alerts: AlertBus;
  /** Stored alerts: dedup, queries, feedback. */
  alertStore: AlertsRepository;
  /** Analysts' verdicts as they are recorded (the feedback loop listens). */
  verdicts: Bus<VerdictNotice>;
  health: HealthRegistry;
  /** Ports the receivers actually bound (`syslog_udp`, `otlp_http`…), filled as they start. */
  listeners: Map<string, number>;
  clock: ClockNs;
  startedNs: bigint;
  /** Drain the queue, commit everything, stop timers and close the store. */
  close(): Promise<SessionSummary>;
}

export interface SessionSummary {
  events: number;
  alerts: number;
  templates: number;
  durationS: number;
  eventsPerSecond: number;
}

/** This session's figures: events stored, alerts raised (new in their dedup window), templates. */
function summarize(writer: BatchedWriter, miner: TemplateMiner, alerts: AlertBus, durationNs: bigint): SessionSummary {
  const durationS = Number(durationNs) / 1e9;
  const events = writer.stats.committedEvents;
  return {
    events,
    alerts: alerts.published,
    templates: miner.clusterCount,
    durationS: Math.round(durationS * 10) / 10,
    eventsPerSecond: durationS > 0 ? Math.round(events / durationS) : 0,
  };
}

function minerOptions(config: SeerflowConfig, ordinal: number) {
  const t = config.parsing.template;
  return {
    firstTemplateId: ordinal * TEMPLATE_ID_BLOCK + 1,
    depth: t.depth,
    simThreshold: t.sim_threshold,
    maxChildren: t.max_children,
    maxClusters: t.max_clusters,
    maxMessageLength: t.max_message_length,
    ...(t.masks ? { masks: t.masks } : {}),
  };
}

async function restoreMiner(state: StateRepository, config: SeerflowConfig, ordinal: number, logger: Logger): Promise<TemplateMiner> {
  const saved = await state.loadModelState(MINER_STATE_KEY);
  if (saved) {
    try {
      return TemplateMiner.fromState(JSON.parse(saved), minerOptions(config, ordinal));
    } catch (error) {
      logger.warn({ err: (error as Error).message }, 'saved template state unreadable; starting with no templates');
    }
  }
  return new TemplateMiner(minerOptions(config, ordinal));
}

export async function openRuntime(config: SeerflowConfig, clock: ClockNs, logger: Logger): Promise<Runtime> {
  const { db, reader, ordinal } = await openStore(config.storage, clock());
  // In a shared store each appliance keeps its own detector state and file positions.
  const stateScope = config.storage.backend === 'postgresql' ? `${config.storage.instance_id}/` : '';
  const state = new StateRepository(db, stateScope);
  const alertBus: AlertBus = new Bus();
  const alertStore = new AlertsRepository(db, reader);
  const { dedup_window_seconds: window, dedup_window_overrides: overrides } = config.alerting;
  const writer = new BatchedWriter(db, {
    batchRows: config.storage.writer_batch_rows,
    flushMs: config.storage.writer_flush_ms,
    nowNs: clock,
    recordAlerts: (trx, alerts) =>
      alertStore.recordBatch(trx, alerts, (alert) => BigInt(overrides[alert.ruleName] ?? window) * 1_000_000_000n),
    // Only alerts new in their dedup window are announced (stream, analyze's output).
    onNewAlerts: (alerts) => alerts.forEach((alert) => alertBus.publish(alert)),
    stateScope,
  });
  const miner = await restoreMiner(state, config, ordinal, logger);
  let minerChanged = false;
  // The miner's state commits in the same transaction as the first events that carry new ids.
  writer.addStateProvider(() => {
    if (!minerChanged) return [];
    minerChanged = false;
    return [{ key: MINER_STATE_KEY, data: JSON.stringify(miner.toState()) }];
  });
  const normalize = createNormalizer({
    maxMessageLength: config.parsing.max_message_length,
    maxEntitiesPerType: config.parsing.max_entities_per_type,
    miner,
    logsourceRules: compileLogsourceRules(config.parsing.logsource_rules),
    onTemplateChange: () => (minerChanged = true),
  });
  const pipeline = new Pipeline(normalize, writer, { queueMax: config.receivers.queue_maxsize, clock });
  const rate = new RateMeter();
  const startedNs = clock();
  const health = new HealthRegistry();
  health.register('store', () =>
    writer.stats.lastError ? { status: 'degraded', detail: writer.stats.lastError } : { status: 'ok' },
  );
  health.register('pipeline', () =>
    pipeline.queueDepth >= pipeline.queueCapacity
      ? { status: 'degraded', detail: 'ingest queue full: input is being refused' }
      : { status: 'ok' },
  );

  const sampler = setInterval(() => rate.sample(pipeline.processed, clock()), RATE_SAMPLE_MS);
  const retain = async () => {
    try {
      const policy = { retentionDays: config.storage.retention_days, maxDbBytes: config.storage.max_db_bytes };
      const result = await applyRetention(db, policy, clock());
      if (result.deletedEvents + result.deletedAlerts > 0) logger.info(result, 'retention applied');
    } catch (error) {
      logger.warn({ err: storeErrorMessage(error) }, 'retention failed; will retry');
    }
  };
  const retention = setInterval(() => void retain(), RETENTION_INTERVAL_MS);
  sampler.unref();
  retention.unref();
  void retain();

  return {
    config,
    db,
    reader,
    writer,
    pipeline,
    miner,
    events: new EventsRepository(reader),
    entities: new EntitiesRepository(reader),
    templates: new TemplatesRepository(reader),
    state,
    rate,
    alerts: alertBus,
    alertStore,
    verdicts: new Bus(),
    health,
    listeners: new Map(),
    clock,
    startedNs,
    async close() {
      clearInterval(sampler);
      clearInterval(retention);
      await pipeline.stop();
      minerChanged = true;
      await writer.close();
      const summary = summarize(writer, miner, alertBus, clock() - startedNs);
      if (reader !== db) await reader.destroy();
      await db.destroy();
      return summary;
    },
  };
}
