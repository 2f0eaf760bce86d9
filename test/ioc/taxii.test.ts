/**
 * The TAXII 2.1 client and a TAXII feed's polling, against a TAXII server run in this process:
 * discovery, paged collections, the added_after cursor, 304, retries, and auth failures with the
 * circuit breaker.
 */
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/config/load.js';
import type { IntelFeedConfig } from '../../main/config/types.js';
import { FeedError } from '../../plugins/detectors/ioc/feed-error.js';
import { createFeedHttp, type FeedHttp } from '../../plugins/detectors/ioc/http.js';
import { IntelService } from '../../plugins/detectors/ioc/intel-service.js';
import { pollCollection, type TaxiiClientOptions } from '../../plugins/detectors/ioc/taxii-client.js';
import { COLLECTION_ID, indicator, startTaxiiServer, type TaxiiServer } from './feed-servers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function taxiiServer(pageSize: number, apiKey: string | null = null): Promise<TaxiiServer> {
  const server = await startTaxiiServer({ pageSize, apiKey });
  cleanups.push(() => server.stop());
  return server;
}

function http(): FeedHttp {
  const created = createFeedHttp({ allowPrivate: true, allowInsecure: true, timeoutMs: 5000, maxBytes: 10_000_000 });
  cleanups.push(() => created.close());
  return created;
}

function clientOptions(fetcher: FeedHttp, headers: Record<string, string> = {}): TaxiiClientOptions {
  return { fetch: fetcher.fetch, headers, retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 10, sleep: async () => undefined }, maxObjects: 1000 };
}

const ip = (n: number, address: string, extra: Record<string, unknown> = {}) => indicator(n, `[ipv4-addr:value = '${address}']`, extra);
const objectRequests = (server: TaxiiServer) => server.requests.filter((r) => r.path.endsWith('/objects/'));

