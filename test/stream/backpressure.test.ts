import type net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { StreamClient } from '../../plugins/stream/connections.js';
import type { ServerFrame } from '../../plugins/stream/frames.js';
import { NES_MAX_PENDING_FRAMES, RawTransport } from '../../plugins/stream/transports.js';
import { streamFixture, type StreamServer } from './harness.js';

const { startStream, connectNes, connectRaw } = streamFixture();

const QUEUE_MAX = 5;
/** Large events fill the kernel's socket buffers (several MB on loopback) in a few hundred events. */
const MESSAGE_BYTES = 60_000;

/** The TCP socket under a `ws` WebSocket (the client library keeps it private). */
const tcpOf = (ws: unknown): net.Socket => (ws as { _socket: net.Socket })._socket;

/** nes's own per-socket send queue, which must not grow either (private to nes). */
function nesPacketCounts(stream: StreamServer): number[] {
  const listener = (stream.server.plugins as unknown as { nes: { _listener: { _sockets: { _items: Record<string, { _packets: unknown[] }> } } } })
    .nes._listener;
  return Object.values(listener._sockets._items).map((socket) => socket._packets.length);
}

describe('stream: slow consumers', () => {
  it('drops the oldest frames for a client that stops reading, counts them, and stays bounded', async () => {
    const stream = await startStream({
      ws_queue_maxlen: QUEUE_MAX,
      ws_batch_max_events: 2,
      ws_status_interval_s: 0.05,
      ws_filter_min_interval_ms: 0,
      parsing: { max_message_length: 65_536 },
    });
    const fast = await connectNes(stream);
    const slowRaw = await connectRaw(stream);
    const slowNes = await connectNes(stream);
    tcpOf(slowRaw.ws).pause();
    tcpOf((slowNes.client as unknown as { _ws: unknown })._ws).pause();

    // Clients join in connection order: the fast nes client, the raw one, the slow nes one.
    const clients = [...stream.server.plugins.stream.connections.clients];
    const [fastClient, rawClient, slowNesClient] = clients as [StreamClient, StreamClient, StreamClient];
    expect(clients.map((client) => client.transport.kind)).toStrictEqual(['nes', 'raw', 'nes']);
    let maxQueued = 0;
    let maxNesPackets = 0;
    let maxRawBuffered = 0;
    const rawTransport = rawClient.transport as RawTransport;
    expect(rawTransport).toBeInstanceOf(RawTransport);
    const sample = () => {
      for (const client of clients) maxQueued = Math.max(maxQueued, client.events.length, client.alerts.length);
      maxRawBuffered = Math.max(maxRawBuffered, rawTransport.bufferedAmount);
      maxNesPackets = Math.max(maxNesPackets, ...nesPacketCounts(stream));
    };
    const sampler = setInterval(sample, 5);

    // Chunks no larger than the queue, each stored before the next, so the reading client keeps up;
    // until both paused clients have clearly overflowed.
    const filler = 'x'.repeat(MESSAGE_BYTES);
    let sent = 0;
    try {
      while ((rawClient.events.dropped < 10 || slowNesClient.events.dropped < 10) && sent < 2000) {
        await stream.submit(Array.from({ length: QUEUE_MAX }, (_, i) => ({ message: `${sent + i} ${filler}` })));
        sent += QUEUE_MAX;
        sample();
      }
    } finally {
      clearInterval(sampler);
    }

    expect(rawClient.events.dropped).toBeGreaterThanOrEqual(10);
    expect(slowNesClient.events.dropped).toBeGreaterThanOrEqual(10);
    expect(maxQueued).toBeLessThanOrEqual(QUEUE_MAX);
    expect(maxNesPackets).toBeLessThanOrEqual(NES_MAX_PENDING_FRAMES + 1); // + a heartbeat ping
    // The socket buffer stops growing one frame (2 events of ~2 × 60 KB) past the 1 MiB limit.
    expect(maxRawBuffered).toBeLessThan(1024 * 1024 + 2 * 2 * (MESSAGE_BYTES + 4096));
    // The reading client lost nothing.
    expect(fastClient.events.dropped).toBe(0);
    await fast.log.next(() => fast.log.eventMessages().length === sent, { past: true, timeoutMs: 15_000 });

    // Once the slow clients read again, a status frame reports exactly what each lost.
    tcpOf(slowRaw.ws).resume();
    tcpOf((slowNes.client as unknown as { _ws: unknown })._ws).resume();
    for (const [log, client] of [
      [slowRaw.log, rawClient],
      [slowNes.log, slowNesClient],
    ] as const) {
      const lost = client.events.dropped;
      const status = await log.next((frame) => frame.type === 'status' && frame.data.dropped_events === lost, {
        past: true,
        timeoutMs: 15_000,
      });
      expect(status).toMatchObject({ data: { dropped_events: lost, dropped_alerts: 0, dropped_total: lost } });
      // Every event was either delivered or counted as dropped (the last few may still be queued).
      expect(log.eventMessages().length + lost).toBeGreaterThanOrEqual(sent - QUEUE_MAX);
    }
    const fastStatuses = fast.log.frames.filter((frame): frame is Extract<ServerFrame, { type: 'status' }> => frame.type === 'status');
    expect(fastStatuses.every((frame) => frame.data.dropped_total === 0)).toBe(true);
  });
});
