/**
 * Real-socket harness for the stream tests: the real appliance (`startAppliance`: hapi on a free
 * port, SQLite in a temp dir, every plugin `main/server.ts` registers) plus nes and raw WebSocket
 * clients that record every frame and let a test wait for the next matching one. Servers and
 * clients are closed after each test.
 */
import { createRequire } from 'node:module';
import type Hapi from '@hapi/hapi';
import type { Client as NesClient } from '@hapi/nes/lib/client';
import { afterEach } from 'vitest';
import { WebSocket } from 'ws';
import type { SeerflowConfig } from '../../main/config/types.js';
import { systemClockNs } from '../../main/core/clock.js';
import type { RawEvent } from '../../main/core/event.js';
import type { Severity } from '../../main/core/severity.js';
import type { ServerFrame } from '../../plugins/stream/frames.js';
import { RAW_STREAM_PATH, STREAM_PATH } from '../../plugins/stream/index.js';
import { startAppliance } from '../support/appliance.js';

/** In Node the nes client must come from the package root, which plugs in `ws` (stack notes). */
const { Client } = createRequire(import.meta.url)('@hapi/nes') as { Client: typeof NesClient };

export type StreamOverrides = Parameters<typeof startAppliance>[0];

export interface StreamServer {
  server: Hapi.Server;
  config: SeerflowConfig;
  url(path?: string): string;
  /** The Origin a dashboard served by this server sends. */
  origin: string;
  /** Submit events to the pipeline (as the webhook receiver would); resolves once they are stored. */
  submit(records: Array<{ message: string; severity?: Severity; app?: string; sourceId?: string }>): Promise<void>;
  stop(): Promise<void>;
}

export type FrameOf<K extends ServerFrame['type']> = Extract<ServerFrame, { type: K }>;

/** Frames received by a test client, with a way to wait for the next one that matches. */
export class FrameLog {
  readonly frames: ServerFrame[] = [];
  #waiters: Array<{ match: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void }> = [];

  push(frame: ServerFrame): void {
    this.frames.push(frame);
    this.#waiters = this.#waiters.filter((waiter) => {
      if (!waiter.match(frame)) return true;
      waiter.resolve(frame);
      return false;
    });
  }

  /** The first frame matching `match` that arrives after this call (or, with `past`, already has). */
  next<T extends ServerFrame = ServerFrame>(match: (frame: ServerFrame) => boolean, { past = false, timeoutMs = 5000 } = {}): Promise<T> {
    const seen = past ? this.frames.find(match) : undefined;
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching frame within ${timeoutMs} ms; got ${this.types().join(',')}`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame as T);
        },
      });
    });
  }

  types(): string[] {
    return this.frames.map((frame) => frame.type);
  }

  /** Messages of every event received so far (from `event` and `batch` frames), in order. */
  eventMessages(): string[] {
    return this.frames.flatMap((frame) =>
      frame.type === 'event' ? [frame.data.message as string] : frame.type === 'batch' ? frame.events.map((e) => e.message as string) : [],
    );
  }
}

export interface TestNesClient {
  client: NesClient;
  log: FrameLog;
}

export interface TestRawClient {
  ws: WebSocket;
  log: FrameLog;
  send(frame: unknown): void;
}

const running: Array<() => Promise<void>> = [];

/** For a test file: servers and clients started by the returned functions are closed after each test. */
export function streamFixture() {
  afterEach(async () => {
    for (const close of running.splice(0).reverse()) await close();
  });
  return { startStream, connectNes, connectRaw };
}

async function startStream(overrides: StreamOverrides = {}): Promise<StreamServer> {
  const appliance = await startAppliance(overrides);
  const { server, config } = appliance;
  const stop = async () => {
    await appliance.stop();
  };
  running.push(stop);
  const port = appliance.port('api');
  return {
    server,
    config,
    url: (path = STREAM_PATH) => `ws://127.0.0.1:${port}${path}`,
    origin: `http://localhost:${port}`,
    async submit(records) {
      const raws: RawEvent[] = records.map((record) => ({
        sourceType: 'webhook',
        sourceId: record.sourceId ?? 'webhook',
        receivedNs: systemClockNs(),
        record: { message: record.message, severity: record.severity, app: record.app, host: 'web01' },
      }));
      const durable = server.seerflow.pipeline.submit(raws);
      if (!durable) throw new Error('pipeline refused the test events');
      await durable;
    },
    stop,
  };
}

/** A connected nes client at `/api/v1/ws`; no reconnects, so a refusal surfaces as an error. */
async function connectNes(stream: StreamServer, options: { origin?: string } = {}): Promise<TestNesClient> {
  const client = new Client(stream.url(STREAM_PATH) as `ws://${string}`, {
    ws: options.origin ? { headers: { origin: options.origin } } : {},
  });
  const log = new FrameLog();
  client.onUpdate = (message) => log.push(message as ServerFrame);
  client.onError = () => undefined;
  running.push(async () => {
    // A client paused by a test never completes the close handshake: cut it after a moment.
    const cut = setTimeout(() => (client as unknown as { _ws?: WebSocket })._ws?.terminate(), 500);
    await client.disconnect();
    clearTimeout(cut);
  });
  await client.connect({ reconnect: false });
  return { client, log };
}

/** A raw WebSocket client at `/api/v1/ws/raw`; rejects with the HTTP status when refused. */
async function connectRaw(stream: StreamServer, options: { origin?: string } = {}): Promise<TestRawClient> {
  const ws = new WebSocket(stream.url(RAW_STREAM_PATH), options.origin ? { origin: options.origin } : {});
  const log = new FrameLog();
  ws.on('message', (data) => log.push(JSON.parse(data.toString()) as ServerFrame));
  running.push(async () => {
    if (ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((resolve) => ws.once('close', resolve));
    ws.terminate();
    await closed;
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
  return { ws, log, send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)) };
}
