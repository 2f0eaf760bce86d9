/**
 * The one HTTP client of the dashboard: same-origin `/api/v1`, JSON in and out, and one error
 * type. Every failure (network, HTTP status, bad JSON) becomes an `ApiError` whose `status` is the
 * HTTP status (0 for a network failure) and whose `detail` is the server's machine-readable code
 * (`llm_not_ready`, `warming_up`…) when it sent one.
 */

export const API_BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string | undefined;
  readonly body: Record<string, unknown>;

  constructor(status: number, message: string, body: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.detail = typeof body.detail === 'string' ? body.detail : undefined;
  }

  /** 503: the subsystem is disabled, loading or warming up (the contract's "not ready"). */
  get isNotReady(): boolean {
    return this.status === 503;
  }
}

export type Query = Record<string, string | number | boolean | undefined | null | readonly (string | number)[]>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Error statuses whose body is still the answer (`/health` reports a degraded state with 503). */
  accept?: readonly number[];
}

/** `?a=1&b=x&b=y`, skipping empty values (repeated keys for arrays). */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, String(item));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function messageOf(status: number, body: Record<string, unknown>): string {
  if (status === 429) return 'Too many requests — try again in a moment';
  const message = typeof body.message === 'string' ? body.message : typeof body.detail === 'string' ? body.detail : '';
  return (message || `HTTP ${status}`).slice(0, 300);
}

/** `method path` against the API; resolves with the parsed body (undefined for 204). */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}${queryString(options.query)}`, {
      method,
      headers: options.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'Cannot reach the appliance');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    if (response.ok) throw new ApiError(response.status, 'The appliance sent a response that is not JSON');
  }
  if (!response.ok && !options.accept?.includes(response.status)) {
    const record = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
    throw new ApiError(response.status, messageOf(response.status, record), record);
  }
  return body as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body: body ?? {}, query });
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
export const del = <T>(path: string) => request<T>('DELETE', path);

/** True for an aborted request (a newer one replaced it): not an error to show. */
export function isAbort(error: unknown): boolean {
  return (error as Error | undefined)?.name === 'AbortError';
}
