import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { RAW_STREAM_PATH } from '../../plugins/stream/index.js';
import { streamFixture } from './harness.js';

const { startStream, connectNes, connectRaw } = streamFixture();

/** The HTTP status an upgrade at `url` is refused with, or 'open'. */
function upgradeStatus(url: string, origin?: string): Promise<number | 'open'> {
  const ws = new WebSocket(url, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    ws.once('open', () => {
      ws.terminate();
      resolve('open');
    });
    ws.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('error', reject);
  });
}

describe('stream: admission', () => {
  it('refuses a foreign Origin on both paths with 403 and admits the dashboard\'s own or none', async () => {
    const stream = await startStream();
    expect(await upgradeStatus(stream.url(RAW_STREAM_PATH), 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(stream.url(), 'http://evil.example')).toBe(403);
    // The nes client only says 'Socket error'; the status is the one checked above.
    await expect(connectNes(stream, { origin: 'http://evil.example' })).rejects.toThrow('Socket error');
    await expect(connectRaw(stream, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connectRaw(stream, { origin: 'null' })).rejects.toThrow('HTTP 403');

    await connectRaw(stream, { origin: stream.origin });
    await connectRaw(stream, { origin: stream.origin.replace('localhost', '127.0.0.1') });
    await connectNes(stream, { origin: stream.origin });
    await connectNes(stream);
    expect(stream.server.plugins.stream.connections.size).toBe(4);
  });

  it('uses ws_allowed_origins instead of the defaults when set', async () => {
    const stream = await startStream({ ws_allowed_origins: ['https://dashboard.example.com'] });
    await connectRaw(stream, { origin: 'https://dashboard.example.com' });
    await expect(connectRaw(stream, { origin: stream.origin })).rejects.toThrow('HTTP 403');
  });

  it('answers 404 on other upgrade paths', async () => {
    const stream = await startStream();
    expect(await upgradeStatus(stream.url('/api/v1/other'))).toBe(404);
  });

  it('caps clients across both kinds at ws_max_connections', async () => {
    const stream = await startStream({ ws_max_connections: 2 });
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    await expect(connectRaw(stream)).rejects.toThrow('HTTP 503');
    expect(await upgradeStatus(stream.url())).toBe(503);
    await expect(connectNes(stream)).rejects.toThrow('Socket error');
    expect(stream.server.plugins.stream.connections.size).toBe(2);

    // A slot frees once a client leaves.
    const closed = new Promise((resolve) => raw.ws.once('close', resolve));
    raw.ws.close();
    await closed;
    await waitFor(() => stream.server.plugins.stream.connections.size === 1);
    await waitFor(async () => (await upgradeStatus(stream.url(RAW_STREAM_PATH))) === 'open');
    await nes.client.disconnect();
  });

  it('closes every client when the server stops and admits no new one', async () => {
    const stream = await startStream({ ws_status_interval_s: 0.02 });
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    await raw.log.next((frame) => frame.type === 'status');
    const nesClosed = new Promise<void>((resolve) => (nes.client.onDisconnect = () => resolve()));
    const rawClosed = new Promise<number>((resolve) => raw.ws.once('close', (code) => resolve(code)));

    await stream.stop();
    expect(await rawClosed).toBe(1001);
    await nesClosed;
    expect(stream.server.plugins.stream.connections.size).toBe(0);
    await expect(upgradeStatus(stream.url(RAW_STREAM_PATH))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('does not wait on clients that stopped reading when the server stops', async () => {
    const stream = await startStream();
    const nes = await connectNes(stream);
    const raw = await connectRaw(stream);
    tcpOf(raw.ws).pause();
    tcpOf((nes.client as unknown as { _ws: WebSocket })._ws).pause();
    const started = Date.now();
    await stream.stop();
    // A close handshake the peer never reads would hold nes (and ws) for 30 s; the grace is 1 s.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('closes a raw client that sends an oversized frame with 1009', async () => {
    const stream = await startStream();
    const raw = await connectRaw(stream);
    const closed = new Promise<number>((resolve) => raw.ws.once('close', (code) => resolve(code)));
    raw.ws.send('x'.repeat(70 * 1024));
    expect(await closed).toBe(1009);
  });
});

const tcpOf = (ws: WebSocket): net.Socket => (ws as unknown as { _socket: net.Socket })._socket;

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
