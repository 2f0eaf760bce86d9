/**
 * What can go wrong when the LLM is asked something, as one typed error the plugin maps to HTTP
 * in one place (`http-errors.ts`): not ready (503, with the backend's readiness), busy (503, the
 * generation queue is full), timed out (502 `llm_timeout`), or failed (502 `llm_failed`: the
 * backend errored or answered something that is not the JSON its schema asks for).
 */
import type { ReadinessStatus } from './readiness.js';

export type LlmErrorCode = 'not_ready' | 'busy' | 'timeout' | 'failed';

export class LlmError extends Error {
  override name = 'LlmError';

  constructor(
    readonly code: LlmErrorCode,
    message: string,
    /** For `not_ready`: the backend's readiness when it refused. */
    readonly status?: ReadinessStatus,
  ) {
    super(message);
  }
}
