/**
 * The `ioc` detector plugin: threat-intel feeds (TAXII 2.1 and plain blocklists) matched
 * against every event. Registered only when `threat_intel.enabled`.
 *
 * Wiring only: builds the service (`intel-service.ts`), restores each feed's saved indicators,
 * adds the detector to the pipeline, saves changed feeds through the writer's transaction,
 * registers `/health` components (`ioc`, `ioc.feed.<id>`), exposes the `/stats` section and
 * the `/intel` routes, and polls between `onPostStart` and `onPreStop`.
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import type { ThreatIntelConfig } from '../../../main/config/types.js';
import { IntelService } from './intel-service.js';
import { intelRoutes } from './routes.js';

export interface IocPluginOptions {
  /** The validated `threat_intel` section. */
  config: ThreatIntelConfig;
  /** Where feed secrets are read from (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

export interface IocPluginState {
  service: IntelService;
  /** The `threat_intel` section of `/stats`. */
  stats(): Record<string, unknown>;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    ioc: IocPluginState;
  }
}

/** The original warned above this many indicators per feed (reference §9). */
const WARN_INDICATORS_PER_FEED = 1_500_000;

const optionsSchema = Joi.object({
  config: Joi.object({ enabled: Joi.boolean().valid(true).required(), feeds: Joi.array().required() }).unknown().required(),
  env: Joi.object().unknown(),
}).required();

export const iocPlugin: Plugin<IocPluginOptions> = {
  name: 'ioc',
  version: '1.0.0',
  async register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "ioc" options (register it only when threat_intel.enabled)');
    const { config } = options;
    const runtime = server.seerflow;
    const logger = server.logger;
    if (config.max_indicators_per_feed > WARN_INDICATORS_PER_FEED) {
      logger.warn({ max_indicators_per_feed: config.max_indicators_per_feed }, 'threat_intel.max_indicators_per_feed is high: memory grows about 60 bytes per indicator');
    }

    // Saving: changed feeds' snapshots ride the writer's next commit; after a poll, commit now.
    const persist = () => {
      void runtime.writer.flush().then(
        () => {
          if (runtime.writer.stats.lastError) service.persistFailed();
        },
        () => service.persistFailed(),
      );
    };
    const service = new IntelService(config, {
      env: options.env ?? process.env,
      nowMs: () => Number(runtime.clock() / 1_000_000n),
      logger,
      requestPersist: persist,
    });
    await service.restore((key) => runtime.state.loadModelState(key));
    runtime.writer.addStateProvider(() => service.stateRows());

    runtime.pipeline.addDetector(service.detector);
    runtime.health.register('ioc', () => service.detector.health());
    for (const runner of service.runners) runtime.health.register(`ioc.feed.${runner.feed.id}`, () => runner.health());
    server.expose('service', service);
    server.expose('stats', () => service.stats());
    server.route(intelRoutes(service));

    server.ext('onPostStart', () => service.start());
    server.ext('onPreStop', () => service.stop());
  },
};
