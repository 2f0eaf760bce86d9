/**
 * The one place an `LlmError` becomes an HTTP answer (reference §11.2, §11.3): 503
 * `llm_not_ready` with the backend's status, 503 `llm_busy` with Retry-After, 502 `llm_timeout`,
 * 502 `llm_failed`. Anything else is rethrown for hapi's 500.
 */
import Boom from '@hapi/boom';
import { notReady } from '../api/not-ready.js';
import { LlmError } from './errors.js';

const BUSY_RETRY_AFTER_S = 5;

export function llmBoom(error: unknown): Error {
  if (!(error instanceof LlmError)) return error as Error;
  switch (error.code) {
    case 'not_ready':
      // `ready` cannot refuse; anything else is reported as it is.
      return notReady('llm', error.status === 'loading' || error.status === 'disabled' ? error.status : 'degraded', error.message);
    case 'busy': {
      const boom = Boom.serverUnavailable(error.message);
      Object.assign(boom.output.payload, { detail: 'llm_busy' });
      boom.output.headers['Retry-After'] = String(BUSY_RETRY_AFTER_S);
      return boom;
    }
    case 'timeout':
    case 'failed': {
      const boom = Boom.badGateway(error.message);
      Object.assign(boom.output.payload, { detail: error.code === 'timeout' ? 'llm_timeout' : 'llm_failed' });
      return boom;
    }
  }
}

/** Run `work`, turning an `LlmError` into its HTTP answer. */
export async function answerLlm<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw llmBoom(error);
  }
}

/** 404 with a machine-readable `detail` (`no_cached_explanation`, `pattern_not_eligible`). */
export function notFoundDetail(detail: string, message: string): Boom.Boom {
  const boom = Boom.notFound(message);
  Object.assign(boom.output.payload, { detail });
  return boom;
}
