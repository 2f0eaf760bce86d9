/**
 * A TAXII 2.1 client (OASIS TAXII 2.1 §4–5), as much as polling one collection needs:
 *
 * - Discovery: the configured URL may be a discovery endpoint (`/taxii2/`, answering
 *   `api_roots`) or an API root. The API root found is kept in the cursor, so it is asked once.
 * - `GET {api_root}collections/{id}/objects/` with `Accept: application/taxii+json;version=2.1`,
 *   `added_after` from the cursor and `next` while the envelope says `more` (when a server says
 *   `more` without `next`, the page's `X-TAXII-Date-Added-Last` moves `added_after` instead).
 * - The cursor after a poll is the last page's `X-TAXII-Date-Added-Last`, so a poll cut short
 *   at `maxObjects` resumes where it stopped. A first-page ETag is sent back as `If-None-Match`
 *   and a 304 means nothing new.
 * - Every request retries with backoff (`retry.ts`) on timeouts, network errors, 408, 429 and
 *   5xx; 401/403 fail at once with code `auth`, for the caller's circuit breaker.
 *
 * Objects are returned as parsed JSON, unvalidated: `stix-object.ts` reads them.
 */
import { FeedError } from './feed-error.js';
import type { FeedFetch, FeedResponse } from './http.js';
import { withRetry, type RetryPolicy } from './retry.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** Pages fetched per poll at most, whatever the server says (a loop guard). */
export const MAX_PAGES = 10_000;

export interface TaxiiCursor {
  /** The API root discovered from the feed URL (ends with `/`). */
  apiRoot?: string;
  /** `added_after` for the next poll (a TAXII timestamp). */
  addedAfter?: string;
  /** First page's ETag of the last poll. */
  etag?: string;
}

export interface TaxiiPollResult {
  notModified: boolean;
  objects: unknown[];
  /** The cursor to keep for the next poll. */
  cursor: TaxiiCursor;
  pages: number;
  /** True when the poll stopped at `maxObjects` with more to come. */
  truncated: boolean;
}

export interface TaxiiClientOptions {
  fetch: FeedFetch;
  /** Auth headers (from `feed-auth.ts`). */
  headers: Record<string, string>;
  retry: RetryPolicy;
  /** Objects per poll at most (the original's 500k). */
  maxObjects: number;
  /** `limit` asked of the server per page; undefined = the server's default. */
  pageLimit?: number;
  signal?: AbortSignal;
}

/** The API root for `url`: the discovery resource's default (or first) root, or `url` itself. */
export async function discoverApiRoot(url: string, options: TaxiiClientOptions): Promise<string> {
  let response: FeedResponse;
  try {
    response = await request(url, options, {});
  } catch (error) {
    // Some servers answer nothing useful at an API root itself: take the URL as the root.
    if (error instanceof FeedError && (error.code === 'not_found' || (error.code === 'http_status' && !error.retryable))) return withSlash(url);
    throw error;
  }
  const body = response.status === 200 ? parseJson(response, url, false) : undefined;
  const document = body as { api_roots?: unknown; default?: unknown } | undefined;
  if (document && Array.isArray(document.api_roots)) {
    const roots = document.api_roots.filter((root): root is string => typeof root === 'string');
    const chosen = typeof document.default === 'string' ? document.default : roots[0];
    if (chosen === undefined) throw new FeedError('not_found', `${url} lists no API roots`);
    return withSlash(new URL(chosen, response.url).href);
  }
  return withSlash(url);
}

/** One poll of a collection from `cursor`: every page up to `maxObjects`. */
export async function pollCollection(url: string, collectionId: string, cursor: TaxiiCursor, options: TaxiiClientOptions): Promise<TaxiiPollResult> {
  const apiRoot = cursor.apiRoot ?? (await discoverApiRoot(url, options));
  const objectsUrl = `${apiRoot}collections/${encodeURIComponent(collectionId)}/objects/`;
  const next: TaxiiCursor = { ...cursor, apiRoot };
  const objects: unknown[] = [];
  let addedAfter = cursor.addedAfter;
  let pageToken: string | undefined;
  let pages = 0;
  let truncated = false;
  while (pages < MAX_PAGES) {
    const query = new URLSearchParams();
    if (addedAfter !== undefined) query.set('added_after', addedAfter);
    if (options.pageLimit !== undefined) query.set('limit', String(options.pageLimit));
    if (pageToken !== undefined) query.set('next', pageToken);
    const target = query.size > 0 ? `${objectsUrl}?${query}` : objectsUrl;
    const conditional: Record<string, string> = pages === 0 && cursor.etag !== undefined ? { 'If-None-Match': cursor.etag } : {};
    const response = await request(target, options, conditional);
    if (response.status === 304 && pages === 0) return { notModified: true, objects, cursor: next, pages: 1, truncated: false };
    pages++;
    if (pages === 1) next.etag = response.header('etag') ?? undefined;
    const envelope = (response.status === 204 ? {} : parseJson(response, target, true)) as { objects?: unknown; more?: unknown; next?: unknown };
    if (envelope.objects !== undefined && !Array.isArray(envelope.objects)) {
      throw new FeedError('bad_response', `${target}: "objects" is not a list`);
    }
    for (const object of (envelope.objects as unknown[] | undefined) ?? []) objects.push(object);
    const lastAdded = response.header('x-taxii-date-added-last') ?? undefined;
    if (lastAdded !== undefined) next.addedAfter = lastAdded;
    if (envelope.more !== true) break;
    if (objects.length >= options.maxObjects) {
      truncated = true;
      break;
    }
    if (typeof envelope.next === 'string' && envelope.next !== '') {
      pageToken = envelope.next;
    } else if (lastAdded !== undefined && lastAdded !== addedAfter) {
      addedAfter = lastAdded;
      pageToken = undefined;
    } else {
      break; // `more` with no way to ask for it: stop rather than loop
    }
  }
  return { notModified: false, objects, cursor: next, pages, truncated };
}

/** GET with the TAXII media type and auth, retried; non-2xx/304 statuses become FeedErrors. */
async function request(url: string, options: TaxiiClientOptions, extra: Record<string, string>): Promise<FeedResponse> {
  return withRetry(
    options.retry,
    async () => {
      const response = await options.fetch({ url, headers: { Accept: TAXII_MEDIA_TYPE, ...options.headers, ...extra }, signal: options.signal });
      return checkStatus(response, url);
    },
    options.signal,
  );
}

/** The response when its status is usable (2xx, 304); otherwise the matching FeedError. */
export function checkStatus(response: FeedResponse, url: string): FeedResponse {
  const { status } = response;
  if ((status >= 200 && status < 300) || status === 304) return response;
  const where = new URL(url).host;
  if (status === 401 || status === 403) {
    throw new FeedError('auth', `${where} refused the credentials (HTTP ${status}); check the feed's auth environment variables`, false, status);
  }
  if (status === 404) throw new FeedError('not_found', `${url} answered HTTP 404`, false, status);
  const retryAfter = Number(response.header('retry-after') ?? NaN);
  const retryable = status === 408 || status === 429 || status >= 500;
  throw new FeedError('http_status', `${where} answered HTTP ${status}`, retryable, status, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

function parseJson(response: FeedResponse, url: string, required: boolean): unknown {
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    if (!required) return undefined;
    throw new FeedError('bad_response', `${url} did not answer JSON`);
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
