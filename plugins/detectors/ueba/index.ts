/**
 * The `ueba` detector plugin: per-entity behaviour baselines (reference §8). Registered only when
 * `ueba.enabled`.
 *
 * Wiring only: restores the saved baselines (corrupt state is logged and ignored), adds the
 * detector to the pipeline, saves through the writer's transaction every 5 minutes and at stop,
 * registers the `detector.ueba` health component, and exposes the baseline lookup
 * (`server.plugins['detector-ueba'].baselines`) for the entities API and the `/stats` section.
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import type { UebaConfig } from '../../../main/config/sections/ueba.js';
import { UebaDetector, type BaselineLookup, type UebaStats } from './detector.js';
import { UEBA_STATE_KEY, UebaStateError } from './state.js';

export interface UebaPluginState {
  baselines: { lookup(entityId: string): BaselineLookup };
  /** The `ueba` section of `/stats`. */
  stats(): UebaStats;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'detector-ueba': UebaPluginState;
  }
}

/** The original's model-save cadence (`model_save_interval_seconds` 300): saving encodes every baseline. */
const SNAPSHOT_EVERY_MS = 300_000;

const optionsSchema = Joi.object({
  config: Joi.object({ enabled: Joi.boolean().valid(true).required() }).unknown().required(),
}).required();

export const uebaDetectorPlugin: Plugin<{ config: UebaConfig }> = {
  name: 'detector-ueba',
  version: '1.0.0',
  async register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "detector-ueba" options (register it only when ueba.enabled)');
    const { config } = options;
    const runtime = server.seerflow;
    const logger = server.logger;
    const onFirstEviction = () =>
      logger.warn({ max_entities: config.max_entities }, 'UEBA baselines reached ueba.max_entities; the least recently seen are evicted (raise it to keep more)');

    const saved = await runtime.state.loadModelState(UEBA_STATE_KEY);
    let detector: UebaDetector;
    try {
      detector = new UebaDetector({ config, saved, onFirstEviction });
    } catch (error) {
      if (!(error instanceof UebaStateError)) throw error;
      logger.warn({ err: error.message }, 'saved UEBA baselines unreadable; starting with none');
      detector = new UebaDetector({ config, onFirstEviction });
    }
    runtime.pipeline.addDetector(detector);
    runtime.writer.addStateProvider(() => detector.flush());
    runtime.health.register('detector.ueba', () => detector.health());
    server.expose('baselines', { lookup: (entityId: string) => detector.lookup(entityId) });
    server.expose('stats', () => detector.stats());

    let timer: NodeJS.Timeout | undefined;
    server.ext('onPreStart', () => {
      timer = setInterval(() => detector.requestSnapshot(), SNAPSHOT_EVERY_MS);
      timer.unref();
    });
    // The queue drains after the stop: every commit from then on, the last included, saves.
    server.ext('onPreStop', () => {
      clearInterval(timer);
      detector.saveOnEveryCommit();
    });
  },
};
