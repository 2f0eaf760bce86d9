/**
 * What every backend offers: readiness for `/health`, one structured generation (a system and a
 * user prompt in, the text of a JSON value matching `schema` out), and disposal. Backends do not
 * queue, time out or validate: `LlmEngine` (`engine.ts`) does that for all of them.
 */
import type { JsonSchema } from './json-schema.js';
import type { Readiness } from './readiness.js';

export interface GenerationRequest {
  /** Short: a byte-level test model spends one token per byte. */
  system: string;
  prompt: string;
  /** Names the output (OpenAI's `json_schema.name`). */
  schemaName: string;
  schema: JsonSchema;
  maxTokens: number;
  temperature: number;
  seed: number;
  /** Fires when the request's deadline passes: stop generating. */
  signal: AbortSignal;
}

export interface LlmBackend {
  /** Shown in responses as `model`. */
  readonly model: string;
  readiness(): Readiness;
  /** Begin loading (or checking); returns at once, readiness tells the progress. */
  start(): void;
  generate(request: GenerationRequest): Promise<string>;
  dispose(): Promise<void>;
}
