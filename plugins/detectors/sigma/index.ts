/**
 * The Sigma detector plugin: loads our bundled pack, `detection.sigma_rules_dirs` and uploaded
 * rules, applies each rule's saved enabled state, registers the detector with the pipeline,
 * reloads when rule files change, persists per-rule counts, follows rule toggles made on other
 * appliances sharing a PostgreSQL store, and exposes a `SigmaService`
 * (`server.plugins['detector-sigma'].service`) for the API and the CLI.
 */
import path from 'node:path';
import type { Plugin } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { SigmaRulesRepository, type RuleState } from '../../../main/storage/sigma-rules-repository.js';
import { CORRELATION_STATE_KEY, SigmaDetector } from './detector.js';
import { buildSigmaPack } from './pack.js';
import { fingerprint } from './rule-files.js';
import { RuleStateSync } from './rule-state-sync.js';
import { packOptions, readRuleSources, ruleSources } from './rule-sources.js';
import { SigmaService } from './service.js';

declare module '@hapi/hapi' {
  interface PluginProperties {
    'detector-sigma': { service: SigmaService };
  }
}

const COUNTS_FLUSH_MS = 10_000;

const SNAPSHOT_EVERY_MS = 60_000;

export const sigmaDetectorPlugin: Plugin<{ config: SeerflowConfig }> = {
  name: 'detector-sigma',
  version: '1.0.0',
  register(server, { config }) {
    const runtime = server.seerflow;
    const options = config.detection;
    const rulesRepo = new SigmaRulesRepository(runtime.db, runtime.reader);
    const dirs = ruleSources(options);
    const warn = (message: string) => server.logger.warn(message);
    let detector: SigmaDetector;
    let state = new Map<string, RuleState>();
    let seen = '';
    const timers: NodeJS.Timeout[] = [];
    let stateSync: RuleStateSync | undefined;

    const load = async () => {
      const pack = buildSigmaPack(await readRuleSources(dirs, warn), packOptions(options));
      for (const [ruleId, saved] of state) if (!saved.enabled) pack.engine.disable(ruleId);
      if (pack.problems.length > 0) {
        server.logger.warn({ count: pack.problems.length, first: pack.problems.slice(0, 5) }, 'some Sigma rules did not load');
      }
      server.logger.info({ rules: pack.engine.size, correlations: pack.correlations.length }, 'Sigma rules loaded');
      return pack;
    };
    const reload = async () => {
      seen = await fingerprint(dirs.map((d) => d.dir));
      detector.swap(await load());
    };
    const flushCounts = async () => {
      const deltas = detector.takeDeltas();
      await rulesRepo.addMatches(deltas, runtime.clock());
      for (const [ruleId, delta] of deltas) {
        const saved = state.get(ruleId) ?? { ruleId, enabled: true, matchCount: 0, lastFiredNs: null };
        const last = saved.lastFiredNs === null || delta.lastFiredNs > saved.lastFiredNs ? delta.lastFiredNs : saved.lastFiredNs;
        state.set(ruleId, { ...saved, matchCount: saved.matchCount + delta.matches, lastFiredNs: last });
      }
    };
    server.ext('onPreStart', async () => {
      state = await rulesRepo.loadAll();
      seen = await fingerprint(dirs.map((d) => d.dir));
      const saved = await runtime.state.loadModelState(CORRELATION_STATE_KEY);
      detector = new SigmaDetector(
        await load(),
        {
          correlation: {
            maxStateEntries: options.sigma_correlation_max_state,
            lateToleranceNs: BigInt(Math.round(options.sigma_correlation_late_tolerance_s * 1e9)),
            onWarning: (w) => server.logger.warn(w, 'Sigma correlation'),
          },
          onWarning: warn,
        },
        saved ? JSON.parse(saved) : undefined,
      );
      runtime.pipeline.addDetector(detector);
      runtime.writer.addStateProvider(() => detector.flush());
      runtime.health.register('detector.sigma', () => detector.health());
      server.expose(
        'service',
        new SigmaService({
          detector,
          rules: rulesRepo,
          state,
          clock: runtime.clock,
          uploads: options.sigma_custom_upload_dir
            ? { dir: path.resolve(options.sigma_custom_upload_dir), maxRules: options.sigma_custom_max_rules, maxBytes: options.sigma_custom_max_bytes }
            : null,
          reload,
        }),
      );
      const guard = (what: string, work: () => Promise<void>) => () =>
        void work().catch((error: Error) => server.logger.warn({ err: error.message }, `Sigma ${what} failed`));
      timers.push(
        setInterval(guard('count flush', flushCounts), COUNTS_FLUSH_MS),
        setInterval(() => detector.requestSnapshot(), SNAPSHOT_EVERY_MS),
        setInterval(
          guard('reload', async () => {
            if ((await fingerprint(dirs.map((d) => d.dir))) !== seen) await reload();
          }),
          options.sigma_reload_interval_ms,
        ),
      );
      for (const timer of timers) timer.unref();
      // Other appliances on a shared store toggle rules too; one SQLite file has one appliance.
      if (config.storage.backend === 'postgresql') {
        stateSync = new RuleStateSync({
          rules: rulesRepo,
          engine: () => detector.pack.engine,
          state,
          clock: runtime.clock,
          intervalMs: options.sigma_state_sync_interval_s * 1000,
          logger: server.logger,
        });
        stateSync.start();
      }
    });
    server.ext('onPreStop', async () => {
      timers.forEach((timer) => clearInterval(timer));
      await stateSync?.stop();
      detector.requestSnapshot();
      await flushCounts();
    });
  },
};
