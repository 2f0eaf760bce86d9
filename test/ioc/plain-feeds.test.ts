/**
 * Plain blocklists, one indicator per line and CSV, served over local HTTP and read from a file;
 * conditional requests (304); and the SSRF guard on feed URLs.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../main/config/load.js';
import type { IntelFeedConfig } from '../../main/config/types.js';
import { IntelService } from '../../plugins/detectors/ioc/intel-service.js';
import { tempDir } from '../support/appliance.js';
import { startFileServer, type FileServer } from './feed-servers.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

const BLOCKLIST = ['# test blocklist', '203.0.113.7', '198.51.100.0/24 ; a network', 'Evil.Example', 'garbage line', ''].join('\n');
const CSV = ['# id,dateadded,url,threat', '"1","2026-01-01","http://evil.example/a.exe","malware"', '"2","2026-01-01","http://bad.example/b","phishing"'].join('\n');

async function fileServer(files: Record<string, string>): Promise<FileServer> {
  const server = await startFileServer(files);
  cleanups.push(() => server.stop());
  return server;
}

function service(feeds: Array<Partial<IntelFeedConfig>>): IntelService {
  const config = validateConfig({ threat_intel: { enabled: true, retry_base_delay_s: 0, request_timeout_s: 5, feeds } }, {}).threat_intel;
  const created = new IntelService(config, { env: {}, nowMs: () => Date.now(), logger: pino({ level: 'silent' }), requestPersist: () => undefined });
  cleanups.push(() => created.stop());
  return created;
}

const local = { allow_insecure: true, allow_private_addresses: true };

function matched(intel: IntelService, entities: Array<{ type: 'ip' | 'domain'; value: string }>, fields: Record<string, string> = {}): string[] {
  const event = { timestampNs: 1_780_000_000_000_000_000n, entities: entities.map((e) => ({ ...e, id: 'x' })), fields, message: '' };
  return intel.matcher.match(event as never).map((m) => `${m.type}:${m.indicator}`);
}

describe('plain feeds', () => {
  it('reads a one-per-line list over HTTP, then asks with its ETag and gets 304', async () => {
    const server = await fileServer({ '/block.txt': BLOCKLIST });
    const intel = service([{ id: 'lines', format: 'lines', url: server.url('/block.txt'), default_confidence: 90, ...local }]);
    const [first] = await intel.refresh('lines');
    expect(first).toMatchObject({ state: 'ok', indicators: 3, added_total: 3, rejected_total: 1, rejected_samples: [{ line: 5, text: 'garbage line' }] });
    expect(matched(intel, [{ type: 'ip', value: '198.51.100.77' }, { type: 'domain', value: 'www.evil.example' }])).toEqual([
      'ipv4:198.51.100.0/24',
      'domain:evil.example',
    ]);

    const [second] = await intel.refresh('lines');
    expect(second).toMatchObject({ not_modified_total: 1, indicators: 3 });
    expect(server.requests.at(-1)?.headers['if-none-match']).toMatch(/^"[0-9a-f]{40}"$/);

    server.files.set('/block.txt', '203.0.113.7\nnew.example\n');
    const [third] = await intel.refresh('lines');
    expect(third).toMatchObject({ indicators: 2, added_total: 4, removed_total: 2 });
    expect(matched(intel, [{ type: 'ip', value: '198.51.100.77' }])).toEqual([]);
  });

  it('reads a CSV column named in a commented header', async () => {
    const server = await fileServer({ '/urls.csv': CSV });
    const intel = service([{ id: 'csv', format: 'csv', url: server.url('/urls.csv'), csv_column: 'url', ...local }]);
    expect((await intel.refresh())[0]).toMatchObject({ state: 'ok', indicators: 2, indicators_by_type: { url: 2 } });
    expect(matched(intel, [], { url: 'HTTP://Evil.Example/a.exe?x=1' })).toEqual(['url:http://evil.example/a.exe']);
  });

  it('reads a list from a file, again only when it changed', async () => {
    const file = path.join(tempDir(), 'block.txt');
    fs.writeFileSync(file, BLOCKLIST);
    const intel = service([{ id: 'file', format: 'lines', path: file }]);
    expect((await intel.refresh())[0]).toMatchObject({ state: 'ok', indicators: 3, source: file });
    expect((await intel.refresh())[0]).toMatchObject({ not_modified_total: 1 });
    fs.writeFileSync(file, '192.0.2.1\n');
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect((await intel.refresh())[0]).toMatchObject({ indicators: 1 });
  });

  it('keeps what it holds when a download comes back empty, and reports the failure', async () => {
    const server = await fileServer({ '/block.txt': BLOCKLIST });
    const intel = service([{ id: 'lines', format: 'lines', url: server.url('/block.txt'), ...local }]);
    await intel.refresh();
    server.files.set('/block.txt', '');
    const [after] = await intel.refresh();
    expect(after).toMatchObject({ state: 'error', last_error_code: 'bad_response', indicators: 3 });
    expect(intel.runners[0]?.health()).toMatchObject({ status: 'degraded' });
    server.files.delete('/block.txt');
    expect((await intel.refresh())[0]).toMatchObject({ state: 'error', last_error_code: 'not_found', indicators: 3 });
  });

  it('refuses private and loopback addresses unless the feed allows them', async () => {
    const server = await fileServer({ '/block.txt': BLOCKLIST });
    const port = new URL(server.url('/')).port;
    const intel = service([
      { id: 'literal', format: 'lines', url: server.url('/block.txt'), allow_insecure: true },
      { id: 'named', format: 'lines', url: `http://localhost:${port}/block.txt`, allow_insecure: true },
    ]);
    const statuses = await intel.refresh();
    expect(statuses).toMatchObject([
      { state: 'error', last_error_code: 'ssrf_refused', indicators: 0 },
      { state: 'error', last_error_code: 'ssrf_refused', last_error: expect.stringContaining('localhost resolves to') },
    ]);
    expect(server.requests).toHaveLength(0);
  });

  it('checks every redirect hop and does not carry credentials to another origin', async () => {
    const server = await fileServer({ '/block.txt': BLOCKLIST });
    const Hapi = (await import('@hapi/hapi')).default;
    const redirector = Hapi.server({ host: '127.0.0.1', port: 0 });
    redirector.route([
      { method: 'GET', path: '/list', handler: (_request, h) => h.redirect(server.url('/block.txt')) },
      { method: 'GET', path: '/sneaky', handler: (_request, h) => h.redirect(server.url('/block.txt').replace('http://', 'http://user:pw@')) },
    ]);
    await redirector.start();
    cleanups.push(() => redirector.stop());
    const base = `http://127.0.0.1:${redirector.info.port}`;
    const auth = { kind: 'api_key', api_key_env: 'FEED_KEY', api_key_header: 'X-Api-Key' };
    const config = validateConfig(
      { threat_intel: { enabled: true, retry_base_delay_s: 0, feeds: [
        { id: 'redirect', format: 'lines', url: `${base}/list`, auth, ...local },
        { id: 'sneaky', format: 'lines', url: `${base}/sneaky`, ...local },
      ] } },
      {},
    ).threat_intel;
    const intel = new IntelService(config, { env: { FEED_KEY: 'k3y' }, nowMs: () => Date.now(), logger: pino({ level: 'silent' }), requestPersist: () => undefined });
    cleanups.push(() => intel.stop());
    expect(await intel.refresh()).toMatchObject([
      { state: 'ok', indicators: 3 },
      { state: 'error', last_error_code: 'ssrf_refused', last_error: expect.stringContaining('user:password') },
    ]);
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['x-api-key']).toBeUndefined();
  });
});
