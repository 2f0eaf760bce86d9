/**
 * Feed servers for the threat-intel tests, run in the test process on 127.0.0.1 with hapi:
 * - a TAXII 2.1 server: discovery at `/taxii2/`, an API root at `/api1/`, one collection whose
 *   objects are served in pages (`more`/`next`), filtered by `added_after`, with the
 *   `X-TAXII-Date-Added-*` headers, an ETag answered with 304, an API key, and failures on demand;
 * - a plain file server for blocklists, with an ETag.
 * Every request is recorded.
 */
import { createHash } from 'node:crypto';
import Hapi from '@hapi/hapi';

export interface StoredObject {
  object: Record<string, unknown>;
  /** When the server added it (TAXII `date_added`), ISO. */
  addedAt: string;
}

export interface RecordedRequest {
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
}

export interface TaxiiServer {
  /** The discovery URL. */
  discoveryUrl: string;
  /** The API root URL. */
  apiRootUrl: string;
  objects: StoredObject[];
  requests: RecordedRequest[];
  /** The next this many object requests answer 503. */
  failNext: number;
  /** Accepted `Authorization` value; null = no auth. */
  apiKey: string | null;
  stop(): Promise<void>;
}

export const COLLECTION_ID = 'a9f0b1c2-0000-4000-8000-000000000001';

export async function startTaxiiServer(options: { pageSize: number; apiKey?: string | null }): Promise<TaxiiServer> {
  const server = Hapi.server({ host: '127.0.0.1', port: 0 });
  const state: Omit<TaxiiServer, 'discoveryUrl' | 'apiRootUrl' | 'stop'> = {
    objects: [],
    requests: [],
    failNext: 0,
    apiKey: options.apiKey ?? null,
  };
  const taxii = (h: Hapi.ResponseToolkit, body: unknown) => h.response(body as object).type('application/taxii+json;version=2.1');
  server.ext('onRequest', (request, h) => {
    state.requests.push({ path: request.path, query: { ...(request.query as Record<string, string>) }, headers: { ...(request.headers as Record<string, string>) } });
    return h.continue;
  });
  server.route([
    {
      method: 'GET',
      path: '/taxii2/',
      handler: (_request, h) => taxii(h, { title: 'Test TAXII', default: '/api1/', api_roots: ['/api1/'] }),
    },
    {
      method: 'GET',
      path: '/api1/',
      handler: (_request, h) => taxii(h, { title: 'root', versions: ['application/taxii+json;version=2.1'], max_content_length: 10_000_000 }),
    },
    {
      method: 'GET',
      path: '/api1/collections/{id}/objects/',
      handler(request, h) {
        if (state.apiKey !== null && request.headers.authorization !== state.apiKey) return h.response({ title: 'unauthorized' }).code(401);
        if (request.params.id !== COLLECTION_ID) return h.response({ title: 'no such collection' }).code(404);
        if (state.failNext > 0) {
          state.failNext--;
          return h.response({ title: 'busy' }).code(503);
        }
        const query = request.query as Record<string, string | undefined>;
        const after = query.added_after;
        const visible = state.objects.filter((stored) => after === undefined || stored.addedAt > after);
        const etag = `"${createHash('sha1').update(`${after ?? ''}|${visible.map((s) => s.addedAt).join(',')}`).digest('hex')}"`;
        if (request.headers['if-none-match'] === etag) return h.response().code(304);
        const offset = Number(query.next ?? 0);
        const limit = Math.min(options.pageSize, Number(query.limit ?? options.pageSize));
        const page = visible.slice(offset, offset + limit);
        const more = offset + limit < visible.length;
        const response = taxii(h, { more, ...(more ? { next: String(offset + limit) } : {}), objects: page.map((stored) => stored.object) });
        response.header('ETag', etag);
        if (page.length > 0) {
          response.header('X-TAXII-Date-Added-First', page[0]!.addedAt);
          response.header('X-TAXII-Date-Added-Last', page[page.length - 1]!.addedAt);
        }
        return response;
      },
    },
  ]);
  await server.start();
  const base = `http://127.0.0.1:${server.info.port}`;
  return Object.assign(state, {
    discoveryUrl: `${base}/taxii2/`,
    apiRootUrl: `${base}/api1/`,
    stop: () => server.stop({ timeout: 1000 }),
  });
}

/** A STIX 2.1 indicator object. */
export function indicator(n: number, pattern: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    created: '2026-01-01T00:00:00.000Z',
    modified: '2026-01-01T00:00:00.000Z',
    pattern,
    pattern_type: 'stix',
    valid_from: '2026-01-01T00:00:00Z',
    ...extra,
  };
}

export interface FileServer {
  url(path: string): string;
  files: Map<string, string>;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

/** Serves `files` (path → body) as text with an ETag of their content, answering 304 on a match. */
export async function startFileServer(files: Record<string, string>): Promise<FileServer> {
  const server = Hapi.server({ host: '127.0.0.1', port: 0 });
  const state = { files: new Map(Object.entries(files)), requests: [] as RecordedRequest[] };
  server.route({
    method: 'GET',
    path: '/{path*}',
    handler(request, h) {
      state.requests.push({ path: request.path, query: {}, headers: { ...(request.headers as Record<string, string>) } });
      const body = state.files.get(request.path);
      if (body === undefined) return h.response('not found').code(404);
      const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
      if (request.headers['if-none-match'] === etag) return h.response().code(304);
      return h.response(body).type('text/plain').header('ETag', etag);
    },
  });
  await server.start();
  return Object.assign(state, {
    url: (path: string) => `http://127.0.0.1:${server.info.port}${path}`,
    stop: () => server.stop({ timeout: 1000 }),
  });
}
