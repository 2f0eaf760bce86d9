/** The `llm` config section: the original's key names and defaults, and the mistakes it refuses. */
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../main/config/load.js';

describe('llm config', () => {
  it('defaults to disabled, with the original defaults for its limits and caches', () => {
    expect(validateConfig({}, {}).llm).toMatchObject({
      backend: 'disabled',
      n_ctx: 4096,
      n_gpu_layers: 0,
      max_tokens_default: 256,
      temperature_default: 0.2,
      seed: 42,
      explanation_cache_size: 256,
      explanation_cache_ttl_s: 3600,
      explanation_max_contributing_events: 8,
      explanation_max_prompt_chars: 8000,
      explanation_timeout_s: 12,
      hunt_max_query_chars: 512,
      hunt_max_results: 100,
      rule_suggestion_min_tp: 3,
      rule_suggestion_window_days: 0,
      rule_suggestion_cache_size: 64,
      rule_suggestion_cache_ttl_s: 21_600,
      rule_suggestion_timeout_s: 30,
      concurrency: 1,
    });
  });

  it('needs a model path for llama_cpp, an environment variable NAME for the key, and the bounds kept', () => {
    expect(() => validateConfig({ llm: { backend: 'llama_cpp' } }, {})).toThrow(ConfigError);
    expect(() => validateConfig({ llm: { backend: 'llama_cpp' } }, {})).toThrow(/llm\.model_path/);
    expect(() => validateConfig({ llm: { backend: 'openai', api_key_env: 'sk-live-abc' } }, {})).toThrow(/llm\.api_key_env/);
    expect(() => validateConfig({ llm: { n_ctx: 256 } }, {})).toThrow(/llm\.n_ctx/);
    expect(() => validateConfig({ llm: { backend: 'llamacpp' } }, {})).toThrow(/llm\.backend/);
    expect(validateConfig({ llm: { backend: 'openai', api_key_env: 'OPENAI_API_KEY' } }, {}).llm.api_key_env).toBe('OPENAI_API_KEY');
  });
});
