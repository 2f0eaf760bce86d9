import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { makeEvent } from '../../test/support/make-event.js';
import { ConnectionManager } from './connections.js';
import { eventItem, eventsFrame } from './frames.js';
import { attachRawSocket, RawTransport } from './transports.js';

const opened: Array<{ wss: WebSocketServer; client: WebSocket }> = [];

afterEach(async () => {
  for (const { wss, client } of opened.splice(0)) {
    client.terminate();
    for (const ws of wss.clients) ws.terminate();
    await new Promise((resolve) => wss.close(resolve));
  }
});

/** A connected pair: the server side's socket and a `ws` client. */
async function pair(): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise((resolve) => wss.once('listening', resolve));
  const serverSide = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  opened.push({ wss, client });
  await new Promise((resolve) => client.once('open', resolve));
  return { server: await serverSide, client };
}

const tcpOf = (ws: WebSocket): net.Socket => (ws as unknown as { _socket: net.Socket })._socket;

const until = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
};

describe('RawTransport', () => {
  it('sends frames as JSON text', async () => {
    const { server, client } = await pair();
    const transport = new RawTransport(server, 1024 * 1024);
    const received = new Promise<string>((resolve) => client.once('message', (data) => resolve(data.toString())));
    const event = makeEvent({ message: 'hello' });
    transport.send(eventsFrame([eventItem(event)]));
    expect(JSON.parse(await received)).toMatchObject({ type: 'event', data: { event_id: event.eventId, message: 'hello' } });
  });

  it('stops being writable once its buffer passes the limit, while the peer does not read', async () => {
    const { server, client } = await pair();
    tcpOf(client).pause();
    const transport = new RawTransport(server, 64 * 1024);
    const frame = eventsFrame([eventItem(makeEvent({ message: 'x'.repeat(256 * 1024) }))]);
    let sent = 0;
    while (transport.writable && sent < 10_000) {
      transport.send(frame);
      sent++;
    }
    expect(transport.writable).toBe(false);
    expect(transport.bufferedAmount).toBeGreaterThanOrEqual(64 * 1024);
    tcpOf(client).resume();
    await until(() => transport.writable);
  });

  it('cuts a peer that does not answer a ping by the next heartbeat', async () => {
    const { server, client } = await pair();
    const transport = new RawTransport(server, 1024 * 1024);
    transport.heartbeat();
    await new Promise((resolve) => server.once('pong', resolve));
    transport.heartbeat(); // answered: pings again
    tcpOf(client).pause(); // before it reads that ping: it cannot answer
    const closed = new Promise((resolve) => server.once('close', resolve));
    transport.heartbeat();
    await closed;
    expect(server.readyState).toBe(WebSocket.CLOSED);
  });

  it('closes with the given code', async () => {
    const { server, client } = await pair();
    const code = new Promise<number>((resolve) => client.once('close', (c) => resolve(c)));
    await new RawTransport(server, 1024).close(1001, 'server stopping');
    expect(await code).toBe(1001);
  });
});

describe('attachRawSocket', () => {
  it('feeds text frames to the manager, refuses binary ones, and forgets the client on close', async () => {
    const { server, client } = await pair();
    const manager = new ConnectionManager({
      queueMax: 10,
      batchMax: 10,
      frameMinIntervalMs: 0,
      nowMs: () => 0,
      globalStatus: () => ({ events_ingested_per_sec: 0, alerts_24h: 0 }),
      heartbeatMs: 1000,
    });
    attachRawSocket(server, manager, 1024 * 1024);
    const [streamClient] = [...manager.clients];
    const replies: unknown[] = [];
    client.on('message', (data) => replies.push(JSON.parse(data.toString())));

    client.send('{"type":"filter","min_severity":5}');
    client.send(Buffer.from('{}'), { binary: true });
    await until(() => replies.length === 1);
    expect(streamClient!.filter.minSeverity).toBe(5);
    expect(replies).toStrictEqual([{ type: 'error', message: 'binary frames are not supported; send JSON text' }]);

    client.close();
    await until(() => manager.size === 0);
  });
});
