/**
 * The API's CORS policy as hapi's route `cors` option (reference §11.1, api-reference "CORS").
 *
 * `api_allowed_origins` lists the browser origins allowed to call the API; empty means same
 * origin only (no CORS headers, and preflights are refused). hapi answers preflights itself, for
 * whichever method the matched route has, so PATCH and DELETE routes (Sigma rules, rule
 * suggestions) are allowed cross-origin too (the original listed only GET, POST and OPTIONS).
 */
import type { RouteOptionsCors } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';

/** Preflight answers may be cached by the browser this long (seconds). */
const PREFLIGHT_MAX_AGE_S = 600;

/** hapi's route `cors` option for the configured origins; `false` when none are configured. */
export function corsOptions(config: Pick<SeerflowConfig, 'api_allowed_origins'>): RouteOptionsCors | false {
  if (config.api_allowed_origins.length === 0) return false;
  return {
    // As browsers serialize Origin: scheme://host[:port], no path or trailing slash.
    origin: [...new Set(config.api_allowed_origins.map((origin) => new URL(origin).origin))],
    headers: ['Accept', 'Authorization', 'Content-Type'],
    // A browser client must be able to read when it may retry after a 429.
    additionalExposedHeaders: ['Retry-After'],
    maxAge: PREFLIGHT_MAX_AGE_S,
    credentials: false,
  };
}
