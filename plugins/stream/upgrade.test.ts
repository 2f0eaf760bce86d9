import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { originPolicy, takeUpgradeListeners, UpgradeDispatcher, type UpgradeDispatcherOptions } from './upgrade.js';

describe('originPolicy', () => {
  it('defaults to localhost and 127.0.0.1 on the listening port, and allows a missing Origin', () => {
    let port = 8080;
    const allowed = originPolicy([], () => port);
    expect(allowed(undefined)).toBe(true);
    expect(allowed('http://localhost:8080')).toBe(true);
    expect(allowed('http://127.0.0.1:8080')).toBe(true);
    expect(allowed('HTTP://LOCALHOST:8080/')).toBe(true);
    expect(allowed('https://localhost:8080')).toBe(false);
    expect(allowed('http://localhost:8081')).toBe(false);
    expect(allowed('http://evil.example')).toBe(false);
    expect(allowed('null')).toBe(false);
    expect(allowed('')).toBe(false);
    port = 8081;
    expect(allowed('http://localhost:8081')).toBe(true);
  });

  it('uses ws_allowed_origins alone when it is set', () => {
    const allowed = originPolicy(['https://dashboard.example.com/', 'http://localhost:3000'], () => 8080);
    expect(allowed('https://dashboard.example.com')).toBe(true);
    expect(allowed('https://dashboard.example.com:443')).toBe(true);
    expect(allowed('http://localhost:3000')).toBe(true);
    expect(allowed('http://localhost:8080')).toBe(false);
    expect(allowed(undefined)).toBe(true);
  });
});

describe('UpgradeDispatcher', () => {
  const servers: http.Server[] = [];
  const sockets: WebSocket[] = [];
  afterEach(async () => {
    for (const ws of sockets.splice(0)) ws.terminate();
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** A listener whose `/echo` path is a ws server, behind a dispatcher. */
  async function listen(options: Partial<UpgradeDispatcherOptions> = {}) {
    const wss = new WebSocketServer({ noServer: true });
    const dispatcher = new UpgradeDispatcher({
      routes: { '/echo': (request, socket, head) => wss.handleUpgrade(request, socket, head, (ws) => ws.send('hello')) },
      isOriginAllowed: (origin) => origin !== 'http://evil.example',
      maxConnections: 2,
      isStopped: () => false,
      ...options,
    });
    const server = http.createServer();
    servers.push(server);
    server.on('upgrade', dispatcher.handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { dispatcher, port: (server.address() as AddressInfo).port };
  }

  /** Resolves with 'open' (after the first message) or the refusal's HTTP status. */
  function connect(url: string, origin?: string): Promise<'open' | number> {
    const ws = new WebSocket(url, origin ? { origin } : {});
    sockets.push(ws);
    return new Promise((resolve, reject) => {
      ws.once('message', () => resolve('open'));
      ws.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      ws.once('error', reject);
    });
  }

  it('routes by path, ignoring the query, and refuses unknown paths with 404', async () => {
    const { port } = await listen();
    expect(await connect(`ws://127.0.0.1:${port}/echo?x=1`)).toBe('open');
    expect(await connect(`ws://127.0.0.1:${port}/other`)).toBe(404);
  });

  it('refuses a foreign Origin with 403', async () => {
    const { port } = await listen();
    expect(await connect(`ws://127.0.0.1:${port}/echo`, 'http://evil.example')).toBe(403);
  });

  it('caps open connections with 503 and frees a slot when one closes', async () => {
    const { port, dispatcher } = await listen();
    expect(await connect(`ws://127.0.0.1:${port}/echo`)).toBe('open');
    expect(await connect(`ws://127.0.0.1:${port}/echo`)).toBe('open');
    expect(await connect(`ws://127.0.0.1:${port}/echo`)).toBe(503);
    expect(dispatcher.openConnections).toBe(2);
    sockets[0]!.terminate();
    await new Promise<void>((resolve) => {
      const poll = () => (dispatcher.openConnections < 2 ? resolve() : setTimeout(poll, 5));
      poll();
    });
    expect(await connect(`ws://127.0.0.1:${port}/echo`)).toBe('open');
  });

  it('refuses everything with 503 while stopped', async () => {
    const { port } = await listen({ isStopped: () => true });
    expect(await connect(`ws://127.0.0.1:${port}/echo`)).toBe(503);
  });
});

describe('takeUpgradeListeners', () => {
  it('returns the upgrade listeners added by `register` and removes them from the listener', async () => {
    const server = http.createServer();
    const mine = () => undefined;
    server.on('upgrade', mine);
    const theirs = () => undefined;
    const taken = await takeUpgradeListeners(server, async () => {
      server.on('upgrade', theirs);
    });
    expect(taken).toStrictEqual([theirs]);
    expect(server.listeners('upgrade')).toStrictEqual([mine]);
  });
});
