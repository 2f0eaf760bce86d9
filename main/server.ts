/**
 * Composes the appliance's hapi server from a validated config: the runtime (store, pipeline)
 * is decorated onto the server, then plugins register in dependency order. Nothing else lives
 * here: routes, receivers and detectors are plugins.
 */
import Hapi from '@hapi/hapi';
import Joi from 'joi';
import type { Logger } from 'pino';
import type { SeerflowConfig } from './config/types.js';
import type { ClockNs } from './core/clock.js';
import { openRuntime, type Runtime, type SessionSummary } from './runtime.js';
import { alertsApiPlugin } from '../plugins/api/alerts/index.js';
import { anomalyApiPlugin } from '../plugins/api/anomaly/index.js';
import { attackApiPlugin } from '../plugins/api/attack/index.js';
import { entitiesApiPlugin } from '../plugins/api/entities/index.js';
import { eventsApiPlugin } from '../plugins/api/events/index.js';
import { huntApiPlugin } from '../plugins/api/hunt/index.js';
import { demoApiPlugin } from '../plugins/api/demo/index.js';
import { openapiPlugin } from '../plugins/api/openapi/index.js';
import { corsOptions } from '../plugins/api/security/cors.js';
import { apiSecurityPlugin } from '../plugins/api/security/index.js';
import { sigmaApiPlugin } from '../plugins/api/sigma/index.js';
import { systemApiPlugin } from '../plugins/api/system/index.js';
import { validationFailAction } from '../plugins/api/validation.js';
import { streamPlugin } from '../plugins/stream/index.js';
import { alertingPlugin } from '../plugins/alerting/index.js';
import { dashboardPlugin } from '../plugins/dashboard/index.js';
import { correlationDetectorPlugin } from '../plugins/detectors/correlation/index.js';
import { iocPlugin } from '../plugins/detectors/ioc/index.js';
import { mlDetectorPlugin } from '../plugins/detectors/ml/index.js';
import { llmPlugin } from '../plugins/llm/index.js';
import { sigmaDetectorPlugin } from '../plugins/detectors/sigma/index.js';
import { uebaDetectorPlugin } from '../plugins/detectors/ueba/index.js';
import { fileReceiverPlugin } from '../plugins/receivers/file/index.js';
import { otlpReceiverPlugin } from '../plugins/receivers/otlp/index.js';
import { stdinReceiverPlugin } from '../plugins/receivers/stdin/index.js';
import { syslogReceiverPlugin } from '../plugins/receivers/syslog/index.js';
import { webhookReceiverPlugin } from '../plugins/receivers/webhook/index.js';

declare module '@hapi/hapi' {
  interface Server {
    /** The running appliance: store, pipeline, repositories (see `main/runtime.ts`). */
    seerflow: Runtime;
    /** The process logger. */
    logger: Logger;
  }
}

export interface ServerOptions {
  config: SeerflowConfig;
  logger: Logger;
  clock: ClockNs;
  /** Where the built dashboard lives; absent = the dashboard is not served. */
  rendererDir?: string;
}

export async function createServer({ config, logger, clock, rendererDir }: ServerOptions): Promise<Hapi.Server> {
  const server = Hapi.server({
    host: config.health_bind_address,
    port: config.dashboard_port,
    routes: { validate: { failAction: validationFailAction }, cors: corsOptions(config) },
  });
  server.validator(Joi);
  const runtime = await openRuntime(config, clock, logger);
  server.decorate('server', 'seerflow', runtime);
  server.decorate('server', 'logger', logger);

  // Detectors first: their onPreStart (rules, feeds) runs before any receiver starts listening,
  // so no event arrives ahead of them. They run on every event in the order they join the
  // pipeline: ioc, ml and ueba at registration, then sigma and correlation at onPreStart.
  if (config.detection.sigma_enabled) await server.register({ plugin: sigmaDetectorPlugin, options: { config } });
  else runtime.health.disabled('detector.sigma');
  // Threat intel: feeds polled in the background, matched on every event; its /intel routes are API routes.
  if (config.threat_intel.enabled) {
    await server.register({ plugin: iocPlugin, options: { config: config.threat_intel } }, { routes: { prefix: '/api/v1' } });
  } else runtime.health.disabled('ioc');
  if (config.detection.ml_enabled) await server.register({ plugin: mlDetectorPlugin, options: { config: config.detection } });
  else runtime.health.disabled('detector.ml');
  if (config.ueba.enabled) await server.register({ plugin: uebaDetectorPlugin, options: { config: config.ueba } });
  else runtime.health.disabled('detector.ueba');
  // Correlation joins last (after Sigma's onPreStart): it consumes the alerts the others raise on the same event.
  if (config.correlation.enabled) await server.register({ plugin: correlationDetectorPlugin, options: { config } });
  else runtime.health.disabled('detector.correlation');
  const receivers = config.receivers;
  await server.register([
    ...(receivers.syslog_enabled ? [{ plugin: syslogReceiverPlugin, options: receivers }] : []),
    ...(receivers.otlp_http_enabled || receivers.otlp_grpc_enabled ? [{ plugin: otlpReceiverPlugin, options: receivers }] : []),
    ...(receivers.file_paths.length > 0 ? [{ plugin: fileReceiverPlugin, options: receivers }] : []),
    ...(receivers.webhook_enabled ? [{ plugin: webhookReceiverPlugin, options: receivers }] : []),
    ...(receivers.stdin_enabled ? [{ plugin: stdinReceiverPlugin, options: { stream: process.stdin, maxLineBytes: receivers.max_message_bytes } }] : []),
  ]);
  const registered = {
    'receiver.syslog': receivers.syslog_enabled,
    'receiver.otlp_http': receivers.otlp_http_enabled,
    'receiver.otlp_grpc': receivers.otlp_grpc_enabled,
    'receiver.file': receivers.file_paths.length > 0,
    'receiver.webhook': receivers.webhook_enabled,
    'receiver.stdin': receivers.stdin_enabled,
  };
  for (const [name, enabled] of Object.entries(registered)) if (!enabled) runtime.health.disabled(name);
  // The LLM's services (explain, hunt, rule suggestions); its model loads after start.
  await server.register({ plugin: llmPlugin, options: { config: config.llm } });
  // Host check, rate limits: before any route runs.
  await server.register({ plugin: apiSecurityPlugin, options: { config } });
  await server.register(
    [
      systemApiPlugin,
      eventsApiPlugin,
      alertsApiPlugin,
      entitiesApiPlugin,
      anomalyApiPlugin,
      attackApiPlugin,
      sigmaApiPlugin,
      huntApiPlugin,
      demoApiPlugin,
      openapiPlugin,
    ],
    { routes: { prefix: '/api/v1' } },
  );
  await server.register({ plugin: streamPlugin, options: { config } });
  await server.register({ plugin: alertingPlugin, options: { config: config.alerting } });
  if (rendererDir) await server.register({ plugin: dashboardPlugin, options: { rendererDir } });
  return server;
}

/**
 * Stop in order: receivers and listeners first (in-flight requests finish), then drain the queue,
 * commit everything and close the store. Returns the session summary.
 */
export async function stopServer(server: Hapi.Server): Promise<SessionSummary> {
  await server.stop({ timeout: 10_000 });
  return server.seerflow.close();
}
