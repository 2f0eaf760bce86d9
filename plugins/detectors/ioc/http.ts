/**
 * Outbound HTTP for feeds: Node's fetch (undici) through an agent whose DNS lookup is the SSRF
 * guard (`main/net/ssrf.ts`), with a per-request timeout, a body size cap, and redirects followed
 * by hand (at most MAX_REDIRECTS) so that every hop passes the same URL policy; credentials are
 * not carried to another origin. Transport failures become `FeedError`s; statuses are returned as
 * they are, for the caller to interpret (304, 401, 5xx…).
 */
import { Agent, fetch } from 'undici';
import { FeedError } from './feed-error.js';
import { checkUrl, guardedLookup, ssrfRefusal } from '../../../main/net/ssrf.js';

export const MAX_REDIRECTS = 3;

export interface FeedRequest {
  url: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface FeedResponse {
  status: number;
  /** The URL that answered, after redirects. */
  url: string;
  header(name: string): string | null;
  /** The body as text ('' for 304). */
  text: string;
}

export type FeedFetch = (request: FeedRequest) => Promise<FeedResponse>;

export interface FeedFetchOptions {
  allowPrivate: boolean;
  allowInsecure: boolean;
  timeoutMs: number;
  /** Bodies larger than this fail with `too_large`. */
  maxBytes: number;
}

export interface FeedHttp {
  fetch: FeedFetch;
  close(): Promise<void>;
}

/** One agent (connection pool) per feed; `close()` when the feed stops. */
export function createFeedHttp(options: FeedFetchOptions): FeedHttp {
  const agent = new Agent({
    connect: { timeout: options.timeoutMs, ...(options.allowPrivate ? {} : { lookup: guardedLookup() }) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
  });
  return {
    fetch: (request) => fetchFollowing(agent, request, options),
    close: () => agent.close(),
  };
}

async function fetchFollowing(agent: Agent, request: FeedRequest, options: FeedFetchOptions): Promise<FeedResponse> {
  let url = parseUrl(request.url);
  let headers = request.headers ?? {};
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  for (let hop = 0; ; hop++) {
    try {
      checkUrl(url, options);
    } catch (error) {
      throw new FeedError('ssrf_refused', (error as Error).message);
    }
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, { headers, signal, redirect: 'manual', dispatcher: agent });
    } catch (error) {
      throw transportError(error, url, request.signal, timeout, options.timeoutMs);
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && response.status !== 304 && location !== null) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new FeedError('bad_response', `more than ${MAX_REDIRECTS} redirects from ${request.url}`);
      const next = parseUrl(location, url);
      if (next.origin !== url.origin) headers = withoutCredentials(headers);
      url = next;
      continue;
    }
    const text = response.status === 304 ? '' : await readCapped(response, options.maxBytes, url, request.signal, timeout, options.timeoutMs);
    return { status: response.status, url: url.href, header: (name) => response.headers.get(name), text };
  }
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new FeedError('bad_response', `not a URL: ${text.slice(0, 200)}`);
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() === 'accept' || name.toLowerCase() === 'user-agent') kept[name] = value;
  }
  return kept;
}

async function readCapped(
  response: Awaited<ReturnType<typeof fetch>>,
  maxBytes: number,
  url: URL,
  callerSignal: AbortSignal | undefined,
  timeout: AbortSignal,
  timeoutMs: number,
): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FeedError('too_large', `${url.host} sent ${declared} bytes, over the limit of ${maxBytes} (max_response_bytes)`);
  }
  if (!response.body) return '';
  const decoder = new TextDecoder();
  let text = '';
  let received = 0;
  try {
    for await (const chunk of response.body) {
      received += chunk.byteLength;
      if (received > maxBytes) {
        await response.body.cancel().catch(() => undefined);
        throw new FeedError('too_large', `${url.host} sent more than ${maxBytes} bytes (max_response_bytes)`);
      }
      text += decoder.decode(chunk, { stream: true });
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw transportError(error, url, callerSignal, timeout, timeoutMs);
  }
  return text + decoder.decode();
}

function transportError(error: unknown, url: URL, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): FeedError {
  if (callerSignal?.aborted) return new FeedError('aborted', `fetch of ${url.host} was cancelled`);
  if (timeout.aborted) return new FeedError('timeout', `${url.host} did not answer within ${timeoutMs} ms (request_timeout_s)`, true);
  const refusal = ssrfRefusal(error);
  if (refusal) return new FeedError('ssrf_refused', refusal.message);
  const detail = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new FeedError('network', `cannot fetch ${url.host}: ${detail}`, true);
}
