/**
 * The `llm` section: local model or OpenAI-compatible backend, explain, hunt, rule suggestions
 * (reference §12). Key names and defaults are the original's; its `ollama`/`cloud` backends are
 * covered by one `openai` backend (Ollama, llama.cpp's server, vLLM, LM Studio and hosted APIs
 * all speak `/v1/chat/completions`), whose key is read from the environment variable named by
 * `api_key_env`, never written in the config. `disabled` replaces the original's empty string.
 */
import Joi from 'joi';

const envName = Joi.string().pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable name');

export const llmSection = Joi.object({
  backend: Joi.string().valid('disabled', 'llama_cpp', 'openai').default('disabled'),
  // Local model (llama_cpp)
  /** A GGUF file; checked (readable, GGUF, required metadata) before it is loaded. */
  model_path: Joi.string().allow('').default('').when('backend', { is: 'llama_cpp', then: Joi.string().min(1).required() }),
  /** Where `seerflow models pull` stores models; null = `<storage.data_dir>/models`. */
  models_dir: Joi.string().allow(null).default(null),
  n_ctx: Joi.number().integer().min(512).max(32_768).default(4096),
  /** null = 1 thread per generation slot (more threads than cores slows llama.cpp down sharply). */
  n_threads: Joi.number().integer().min(1).max(256).allow(null).default(null),
  n_gpu_layers: Joi.number().integer().min(0).max(1000).default(0),
  /** Model load attempts before the backend reports `degraded` (a busy machine can fail the first). */
  load_attempts: Joi.number().integer().min(1).max(10).default(2),
  load_retry_delay_s: Joi.number().min(0).max(600).default(2),
  // OpenAI-compatible HTTP backend (openai)
  /** The original's `ollama_url` default, at Ollama's OpenAI-compatible path. */
  base_url: Joi.string().uri({ scheme: ['http', 'https'] }).default('http://localhost:11434/v1'),
  /** The original's `ollama_model` default. */
  model: Joi.string().min(1).max(256).default('phi4-mini'),
  /** The NAME of the environment variable holding the API key; null = no key (local servers). */
  api_key_env: envName.allow(null).default(null),
  /** Seconds for one HTTP request (connect to last byte). */
  timeout: Joi.number().greater(0).max(600).default(30),
  // Shared
  /** Tokens a hunt filter may take (the original's default for every completion). */
  max_tokens_default: Joi.number().integer().min(1).max(1024).default(256),
  temperature_default: Joi.number().min(0).max(2).default(0.2),
  seed: Joi.number().integer().min(0).max(2 ** 31 - 1).default(42),
  /** Generations run at once; more wait in a queue of `queue_max` (then 503 `llm_busy`). */
  concurrency: Joi.number().integer().min(1).max(16).default(1),
  queue_max: Joi.number().integer().min(0).max(1000).default(16),
  // Explanations
  explanation_cache_size: Joi.number().integer().min(0).max(100_000).default(256),
  explanation_cache_ttl_s: Joi.number().integer().min(1).max(86_400).default(3600),
  explanation_max_contributing_events: Joi.number().integer().min(1).max(64).default(8),
  explanation_max_prompt_chars: Joi.number().integer().min(512).max(32_000).default(8000),
  explanation_timeout_s: Joi.number().min(1).max(120).default(12),
  /** An explanation's four JSON fields need more room than a free-text answer: the original's hard cap. */
  explanation_max_tokens: Joi.number().integer().min(1).max(1024).default(1024),
  // Hunt
  hunt_max_query_chars: Joi.number().integer().min(16).max(16_384).default(512),
  hunt_cache_size: Joi.number().integer().min(0).max(100_000).default(256),
  hunt_cache_ttl_s: Joi.number().integer().min(1).max(86_400).default(3600),
  hunt_timeout_s: Joi.number().min(1).max(120).default(12),
  hunt_max_results: Joi.number().integer().min(1).max(10_000).default(100),
  // Rule suggestions
  rule_suggestion_min_tp: Joi.number().integer().min(1).max(100).default(3),
  /** 0 = all time. */
  rule_suggestion_window_days: Joi.number().integer().min(0).max(365).default(0),
  rule_suggestion_cache_size: Joi.number().integer().min(0).max(4096).default(64),
  rule_suggestion_cache_ttl_s: Joi.number().integer().min(1).max(604_800).default(21_600),
  rule_suggestion_timeout_s: Joi.number().min(1).max(600).default(30),
  rule_suggestion_max_tokens: Joi.number().integer().min(1).max(1024).default(1024),
}).default();

export interface LlmConfig {
  backend: 'disabled' | 'llama_cpp' | 'openai';
  model_path: string;
  models_dir: string | null;
  n_ctx: number;
  n_threads: number | null;
  n_gpu_layers: number;
  load_attempts: number;
  load_retry_delay_s: number;
  base_url: string;
  model: string;
  api_key_env: string | null;
  timeout: number;
  max_tokens_default: number;
  temperature_default: number;
  seed: number;
  concurrency: number;
  queue_max: number;
  explanation_cache_size: number;
  explanation_cache_ttl_s: number;
  explanation_max_contributing_events: number;
  explanation_max_prompt_chars: number;
  explanation_timeout_s: number;
  explanation_max_tokens: number;
  hunt_max_query_chars: number;
  hunt_cache_size: number;
  hunt_cache_ttl_s: number;
  hunt_timeout_s: number;
  hunt_max_results: number;
  rule_suggestion_min_tp: number;
  rule_suggestion_window_days: number;
  rule_suggestion_cache_size: number;
  rule_suggestion_cache_ttl_s: number;
  rule_suggestion_timeout_s: number;
  rule_suggestion_max_tokens: number;
}
