/**
 * One structured generation, the same way for every feature and backend: refuse unless the
 * backend is ready (503 with its readiness), queue (one at a time by default, bounded), enforce
 * the request's deadline, and check the answer against its JSON schema; a backend error or an
 * answer that does not fit becomes `failed` (502).
 */
import type { LlmBackend } from './backend.js';
import { LlmError } from './errors.js';
import type { GenerationQueue } from './generation-queue.js';
import { parseModelJson, type JsonSchema } from './json-schema.js';
import type { Readiness } from './readiness.js';

export interface StructuredRequest {
  /** `explanation`, `hunt_filter`, `sigma_draft`: names the schema for HTTP backends. */
  name: string;
  system: string;
  prompt: string;
  schema: JsonSchema;
  timeoutMs: number;
  maxTokens: number;
}

export interface Generated<T> {
  value: T;
  latencyMs: number;
  model: string;
}

export interface EngineOptions {
  temperature: number;
  seed: number;
}

export class LlmEngine {
  readonly #backend: LlmBackend | null;
  readonly #queue: GenerationQueue;
  readonly #options: EngineOptions;

  /** `backend` null = `llm.backend: disabled`. */
  constructor(backend: LlmBackend | null, queue: GenerationQueue, options: EngineOptions) {
    this.#backend = backend;
    this.#queue = queue;
    this.#options = options;
  }

  readiness(): Readiness {
    return this.#backend ? this.#backend.readiness() : { status: 'disabled' };
  }

  get model(): string | null {
    return this.#backend?.model ?? null;
  }

  /** Throws `not_ready` unless the backend is ready. */
  assertReady(): void {
    const readiness = this.readiness();
    if (readiness.status !== 'ready') {
      const why = readiness.reason ? `: ${readiness.reason}` : '';
      throw new LlmError('not_ready', `the LLM is not ready (${readiness.status})${why}`, readiness.status);
    }
  }

  async generate<T>(request: StructuredRequest): Promise<Generated<T>> {
    this.assertReady();
    const backend = this.#backend!;
    const { system, prompt, name: schemaName, schema, maxTokens } = request;
    const started = performance.now();
    const text = await this.#queue.run(
      (signal) =>
        backend
          .generate({ ...this.#options, system, prompt, schemaName, schema, maxTokens, signal })
          .catch((error: Error) => {
            if (signal.aborted) throw error; // the queue reports the timeout
            throw new LlmError('failed', `the LLM backend failed: ${error.message.split('\n')[0]}`);
          }),
      request.timeoutMs,
    );
    try {
      const value = parseModelJson<T>(request.schema, text);
      return { value, latencyMs: Math.round(performance.now() - started), model: backend.model };
    } catch (error) {
      throw new LlmError('failed', (error as Error).message);
    }
  }
}
