/**
 * The HTTP backend: any server speaking OpenAI's `POST /v1/chat/completions` (llama.cpp's
 * server, Ollama, vLLM, LM Studio, hosted APIs). The output is asked for with
 * `response_format: {type: 'json_schema', strict: true}`; servers that ignore it are still
 * checked by the engine's validation. The API key is read from the environment variable named
 * by `llm.api_key_env` when the backend starts, never from the config file.
 */
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { GenerationRequest, LlmBackend } from './backend.js';
import type { Readiness } from './readiness.js';

interface ChatCompletion {
  choices?: Array<{ message?: { content?: string | null }; finish_reason?: string }>;
}

export class OpenAiBackend implements LlmBackend {
  readonly model: string;
  readonly #config: LlmConfig;
  readonly #env: NodeJS.ProcessEnv;
  #apiKey: string | undefined;
  #readiness: Readiness = { status: 'loading' };

  constructor(config: LlmConfig, env: NodeJS.ProcessEnv) {
    this.#config = config;
    this.#env = env;
    this.model = config.model;
  }

  readiness(): Readiness {
    return this.#readiness;
  }

  start(): void {
    const name = this.#config.api_key_env;
    this.#apiKey = name ? this.#env[name] : undefined;
    this.#readiness =
      name && !this.#apiKey
        ? { status: 'degraded', reason: `environment variable ${name} (llm.api_key_env) is not set` }
        : { status: 'ready' };
  }

  async generate(request: GenerationRequest): Promise<string> {
    const url = `${this.#config.base_url.replace(/\/+$/, '')}/chat/completions`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(this.#apiKey ? { Authorization: `Bearer ${this.#apiKey}` } : {}) },
      body: JSON.stringify({
        model: this.model,
        messages: [
          { role: 'system', content: request.system },
          { role: 'user', content: request.prompt },
        ],
        max_tokens: request.maxTokens,
        temperature: request.temperature,
        seed: request.seed,
        stream: false,
        response_format: { type: 'json_schema', json_schema: { name: request.schemaName, strict: true, schema: request.schema } },
      }),
      signal: AbortSignal.any([request.signal, AbortSignal.timeout(this.#config.timeout * 1000)]),
    });
    if (!response.ok) {
      const body = (await response.text().catch(() => '')).slice(0, 200);
      throw new Error(`${url} answered HTTP ${response.status}${body ? `: ${body}` : ''}`);
    }
    const completion = (await response.json()) as ChatCompletion;
    const content = completion.choices?.[0]?.message?.content;
    if (typeof content !== 'string') throw new Error(`${url} answered no message content`);
    return content;
  }

  async dispose(): Promise<void> {}
}
