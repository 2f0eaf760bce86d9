/**
 * The `ml` detector plugin: the streaming ensemble on every event (after sigma and ioc).
 * Registered only when `detection.ml_enabled`.
 *
 * Wiring only: builds the ensemble from the `detection` keys, restores its saved state (a
 * corrupt one is logged and ignored), adds the detector to the pipeline, hands its state to the
 * writer (every `model_save_interval_seconds`, after feedback, and at shutdown), registers the
 * `detector.ml` health component, exposes the `/stats` section and the per-minute score summary
 * (for `/anomaly/timeline`), and raises a source's upper threshold on false-positive verdicts.
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import type { MlDetectionConfig } from '../../../main/config/sections/ml.js';
import { attackMapperFor } from './attack-mapper.js';
import { MlDetector } from './detector.js';
import { Ensemble, ensembleOptionsFromConfig } from './ensemble.js';
import { restoreEnsemble } from './ensemble-state.js';
import { sourceOfDedupKey } from './ml-alerts.js';
import { ScoreSummary } from './score-summary.js';

export interface MlPluginOptions {
  /** The validated `detection` section. */
  config: MlDetectionConfig;
}

export interface MlPluginState {
  detector: MlDetector;
  scores: ScoreSummary;
  /** The `ml` section of `/stats`. */
  stats(): Record<string, unknown>;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'detector-ml': MlPluginState;
  }
}

/** A false positive raises its source's upper threshold by this factor (reference §13). */
const FALSE_POSITIVE_FACTOR = 1.05;

const optionsSchema = Joi.object({
  config: Joi.object({ ml_enabled: Joi.boolean().valid(true).required() }).unknown().required(),
}).required();

export const mlDetectorPlugin: Plugin<MlPluginOptions> = {
  name: 'detector-ml',
  version: '1.0.0',
  async register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "detector-ml" options (register it only when detection.ml_enabled)');
    const { config } = options;
    const runtime = server.seerflow;
    const logger = server.logger;

    const ensemble = new Ensemble(ensembleOptionsFromConfig(config));
    const restored = await restoreEnsemble(ensemble, (key) => runtime.state.loadModelState(key), (message, detail) => logger.warn(detail, message));
    if (restored > 0) logger.info({ sources: restored }, 'ML models restored');
    const detector = new MlDetector(ensemble, attackMapperFor(config.attack_mappings), new ScoreSummary(), {
      clock: runtime.clock,
      saveIntervalNs: BigInt(config.model_save_interval_seconds) * 1_000_000_000n,
    });
    runtime.pipeline.addDetector(detector);
    runtime.writer.addStateProvider(() => detector.flush());
    runtime.health.register('detector.ml', () => detector.health());
    server.expose('detector', detector);
    server.expose('scores', detector.summary);
    server.expose('stats', () => detector.stats());

    // Feedback: the raised threshold applies at once and is committed right away.
    const unsubscribe = runtime.verdicts.subscribe(({ alert, verdict }) => {
      const source = sourceOfDedupKey(alert.dedupKey);
      if (verdict !== 'fp' || alert.alertType !== 'ml' || source === undefined) return;
      const result = detector.adjustUpperThreshold(source, FALSE_POSITIVE_FACTOR);
      logger.info({ source, alert_id: alert.alertId, ...(result ?? { status: 'unknown_source' }) }, 'ML false positive: upper threshold raised');
      if (result && result.status !== 'not_calibrated') {
        runtime.writer.flush().catch((error: Error) => logger.warn({ err: error.message }, 'saving the ML threshold failed; it will be saved with the next commit'));
      }
    });
    server.ext('onPreStop', () => {
      unsubscribe();
      detector.saveOnEveryCommit();
    });
  },
};
