/**
 * The CLI's client for a running appliance's HTTP API (the same API the dashboard uses): base
 * URL from the config (`health_bind_address:dashboard_port`), JSON in and out, a timeout, and one
 * error type whose message a user can act on.
 */
import type { SeerflowConfig } from '../config/types.js';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T | undefined>;
}

export function apiClient(config: SeerflowConfig, timeoutS = 10): ApiClient {
  const host = config.health_bind_address.includes(':') ? `[${config.health_bind_address}]` : config.health_bind_address;
  const base = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${config.dashboard_port}/api/v1`;
  const call = async (method: string, path: string, body?: unknown): Promise<Response> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutS * 1000),
      });
    } catch (error) {
      throw new ApiError(`cannot reach the appliance at ${base}: ${(error as Error).message} (is \`seerflow start\` running?)`, 0);
    }
    if (!response.ok && response.status !== 503) {
      const detail = (await response.json().catch(() => ({}))) as { message?: string };
      throw new ApiError(`${method} ${path}: HTTP ${response.status} ${detail.message ?? response.statusText}`, response.status);
    }
    return response;
  };
  return {
    async get<T>(path: string, query: Record<string, string | number | undefined> = {}) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
      const qs = params.size > 0 ? `?${params}` : '';
      return (await (await call('GET', `${path}${qs}`)).json()) as T;
    },
    async post<T>(path: string, body: unknown) {
      const response = await call('POST', path, body);
      return response.status === 204 ? undefined : ((await response.json()) as T);
    },
  };
}
