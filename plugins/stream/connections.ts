/**
 * The one connection manager for stream clients of both kinds (nes at `/api/v1/ws`, raw
 * WebSocket at `/api/v1/ws/raw`): each client's filter, its two bounded queues, and the timers
 * that flush them and send status frames (backend reference §11.4).
 *
 * Per event or alert the hot path only filters and enqueues per client; the wire form is built
 * once per item, on the tick that first sends it. A client whose transport is not writable (its
 * socket buffer is above the limit) is skipped by the flush, so its queues fill and drop their
 * oldest items: server memory per client stays bounded by `ws_queue_maxlen` items per queue plus
 * the transport's buffer limit. Transport details (nes or raw) live in `transports.ts`.
 */
import type { Alert } from '../../main/core/alert.js';
import type { SeerflowEvent } from '../../main/core/event.js';
import { DropOldestQueue } from './client-queue.js';
import { matchesAlert, matchesEvent, MATCH_ALL, parseFilterFrame, type StreamFilter } from './filter.js';
import {
  alertItem,
  alertsFrame,
  errorFrame,
  eventItem,
  eventsFrame,
  statusFrame,
  type AlertItem,
  type EventItem,
  type OutgoingFrame,
} from './frames.js';

/** How frames reach one client; implemented for nes and raw sockets in `transports.ts`. */
export interface StreamTransport {
  readonly kind: 'nes' | 'raw';
  /** Whether another frame may be handed over now without growing an unbounded buffer. */
  readonly writable: boolean;
  send(frame: OutgoingFrame): void;
  /** Close the connection; resolves once it is closed. */
  close(code: number, reason: string): Promise<void>;
  /** Called every `heartbeatMs`: check the peer is alive (transports without their own heartbeat). */
  heartbeat?(): void;
}

/** The answer to a client frame; a rejection was also sent to the client as an `error` frame. */
export type FrameOutcome = { ok: true } | { ok: false; message: string };

export interface StreamClient {
  readonly transport: StreamTransport;
  readonly events: DropOldestQueue<EventItem>;
  readonly alerts: DropOldestQueue<AlertItem>;
  filter: StreamFilter;
  /** When the last client frame was accepted for processing (ms, `nowMs` clock). */
  lastFrameMs: number | undefined;
}

/** The parts of a status frame that are the same for every client. */
export interface GlobalStatus {
  events_ingested_per_sec: number;
  alerts_24h: number;
}

export interface ConnectionManagerOptions {
  /** `ws_queue_maxlen`: items per client queue (events, alerts) before the oldest drop. */
  queueMax: number;
  /** `ws_batch_max_events`: items per event or alert frame. */
  batchMax: number;
  /** `ws_filter_min_interval_ms`: client frames closer together than this are refused. */
  frameMinIntervalMs: number;
  /** A monotonic clock in milliseconds. */
  nowMs: () => number;
  globalStatus: () => GlobalStatus;
  /** Interval of transport heartbeats (ms); a silent peer is cut after two. */
  heartbeatMs: number;
}

export class ConnectionManager {
  readonly #options: ConnectionManagerOptions;
  readonly #clients = new Set<StreamClient>();
  #timers: NodeJS.Timeout[] = [];
  #closed = false;

  constructor(options: ConnectionManagerOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#clients.size;
  }

  get clients(): ReadonlySet<StreamClient> {
    return this.#clients;
  }

