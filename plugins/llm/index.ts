/**
 * The `llm` plugin: explanations, hunts and rule suggestions over a local GGUF model
 * (node-llama-cpp) or an OpenAI-compatible server. Always registered: with `llm.backend:
 * disabled` its features answer 503 `llm_not_ready` (`disabled`), except the hunt's entity
 * lookup, which needs no model.
 *
 * Wiring only: builds the backend, the generation queue and the engine, the three services
 * (exposed as `server.plugins.llm` for the API plugins and the CLI), registers the `llm` health
 * component, starts loading the model after the server starts (so a slow or bad model never
 * delays or breaks the rest of the appliance) and disposes it when the server stops.
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import { FeedbackPatternsRepository } from '../../main/storage/feedback-patterns.js';
import { createBackend } from './backends.js';
import { uebaBaselineSource } from './baseline.js';
import { LlmEngine } from './engine.js';
import { Explanations } from './explanations.js';
import { GenerationQueue } from './generation-queue.js';
import { Hunts } from './hunts.js';
import { componentHealth } from './readiness.js';
import { RuleSuggestions } from './rule-suggestions.js';

export interface LlmPluginOptions {
  /** The validated `llm` section. */
  config: LlmConfig;
  /** Where `llm.api_key_env` is read (process.env by default). */
  env?: NodeJS.ProcessEnv;
}

export interface LlmPluginState {
  engine: LlmEngine;
  explanations: Explanations;
  hunts: Hunts;
  suggestions: RuleSuggestions;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    llm: LlmPluginState;
  }
}

const optionsSchema = Joi.object({
  config: Joi.object({ backend: Joi.string().required() }).unknown().required(),
  env: Joi.object().unknown(),
}).required();

export const llmPlugin: Plugin<LlmPluginOptions> = {
  name: 'llm',
  version: '1.0.0',
  register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "llm" options (pass the validated llm config section)');
    const { config } = options;
    const runtime = server.seerflow;
    const backend = createBackend(config, options.env ?? process.env, server.logger);
    const queue = new GenerationQueue({ concurrency: config.concurrency, maxQueued: config.queue_max });
    const engine = new LlmEngine(backend, queue, { temperature: config.temperature_default, seed: config.seed });
    const common = { engine, config, clock: runtime.clock, events: runtime.events };
    server.expose('engine', engine);
    server.expose('explanations', new Explanations({ ...common, baseline: uebaBaselineSource(server) }));
    server.expose('hunts', new Hunts({ ...common, alerts: runtime.alertStore, entities: runtime.entities }));
    server.expose(
      'suggestions',
      new RuleSuggestions({ ...common, alerts: runtime.alertStore, patterns: new FeedbackPatternsRepository(runtime.reader) }),
    );
    runtime.health.register('llm', () => componentHealth(engine.readiness()));

    if (!backend) return;
    server.ext('onPostStart', () => backend.start());
    server.ext('onPreStop', () => backend.dispose());
  },
};
