/**
 * A backend's readiness, as `/health` shows it under the `llm` component: `disabled` (no backend
 * configured), `loading` (the model is being checked and loaded), `ready`, or `degraded` (it
 * could not be loaded or reached; `reason` says why and what to do).
 */
import type { ComponentHealth } from '../../main/core/health.js';

export type ReadinessStatus = 'disabled' | 'loading' | 'ready' | 'degraded';

export interface Readiness {
  status: ReadinessStatus;
  reason?: string;
}

/** The `/health` component for a readiness: loading counts as starting, ready as ok. */
export function componentHealth(readiness: Readiness): ComponentHealth {
  const status = { disabled: 'disabled', loading: 'starting', ready: 'ok', degraded: 'degraded' } as const;
  return readiness.reason ? { status: status[readiness.status], detail: readiness.reason } : { status: status[readiness.status] };
}