describe('TAXII 2.1 client', () => {
  it('discovers the API root, follows pages, and polls on from the added_after cursor', async () => {
    const server = await taxiiServer(2);
    for (let n = 1; n <= 5; n++) server.objects.push({ object: ip(n, `203.0.113.${n}`), addedAt: `2026-01-01T00:00:0${n}.000Z` });
    const options = clientOptions(http());

    const first = await pollCollection(server.discoveryUrl, COLLECTION_ID, {}, options);
    expect(first.objects.map((o) => (o as { id: string }).id.slice(-1))).toEqual(['1', '2', '3', '4', '5']);
    expect(first).toMatchObject({ notModified: false, pages: 3, truncated: false });
    expect(first.cursor).toMatchObject({ apiRoot: server.apiRootUrl, addedAfter: '2026-01-01T00:00:05.000Z' });
    expect(server.requests.map((r) => r.path)).toEqual([
      '/taxii2/',
      `/api1/collections/${COLLECTION_ID}/objects/`,
      `/api1/collections/${COLLECTION_ID}/objects/`,
      `/api1/collections/${COLLECTION_ID}/objects/`,
    ]);
    expect(objectRequests(server).map((r) => r.query.next)).toEqual([undefined, '2', '4']);
    expect(server.requests[1]?.headers.accept).toBe('application/taxii+json;version=2.1');

    server.objects.push({ object: ip(6, '203.0.113.6'), addedAt: '2026-01-01T00:00:06.000Z' });
    const second = await pollCollection(server.discoveryUrl, COLLECTION_ID, first.cursor, options);
    expect(second.objects).toHaveLength(1);
    expect(objectRequests(server).at(-1)?.query.added_after).toBe('2026-01-01T00:00:05.000Z');
    expect(server.requests.filter((r) => r.path === '/taxii2/')).toHaveLength(1); // the root is remembered

    // Nothing new: an empty page keeps the cursor; asked again with its ETag, the server says 304.
    const third = await pollCollection(server.discoveryUrl, COLLECTION_ID, second.cursor, options);
    expect(third).toMatchObject({ notModified: false, objects: [] });
    expect(third.cursor.addedAfter).toBe('2026-01-01T00:00:06.000Z');
    const fourth = await pollCollection(server.discoveryUrl, COLLECTION_ID, third.cursor, options);
    expect(fourth).toMatchObject({ notModified: true, objects: [] });
    expect(objectRequests(server).at(-1)?.headers['if-none-match']).toBe(third.cursor.etag);
  });

  it('stops at maxObjects and resumes from there', async () => {
    const server = await taxiiServer(2);
    for (let n = 1; n <= 5; n++) server.objects.push({ object: ip(n, `203.0.113.${n}`), addedAt: `2026-01-01T00:00:0${n}.000Z` });
    const options = { ...clientOptions(http()), maxObjects: 3 };
    const first = await pollCollection(server.apiRootUrl, COLLECTION_ID, {}, options);
    expect(first).toMatchObject({ truncated: true, pages: 2 });
    expect(first.objects).toHaveLength(4);
    const rest = await pollCollection(server.apiRootUrl, COLLECTION_ID, first.cursor, options);
    expect(rest.objects).toHaveLength(1);
  });

  it('retries a busy server and fails fast on refused credentials', async () => {
    const server = await taxiiServer(10, 'Bearer s3cret');
    server.objects.push({ object: ip(1, '203.0.113.1'), addedAt: '2026-01-01T00:00:01.000Z' });
    server.failNext = 2;
    const fetcher = http();
    const ok = await pollCollection(server.apiRootUrl, COLLECTION_ID, {}, clientOptions(fetcher, { Authorization: 'Bearer s3cret' }));
    expect(ok.objects).toHaveLength(1);
    expect(objectRequests(server)).toHaveLength(3);

    const refused = pollCollection(server.apiRootUrl, COLLECTION_ID, {}, clientOptions(fetcher, { Authorization: 'Bearer wrong' }));
    await expect(refused).rejects.toMatchObject({ code: 'auth', status: 401 });
    expect(objectRequests(server)).toHaveLength(4);

    server.failNext = 5;
    const busy = pollCollection(server.apiRootUrl, COLLECTION_ID, {}, clientOptions(fetcher, { Authorization: 'Bearer s3cret' }));
    await expect(busy).rejects.toBeInstanceOf(FeedError);
    await expect(busy).rejects.toMatchObject({ code: 'http_status', status: 503 });
  });
});

