/**
 * The local backend: a GGUF model run in-process through node-llama-cpp, loaded once when the
 * server starts and disposed when it stops. The file is checked before loading (`model-check.ts`:
 * a bad file must never abort the process); loading is retried `llm.load_attempts` times
 * (the binding's start-up test can time out on a busy machine) and never throws: readiness goes
 * `loading` → `ready`, or `degraded` with the reason.
 *
 * Each generation gets a fresh chat session on a context sequence, its JSON schema turned into a
 * grammar (compiled once per schema), threads as configured (1 by default: on a 2-core machine
 * two threads ran 20x slower).
 */
import { LlamaChatSession, type Llama, type LlamaContext, type LlamaGrammar, type LlamaModel } from 'node-llama-cpp';
import type { LlmConfig } from '../../main/config/sections/llm.js';
import type { GenerationRequest, LlmBackend } from './backend.js';
import type { JsonSchema } from './json-schema.js';
import { acquireLlama, releaseLlama } from './llama-runtime.js';
import { checkModelFile } from './model-check.js';
import type { Readiness } from './readiness.js';

export interface LlamaCppOptions {
  config: LlmConfig;
  onLoaded?: (info: { model: string; loadMs: number }) => void;
  onFailed?: (reason: string) => void;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
}

export class LlamaCppBackend implements LlmBackend {
  readonly #options: LlamaCppOptions;
  readonly #grammars = new Map<JsonSchema, Promise<LlamaGrammar>>();
  #readiness: Readiness = { status: 'loading', reason: 'not started' };
  #loaded: Loaded | undefined;
  #loading: Promise<void> | undefined;
  #disposed = false;
  /** Ends a wait between load attempts (on dispose). */
  #wake = () => {};
  /** The file name until the model's own `general.name` is read. */
  #model: string;

  constructor(options: LlamaCppOptions) {
    this.#options = options;
    this.#model = options.config.model_path.split(/[\\/]/).pop() ?? 'local';
  }

  get model(): string {
    return this.#model;
  }

  readiness(): Readiness {
    return this.#readiness;
  }

  start(): void {
    this.#loading ??= this.#load().catch((error: Error) => this.#fail(`model load failed: ${error.message}`));
  }

  async #load(): Promise<void> {
    const { config } = this.#options;
    const started = Date.now();
    this.#readiness = { status: 'loading', reason: `checking ${config.model_path}` };
    const check = await checkModelFile(config.model_path);
    if (!check.ok) return this.#fail(check.reason);
    this.#model = check.info.name;
    let lastError = '';
    for (let attempt = 1; attempt <= config.load_attempts && !this.#disposed; attempt++) {
      this.#readiness = { status: 'loading', reason: `loading ${check.info.name} (attempt ${attempt} of ${config.load_attempts})` };
      try {
        this.#loaded = await this.#open(config);
        if (this.#disposed) return this.#close();
        this.#readiness = { status: 'ready' };
        this.#options.onLoaded?.({ model: this.model, loadMs: Date.now() - started });
        return;
      } catch (error) {
        lastError = (error as Error).message.split('\n')[0]!;
        if (attempt < config.load_attempts) {
          const delay = config.load_retry_delay_s;
          this.#readiness = { status: 'degraded', reason: `model load attempt ${attempt} failed: ${lastError}; retrying in ${delay} s` };
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, delay * 1000);
            this.#wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
      }
    }
    if (!this.#disposed) this.#fail(`model load failed after ${config.load_attempts} attempts: ${lastError}`);
  }

  async #open(config: LlmConfig): Promise<Loaded> {
    const llama = await acquireLlama();
    try {
      const model = await llama.loadModel({ modelPath: config.model_path, gpuLayers: config.n_gpu_layers });
      try {
        const context = await model.createContext({
          contextSize: Math.min(config.n_ctx, model.trainContextSize),
          sequences: config.concurrency,
          threads: config.n_threads ?? 1,
        });
        return { llama, model, context };
      } catch (error) {
        await model.dispose();
        throw error;
      }
    } catch (error) {
      await releaseLlama();
      throw error;
    }
  }

  #fail(reason: string): void {
    this.#readiness = { status: 'degraded', reason };
    this.#options.onFailed?.(reason);
  }

  async generate(request: GenerationRequest): Promise<string> {
    const loaded = this.#loaded;
    if (!loaded) throw new Error('the model is not loaded');
    const grammar = await this.#grammar(loaded.llama, request.schema);
    const sequence = loaded.context.getSequence();
    const session = new LlamaChatSession({ contextSequence: sequence, systemPrompt: request.system, autoDisposeSequence: false });
    try {
      return await session.prompt(request.prompt, {
        grammar,
        maxTokens: request.maxTokens,
        temperature: request.temperature,
        seed: request.seed,
        signal: request.signal,
      });
    } finally {
      session.dispose();
      sequence.dispose();
    }
  }

  #grammar(llama: Llama, schema: JsonSchema): Promise<LlamaGrammar> {
    let grammar = this.#grammars.get(schema);
    if (!grammar) {
      // Our schema subset is a subset of node-llama-cpp's; its types are stricter than needed here.
      grammar = llama.createGrammarForJsonSchema(schema as Parameters<Llama['createGrammarForJsonSchema']>[0]);
      this.#grammars.set(schema, grammar);
      grammar.catch(() => this.#grammars.delete(schema));
    }
    return grammar;
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#wake();
    await this.#loading;
    await this.#close();
  }

  async #close(): Promise<void> {
    const loaded = this.#loaded;
    this.#loaded = undefined;
    this.#grammars.clear();
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
    await releaseLlama();
  }
}
