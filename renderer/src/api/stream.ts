/**
 * The one live connection to `/api/v1/ws`, through the nes client (stack notes, @hapi/nes).
 *
 * - Reconnects itself with back-off 1, 2, 4, 8, 16, then every 30 s, reset once a connection
 *   opens (nes's own reconnect is off, so the schedule and the state are ours and testable).
 * - Replays the current filter on every (re)connect; filter changes are debounced (150 ms) and
 *   frames spaced so that the server's rate limit never refuses one.
 * - Reports its state (`connecting` → `open` → `closed`) and hands each server frame over as is.
 *
 * The nes client is created by a factory, so tests drive this class with a fake.
 */
import type { ServerFrame, StreamFilter } from './types';

export type StreamState = 'connecting' | 'open' | 'closed';

/** The part of `@hapi/nes/lib/client`'s Client used here. */
export interface NesClientLike {
  onConnect: () => void;
  onDisconnect: (willReconnect: boolean, log: unknown) => void;
  onUpdate: (message: unknown) => void;
  onError: (error: unknown) => void;
  connect(options: { reconnect: boolean; timeout?: number }): Promise<void>;
  disconnect(): Promise<void>;
  message(data: unknown): Promise<unknown>;
}

export interface StreamHandlers {
  frame(frame: ServerFrame): void;
  state(state: StreamState): void;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic ms. */
  now(): number;
}

export const BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000, 16000, 30000];
export const FILTER_DEBOUNCE_MS = 150;
/** Filter frames are spaced at least this far apart (the server refuses closer ones, `ws_filter_min_interval_ms`, 100 ms by default). */
export const FILTER_MIN_GAP_MS = 150;
const CONNECT_TIMEOUT_MS = 5000;

const browserTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

/** `ws(s)://<this page's host>/api/v1/ws`. */
export function streamUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/ws`;
}

export class LiveStream {
  readonly #makeClient: () => NesClientLike;
  readonly #handlers: StreamHandlers;
  readonly #timers: Timers;
  #client: NesClientLike | undefined;
  #state: StreamState = 'closed';
  #attempt = 0;
  #retry: unknown;
  #filterTimer: unknown;
  #filter: StreamFilter | null = null;
  /** The filter this connection last sent (null after a reconnect: the server forgot it). */
  #sentFilter: StreamFilter | null = null;
  #filterSentAt = Number.NEGATIVE_INFINITY;
  #running = false;

  constructor(makeClient: () => NesClientLike, handlers: StreamHandlers, timers: Timers = browserTimers) {
    this.#makeClient = makeClient;
    this.#handlers = handlers;
    this.#timers = timers;
  }

  get state(): StreamState {
    return this.#state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#open();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#timers.clearTimeout(this.#retry);
    this.#timers.clearTimeout(this.#filterTimer);
    const client = this.#client;
    this.#client = undefined;
    this.#setState('closed');
    await client?.disconnect();
  }

  /** Replace the filter; sent after 150 ms of quiet, and again after every reconnect. */
  setFilter(filter: StreamFilter): void {
    this.#filter = filter;
    this.#timers.clearTimeout(this.#filterTimer);
    this.#filterTimer = this.#timers.setTimeout(() => this.#sendFilter(), FILTER_DEBOUNCE_MS);
  }

  #open(): void {
    this.#setState('connecting');
    const client = this.#makeClient();
    this.#client = client;
    client.onError = () => undefined; // failures surface as a disconnect; nes would log them to the console
    client.onUpdate = (message) => {
      if (client === this.#client && message && typeof message === 'object') this.#handlers.frame(message as ServerFrame);
    };
    client.onDisconnect = () => this.#lost(client);
    client.connect({ reconnect: false, timeout: CONNECT_TIMEOUT_MS }).then(
      () => {
        if (client !== this.#client) return;
        this.#attempt = 0;
        this.#filterSentAt = Number.NEGATIVE_INFINITY; // the server's spacing is per connection
        this.#sentFilter = null;
        this.#setState('open');
        this.#sendFilter();
      },
      () => this.#lost(client),
    );
  }

  /** The connection `client` failed or dropped: schedule the next attempt (once per client). */
  #lost(client: NesClientLike): void {
    if (client !== this.#client) return;
    this.#client = undefined;
    this.#setState('closed');
    if (!this.#running) return;
    const delay = BACKOFF_MS[Math.min(this.#attempt, BACKOFF_MS.length - 1)]!;
    this.#attempt++;
    this.#retry = this.#timers.setTimeout(() => this.#open(), delay);
  }

  #sendFilter(): void {
    if (this.#state !== 'open' || !this.#filter || !this.#client || this.#filter === this.#sentFilter) return;
    const wait = this.#filterSentAt + FILTER_MIN_GAP_MS - this.#timers.now();
    if (wait > 0) {
      this.#timers.clearTimeout(this.#filterTimer);
      this.#filterTimer = this.#timers.setTimeout(() => this.#sendFilter(), wait);
      return;
    }
    this.#filterSentAt = this.#timers.now();
    this.#sentFilter = this.#filter;
    this.#client.message({ type: 'filter', ...this.#filter }).catch(() => undefined);
  }

  #setState(state: StreamState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#handlers.state(state);
  }
}
