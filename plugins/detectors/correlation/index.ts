/**
 * The `correlation` detector plugin, registered after every other detector (it consumes the
 * alerts they raise on each event). Wiring only: loads the rule pack (bundled +
 * `correlation.rule_dirs`, reloaded when those files change), restores the risk register,
 * kill-chain state and entity graph, adds the detector to the pipeline in `onPreStart` (after
 * the other detectors' own `onPreStart`), snapshots its state through the writer, runs graph
 * analysis slices with `setImmediate`, and exposes `/health` (`detector.correlation`) and the
 * `correlation` section of `/stats`.
 */
import type { Plugin } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { fingerprint } from '../sigma/rule-files.js';
import { CorrelationDetector, STATE_KEYS, type CorrelationState } from './detector.js';
import { detectorOptions } from './options.js';
import { loadRulePack } from './rule-loader.js';

export interface CorrelationPluginState {
  detector: CorrelationDetector;
  /** The `correlation` section of `/stats`, with the rule files that did not load. */
  stats(): Record<string, unknown>;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'detector-correlation': CorrelationPluginState;
  }
}

const SNAPSHOT_EVERY_MS = 60_000;
const RELOAD_CHECK_MS = 5000;

export const correlationDetectorPlugin: Plugin<{ config: SeerflowConfig }> = {
  name: 'detector-correlation',
  version: '1.0.0',
  register(server, { config }) {
    const runtime = server.seerflow;
    const { correlation } = config;
    const timers: NodeJS.Timeout[] = [];
    let detector: CorrelationDetector;
    let ruleErrors: string[] = [];

    const load = async () => {
      const pack = await loadRulePack(correlation.rule_dirs);
      ruleErrors = pack.errors;
      if (pack.errors.length > 0) server.logger.warn({ count: pack.errors.length, errors: pack.errors.slice(0, 10) }, 'some correlation rules did not load');
      server.logger.info({ rules: pack.rules.size }, 'correlation rules loaded');
      return pack.rules;
    };
    const restore = async (key: string) => {
      const saved = await runtime.state.loadModelState(key);
      try {
        return saved ? JSON.parse(saved) : undefined;
      } catch {
        server.logger.warn({ key }, 'saved correlation state unreadable; starting empty');
        return undefined;
      }
    };

    server.ext('onPreStart', async () => {
      const state: CorrelationState = {
        risk: await restore(STATE_KEYS.risk),
        killChain: await restore(STATE_KEYS.killChain),
        graph: await restore(STATE_KEYS.graph),
        structure: await restore(STATE_KEYS.structure),
      };
      detector = new CorrelationDetector(
        await load(),
        detectorOptions(config, {
          defer: (step) => void setImmediate(step),
          onDeferredAlerts: (alerts) => {
            for (const alert of alerts) runtime.writer.writeAlert(alert);
          },
        }),
        state,
      );
      runtime.pipeline.addDetector(detector);
      runtime.writer.addStateProvider(() => detector.flush());
      runtime.health.register('detector.correlation', () => detector.health());
      server.expose('detector', detector);
      server.expose('stats', () => ({ ...detector.stats(), rule_errors: ruleErrors }));

      timers.push(setInterval(() => detector.requestSnapshot(), SNAPSHOT_EVERY_MS));
      if (correlation.rule_dirs.length > 0) {
        let seen = await fingerprint(correlation.rule_dirs);
        const check = async () => {
          const now = await fingerprint(correlation.rule_dirs);
          if (now === seen) return;
          seen = now;
          detector.swapRules(await load());
        };
        timers.push(setInterval(() => void check().catch((error: Error) => server.logger.warn({ err: error.message }, 'correlation rule reload failed')), RELOAD_CHECK_MS));
      }
      for (const timer of timers) timer.unref();
    });
    server.ext('onPreStop', () => {
      timers.forEach((timer) => clearInterval(timer));
      detector.finishAnalysis();
      detector.requestSnapshot();
    });
  },
};
