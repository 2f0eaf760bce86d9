/**
 * The listener's one `upgrade` handler. nes attaches its own handler to every upgrade whatever
 * the path, and a second `ws` server on the same listener would answer the same requests twice
 * (stack notes, @hapi/nes). So the plugin takes nes's handler off the listener
 * (`takeUpgradeListeners`) and this dispatcher routes by path: `/api/v1/ws` to nes, `/api/v1/ws/raw`
 * to the raw server, anything else 404.
 *
 * Admission is decided here, once for both kinds, before the handshake: the Origin check
 * (CSWSH defence; a missing Origin, i.e. a non-browser client, is allowed) answers 403, and the
 * connection cap (`ws_max_connections`, counted over upgraded sockets until they close) or a
 * stopping server answers 503. The original closed with 1008 / 1013 after accepting; refusing the
 * HTTP upgrade costs nothing and tells the client the same.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';

export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface UpgradeDispatcherOptions {
  /** Exact paths (no query) → the handler that completes the upgrade. */
  routes: Record<string, UpgradeHandler>;
  isOriginAllowed(origin: string | undefined): boolean;
  /** Upgraded connections (all routes together) allowed at once. */
  maxConnections: number;
  /** True while the server is stopping or stopped: every upgrade is refused. */
  isStopped(): boolean;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

export class UpgradeDispatcher {
  readonly #options: UpgradeDispatcherOptions;
  readonly #open = new Set<Duplex>();

  constructor(options: UpgradeDispatcherOptions) {
    this.#options = options;
  }

  /** Upgraded (or upgrading) sockets not yet closed. */
  get openConnections(): number {
    return this.#open.size;
  }

  /** The listener callback: `listener.on('upgrade', dispatcher.handle)`. */
  readonly handle: UpgradeHandler = (request, socket, head) => {
    socket.on('error', () => socket.destroy()); // A reset peer must not crash the process.
    const route = this.#options.routes[pathOf(request.url)];
    if (!route) return refuseUpgrade(socket, 404, 'no WebSocket endpoint at this path');
    if (!this.#options.isOriginAllowed(request.headers.origin)) {
      return refuseUpgrade(socket, 403, 'origin not allowed (see ws_allowed_origins)');
    }
    if (this.#options.isStopped()) return refuseUpgrade(socket, 503, 'server stopping');
    if (this.#open.size >= this.#options.maxConnections) {
      return refuseUpgrade(socket, 503, `too many stream clients (ws_max_connections = ${this.#options.maxConnections})`);
    }
    this.#open.add(socket);
    socket.once('close', () => this.#open.delete(socket));
    route(request, socket, head);
  };
}

/** Answer an upgrade request with a plain HTTP error and close the socket. */
export function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = `${message}\n`;
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\n` +
      'Connection: close\r\n' +
      'Content-Type: text/plain; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      '\r\n' +
      body,
  );
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/**
 * The allowed browser origins: `ws_allowed_origins`, or when empty `http://localhost:<port>` and
 * `http://127.0.0.1:<port>` for the port the dashboard actually listens on (asked for at check
 * time, since port 0 is only resolved at start). Origins compare in their serialised form
 * (`new URL(x).origin`), so `HTTP://LOCALHOST:80/` equals `http://localhost`.
 */
export function originPolicy(configured: readonly string[], port: () => number): (origin: string | undefined) => boolean {
  const fixed = configured.length > 0 ? new Set(configured.map(serialiseOrigin)) : undefined;
  return (origin) => {
    if (origin === undefined) return true; // Not a browser: CSWSH needs one.
    const serialised = serialiseOrigin(origin);
    if (serialised === 'null') return false; // Opaque origins (file://, sandboxed frames).
    if (fixed) return fixed.has(serialised);
    const p = port();
    return serialised === serialiseOrigin(`http://localhost:${p}`) || serialised === serialiseOrigin(`http://127.0.0.1:${p}`);
  };
}

function serialiseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return 'null';
  }
}

/**
 * Run `register` (which adds upgrade listeners to `listener`, as registering nes does), then take
 * the listeners it added off the listener and return them, for a dispatcher to call instead.
 */
export async function takeUpgradeListeners(listener: HttpServer, register: () => Promise<void>): Promise<UpgradeHandler[]> {
  const before = new Set(listener.listeners('upgrade'));
  await register();
  const added = listener.listeners('upgrade').filter((fn) => !before.has(fn)) as UpgradeHandler[];
  for (const fn of added) listener.off('upgrade', fn);
  return added;
}
