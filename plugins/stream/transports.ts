/**
 * The two ways a stream client is connected, behind `StreamTransport`:
 *
 * - raw: a `ws` WebSocket at `/api/v1/ws/raw`; frames are JSON text; writable while the socket's
 *   `bufferedAmount` is under the limit; client frames arrive as text; a ping heartbeat cuts
 *   peers that vanished without closing.
 * - nes: a @hapi/nes socket at `/api/v1/ws`; frames go through `socket.send(value)` and reach the
 *   nes client's `onUpdate`; client frames arrive through `client.message()` (nes `onMessage`).
 *   nes queues every send without bound, so at most `NES_MAX_PENDING_FRAMES` of ours are in
 *   flight, and the underlying socket's `bufferedAmount` is checked too when it can be reached.
 */
import type { Nes } from '@hapi/nes';
import { WebSocket } from 'ws';
import type { ConnectionManager, StreamClient, StreamTransport } from './connections.js';
import type { OutgoingFrame } from './frames.js';

/** Frames handed to nes and not yet written to its socket, per client. */
export const NES_MAX_PENDING_FRAMES = 4;
/** How long a closing client (either kind) gets to complete the close handshake before it is cut. */
const CLOSE_GRACE_MS = 1000;

export class RawTransport implements StreamTransport {
  readonly kind = 'raw';
  readonly #ws: WebSocket;
  readonly #bufferLimit: number;
  #answeredPing = true;

  /** @param bufferLimitBytes stop handing frames over while this much is buffered. */
  constructor(ws: WebSocket, bufferLimitBytes: number) {
    this.#ws = ws;
    this.#bufferLimit = bufferLimitBytes;
    ws.on('pong', () => (this.#answeredPing = true));
  }

  /**
   * Cut a peer that did not answer the previous ping (gone without closing), then ping again.
   * WebSocket clients answer pings by themselves; nes has its own heartbeat.
   */
  heartbeat(): void {
    if (this.#ws.readyState !== WebSocket.OPEN) return;
    if (!this.#answeredPing) {
      this.#ws.terminate();
      return;
    }
    this.#answeredPing = false;
    this.#ws.ping();
  }

  get bufferedAmount(): number {
    return this.#ws.bufferedAmount;
  }

  get writable(): boolean {
    return this.#ws.readyState === WebSocket.OPEN && this.#ws.bufferedAmount < this.#bufferLimit;
  }

  send(frame: OutgoingFrame): void {
    this.#ws.send(frame.text());
  }

  close(code: number, reason: string): Promise<void> {
    const ws = this.#ws;
    if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      // A client that does not read never completes the close handshake: cut it after a grace.
      const cut = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
      ws.once('close', () => {
        clearTimeout(cut);
        resolve();
      });
      ws.close(code, reason);
    });
  }
}

/** Bind a raw socket to the manager: register it, route its frames, forget it on close. */
export function attachRawSocket(ws: WebSocket, manager: ConnectionManager, bufferLimitBytes: number): void {
  ws.on('error', () => undefined); // Protocol errors (an oversized frame…): ws closes with the right code itself.
  const client = manager.add(new RawTransport(ws, bufferLimitBytes));
  if (!client) return;
  ws.on('close', () => manager.remove(client));
  ws.on('message', (data, isBinary) => {
    if (isBinary) manager.refuse(client, 'binary frames are not supported; send JSON text');
    else manager.receiveText(client, data.toString());
  });
}

/** What the plugin keeps on each nes socket. */
export interface NesSocketApp {
  streamClient?: StreamClient;
}

export class NesTransport implements StreamTransport {
  readonly kind = 'nes';
  readonly #socket: Nes.Socket<NesSocketApp>;
  readonly #bufferLimit: number;
  #pending = 0;

  constructor(socket: Nes.Socket<NesSocketApp>, bufferLimitBytes: number) {
    this.#socket = socket;
    this.#bufferLimit = bufferLimitBytes;
  }

  get writable(): boolean {
    return this.#socket.isOpen() && this.#pending < NES_MAX_PENDING_FRAMES && underlyingBuffered(this.#socket) < this.#bufferLimit;
  }

  send(frame: OutgoingFrame): void {
    this.#pending++;
    this.#socket
      .send(frame.value())
      .catch(() => undefined) // The socket closed: its close handler removes the client.
      .finally(() => this.#pending--);
  }

  /** nes waits for the close handshake (30 s for a peer that does not read): cut it after a grace. */
  async close(): Promise<void> {
    const closed = this.#socket.disconnect();
    let cut: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (cut = setTimeout(resolve, CLOSE_GRACE_MS)));
    await Promise.race([closed, graceOver]);
    clearTimeout(cut);
    underlyingWs(this.#socket)?.terminate?.();
    await closed;
  }
}

interface UnderlyingWs {
  bufferedAmount?: unknown;
  terminate?: () => void;
}

/** nes keeps its `ws` socket private (`_ws`); reached only for its buffer size and to cut it. */
function underlyingWs(socket: Nes.Socket<NesSocketApp>): UnderlyingWs | undefined {
  return (socket as unknown as { _ws?: UnderlyingWs })._ws;
}

function underlyingBuffered(socket: Nes.Socket<NesSocketApp>): number {
  const buffered = underlyingWs(socket)?.bufferedAmount;
  return typeof buffered === 'number' ? buffered : 0;
}