  /** Accept a connected client; after `close()` it is closed at once and undefined returned. */
  add(transport: StreamTransport): StreamClient | undefined {
    if (this.#closed) {
      void transport.close(1001, 'server stopping');
      return undefined;
    }
    const client: StreamClient = {
      transport,
      events: new DropOldestQueue(this.#options.queueMax),
      alerts: new DropOldestQueue(this.#options.queueMax),
      filter: MATCH_ALL,
      lastFrameMs: undefined,
    };
    this.#clients.add(client);
    return client;
  }

  remove(client: StreamClient): void {
    this.#clients.delete(client);
    client.events.clear();
    client.alerts.clear();
  }

  // Hot path: filter and enqueue, nothing else.

  publishEvent(event: SeerflowEvent): void {
    let item: EventItem | undefined;
    for (const client of this.#clients) {
      if (matchesEvent(client.filter, event)) client.events.push((item ??= eventItem(event)));
    }
  }

  publishAlert(alert: Alert): void {
    let item: AlertItem | undefined;
    for (const client of this.#clients) {
      if (matchesAlert(client.filter, alert)) client.alerts.push((item ??= alertItem(alert)));
    }
  }

  // Client frames

  /** A raw client's text frame: JSON, then as `receive`. */
  receiveText(client: StreamClient, text: string): FrameOutcome {
    return this.#accept(client, () => {
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return { ok: false, message: 'invalid JSON' };
      }
      return this.#applyFilter(client, frame);
    });
  }

  /** A parsed client frame (nes delivers them parsed). Only `filter` frames exist. */
  receive(client: StreamClient, frame: unknown): FrameOutcome {
    return this.#accept(client, () => this.#applyFilter(client, frame));
  }

  /** Refuse a frame outright (a binary frame, say), telling the client why. */
  refuse(client: StreamClient, message: string): FrameOutcome {
    return this.#reject(client, message);
  }

  // Sending

  /** One flush: each writable client gets its queued items, `batchMax` per frame. */
  flush(): void {
    const { batchMax } = this.#options;
    for (const client of this.#clients) {
      const { transport } = client;
      while (transport.writable && (client.events.length > 0 || client.alerts.length > 0)) {
        if (client.events.length > 0) transport.send(eventsFrame(client.events.take(batchMax)));
        if (client.alerts.length > 0 && transport.writable) transport.send(alertsFrame(client.alerts.take(batchMax)));
      }
    }
  }

  /** A status frame to each writable client (a skipped one gets the counts in a later frame). */
  sendStatus(): void {
    if (this.#clients.size === 0) return;
    const shared = { ...this.#options.globalStatus(), connected_clients: this.#clients.size };
    for (const client of this.#clients) {
      if (!client.transport.writable) continue;
      const droppedEvents = client.events.dropped;
      const droppedAlerts = client.alerts.dropped;
      client.transport.send(
        statusFrame({
          ...shared,
          dropped_events: droppedEvents,
          dropped_alerts: droppedAlerts,
          dropped_total: droppedEvents + droppedAlerts,
        }),
      );
    }
  }

  /** Start the flush and status timers (seconds, as the config gives them). */
  start(tickS: number, statusS: number): void {
    this.#closed = false;
    this.stopTimers();
    this.#timers = [
      setInterval(() => this.flush(), tickS * 1000),
      setInterval(() => this.sendStatus(), statusS * 1000),
      setInterval(() => this.#heartbeat(), this.#options.heartbeatMs),
    ];
    for (const timer of this.#timers) timer.unref();
  }

  stopTimers(): void {
    for (const timer of this.#timers) clearInterval(timer);
    this.#timers = [];
  }

  /** Stop the timers, refuse new clients and close every client; resolves once all are closed. */
  async close(code = 1001, reason = 'server stopping'): Promise<void> {
    this.#closed = true;
    this.stopTimers();
    const clients = [...this.#clients];
    for (const client of clients) this.remove(client);
    await Promise.all(clients.map((client) => client.transport.close(code, reason)));
  }

  // Internals

  #heartbeat(): void {
    for (const client of this.#clients) client.transport.heartbeat?.();
  }

  /** The per-client throttle: at most one frame per `frameMinIntervalMs`, checked before parsing. */
  #accept(client: StreamClient, handle: () => FrameOutcome): FrameOutcome {
    const now = this.#options.nowMs();
    const interval = this.#options.frameMinIntervalMs;
    if (client.lastFrameMs !== undefined && now - client.lastFrameMs < interval) {
      return this.#reject(client, `too many filter updates: at most one every ${interval} ms; this one was ignored`);
    }
    client.lastFrameMs = now;
    const outcome = handle();
    return outcome.ok ? outcome : this.#reject(client, outcome.message);
  }

  #applyFilter(client: StreamClient, frame: unknown): FrameOutcome {
    const parsed = parseFilterFrame(frame);
    if (!parsed.ok) return parsed;
    client.filter = parsed.filter;
    return { ok: true };
  }

  #reject(client: StreamClient, message: string): FrameOutcome {
    // Not writable: the client is not reading; queueing replies would grow without bound.
    if (client.transport.writable) client.transport.send(errorFrame(message));
    return { ok: false, message };
  }
}
