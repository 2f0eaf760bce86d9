/**
 * The `alerting` plugin: sends new alerts (published on `server.seerflow.alerts` once recorded,
 * so a repeat within its dedup window never comes here) to the configured sinks.
 *
 * Wiring only: opens the sinks (`open-sinks.ts`), gives each a delivery queue, compiles the
 * routing, registers a `/health` component per sink (`alerting.sink.<name>`), exposes the
 * `/stats` section, subscribes at `onPreStart`, and at `onPostStop` lets the pipeline's last
 * alerts in and the queues drain, both within `delivery.drain_timeout_ms`. Registered always;
 * with no sink configured it does nothing.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import type { Writable } from 'node:stream';
import type { AlertingConfig } from '../../main/config/sections/alerting.js';
import { DeliveryQueue } from './delivery-queue.js';
import { Dispatcher, type AlertingStats } from './dispatcher.js';
import { openSink, sinkConfigs } from './open-sinks.js';
import { compileRouter } from './router.js';
import type { Sink } from './sinks/sink.js';

export interface AlertingPluginOptions {
  /** The validated `alerting` section. */
  config: AlertingConfig;
  /** Where console sinks write (the process's stdout and stderr by default). */
  streams?: { stdout: Writable; stderr: Writable };
}

export interface AlertingPluginState {
  /** The `alerting` section of `/stats`. */
  stats(): AlertingStats;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    alerting: AlertingPluginState;
  }
}

const optionsSchema = Joi.object({
  config: Joi.object({ sinks: Joi.array().required(), delivery: Joi.object().required() }).unknown().required(),
  streams: Joi.object({ stdout: Joi.object().required(), stderr: Joi.object().required() }),
}).required();

export const alertingPlugin: Plugin<AlertingPluginOptions> = {
  name: 'alerting',
  version: '1.0.0',
  async register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "alerting" options (pass { config: config.alerting })');
    const { config } = options;
    const runtime = server.seerflow;
    const { delivery } = config;

    const policy = { attempts: delivery.attempts, backoffBaseMs: delivery.backoff_base_ms, backoffMaxMs: delivery.backoff_max_ms };
    const sinks: Sink[] = [];
    let dispatcher: Dispatcher;
    try {
      for (const sink of sinkConfigs(config)) {
        sinks.push(
          await openSink(sink, {
            streams: options.streams ?? { stdout: process.stdout, stderr: process.stderr },
            dashboardUrl: config.dashboard_url,
            timeoutMs: delivery.timeout_ms,
          }),
        );
      }
      const queues = sinks.map((sink) => new DeliveryQueue(sink, policy, delivery.queue_size));
      dispatcher = new Dispatcher(compileRouter(config, new Map(queues.map((queue) => [queue.sink.name, queue]))), queues);
    } catch (error) {
      await Promise.all(sinks.map((sink) => sink.close()));
      throw error;
    }
    server.expose('stats', () => dispatcher.stats());
    if (sinks.length === 0) return;
    server.logger.info({ sinks: sinks.map((sink) => `${sink.name} (${sink.type}, ${sink.formatter})`) }, 'alert sinks ready');

    for (const queue of dispatcher.queues) runtime.health.register(`alerting.sink.${queue.sink.name}`, () => queue.health());
    let unsubscribe: (() => void) | undefined;
    server.ext('onPreStart', () => {
      unsubscribe = runtime.alerts.subscribe((alert) => dispatcher.dispatch(alert));
    });
    // Receivers have stopped by now: what the pipeline still holds raises its alerts here, and
    // then the queues get what is left of the same bounded time.
    server.ext('onPostStop', async () => {
      const deadline = Date.now() + delivery.drain_timeout_ms;
      await Promise.race([runtime.pipeline.drain().catch(() => undefined), sleep(delivery.drain_timeout_ms, undefined, { ref: false })]);
      unsubscribe?.();
      await dispatcher.close(Math.max(0, deadline - Date.now()));
    });
  },
};
