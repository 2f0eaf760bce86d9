/**
 * The one "not ready" answer (503) for API areas whose engine is disabled, still starting, or
 * not built yet: `{ detail: '<area>_not_ready', status }` beside hapi's usual error fields, like
 * the original's LLM envelope (reference §11.3) but for every area.
 */
import Boom from '@hapi/boom';

export type NotReadyStatus = 'disabled' | 'loading' | 'degraded' | 'unavailable' | 'warming_up';

export function notReady(area: string, status: NotReadyStatus = 'unavailable', message?: string): Boom.Boom {
  const boom = Boom.serverUnavailable(message ?? `${area} is not ready (${status})`);
  Object.assign(boom.output.payload, { detail: `${area}_not_ready`, status });
  return boom;
}