describe('a TAXII feed, polled by the service', () => {
  function service(feed: Partial<IntelFeedConfig>, env: NodeJS.ProcessEnv = {}) {
    const config = validateConfig(
      { threat_intel: { enabled: true, retry_base_delay_s: 0, feeds: [{ id: 'taxii', collection_id: COLLECTION_ID, allow_insecure: true, allow_private_addresses: true, ...feed }] } },
      {},
    ).threat_intel;
    let nowMs = Date.parse('2026-03-01T00:00:00Z');
    const created = new IntelService(config, { env, nowMs: () => nowMs, logger: pino({ level: 'silent' }), requestPersist: () => undefined });
    cleanups.push(() => created.stop());
    return { service: created, advance: (ms: number) => (nowMs += ms) };
  }

  it('accumulates indicators across polls; revoked, expired and superseded ones leave', async () => {
    const server = await taxiiServer(3);
    server.objects.push(
      { object: ip(1, '203.0.113.1', { confidence: 80, kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'command-and-control' }] }), addedAt: '2026-01-01T00:00:01.000Z' },
      { object: ip(2, '203.0.113.2'), addedAt: '2026-01-01T00:00:02.000Z' },
      { object: indicator(3, "[domain-name:value = 'evil.example'] OR [url:value = 'http://evil.example/x']"), addedAt: '2026-01-01T00:00:03.000Z' },
      { object: ip(4, '203.0.113.4', { valid_until: '2025-01-01T00:00:00Z' }), addedAt: '2026-01-01T00:00:04.000Z' },
      { object: indicator(5, "[ipv4-addr:value = '1.2.3"), addedAt: '2026-01-01T00:00:05.000Z' },
      { object: indicator(6, "[process:name = 'x.exe']"), addedAt: '2026-01-01T00:00:06.000Z' },
      { object: { type: 'malware', id: 'malware--1' }, addedAt: '2026-01-01T00:00:07.000Z' },
    );
    const { service: intel } = service({ url: server.discoveryUrl });
    const [first] = await intel.refresh('taxii');
    expect(first).toMatchObject({ state: 'ok', indicators: 4, objects_total: 7, added_total: 4, expired_total: 1, rejected_total: 1, unsupported_total: 1 });
    expect(first?.indicators_by_type).toEqual({ ipv4: 2, domain: 1, url: 1 });

    server.objects.push(
      { object: ip(2, '203.0.113.2', { revoked: true, modified: '2026-02-01T00:00:00.000Z' }), addedAt: '2026-02-01T00:00:01.000Z' },
      { object: ip(1, '198.51.100.1', { modified: '2026-02-01T00:00:00.000Z' }), addedAt: '2026-02-01T00:00:02.000Z' },
      { object: ip(7, '203.0.113.7'), addedAt: '2026-02-01T00:00:03.000Z' },
    );
    const [second] = await intel.refresh('taxii');
    expect(second).toMatchObject({ indicators: 4, revoked_total: 1, cursor: '2026-02-01T00:00:03.000Z' });
    const held = (address: string) => intel.matcher.match(eventFrom(address)).length;
    expect([held('203.0.113.1'), held('198.51.100.1'), held('203.0.113.2'), held('203.0.113.7')]).toEqual([0, 1, 0, 1]);
  });

  it('reads the API key from the environment and opens the breaker after repeated 401s', async () => {
    const server = await taxiiServer(10, 'Bearer s3cret');
    server.objects.push({ object: ip(1, '203.0.113.1'), addedAt: '2026-01-01T00:00:01.000Z' });
    const auth = { kind: 'api_key' as const, api_key_env: 'TEST_TAXII_KEY', api_key_header: 'Authorization' };

    const missing = service({ url: server.apiRootUrl, auth });
    const [unset] = await missing.service.refresh();
    expect(unset).toMatchObject({ state: 'error', last_error_code: 'missing_secret', last_error: 'environment variable TEST_TAXII_KEY (auth.api_key_env) is not set' });
    expect(server.requests).toHaveLength(0);

    const good = service({ url: server.apiRootUrl, auth }, { TEST_TAXII_KEY: 's3cret' });
    expect((await good.service.refresh())[0]).toMatchObject({ state: 'ok', indicators: 1 });

    const bad = service({ url: server.apiRootUrl, auth }, { TEST_TAXII_KEY: 'wrong' });
    for (let i = 0; i < 2; i++) expect((await bad.service.refresh())[0]).toMatchObject({ state: 'error', last_error_code: 'auth' });
    expect((await bad.service.refresh())[0]).toMatchObject({ state: 'auth_circuit_open', auth_circuit: 'open', failures_total: 3 });
    const before = server.requests.length;
    expect((await bad.service.refresh())[0]).toMatchObject({ state: 'auth_circuit_open', polls_total: 3 });
    expect(server.requests.length).toBe(before);
    expect(bad.service.runners[0]?.health()).toMatchObject({ status: 'degraded', detail: expect.stringContaining('auth failures: paused until') });

    // After the pause one probe goes out; with the right key again it closes the breaker.
    bad.advance(3_600_001);
    server.apiKey = 'Bearer wrong';
    expect((await bad.service.refresh())[0]).toMatchObject({ state: 'ok', auth_circuit: 'closed' });
  });
});

function eventFrom(address: string) {
  return {
    eventId: 'e',
    timestampNs: 1_780_000_000_000_000_000n,
    entities: [{ type: 'ip' as const, value: address, id: 'x' }],
    fields: {},
    message: '',
  } as unknown as Parameters<IntelService['matcher']['match']>[0];
}
