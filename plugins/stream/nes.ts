/**
 * The nes half of the stream: registers @hapi/nes with its callbacks bound to the connection
 * manager, and hands back the upgrade handler nes put on the listener, taken off it so that the
 * one dispatcher (`upgrade.ts`) decides which upgrades reach nes (stack notes, @hapi/nes).
 *
 * Admission (Origin, connection cap) is the dispatcher's: nes's own `origin` option would refuse
 * a missing Origin, which non-browser clients may omit. nes's `maxConnections` is set too, as a
 * second guard. A client's filter arrives through `client.message(frame)` and is answered with
 * `{ ok: true }` or `{ ok: false, message }` (the `error` frame is sent as well).
 */
import type { Server } from '@hapi/hapi';
import { plugin as nesPlugin, type Nes } from '@hapi/nes';
import type { ConnectionManager, FrameOutcome } from './connections.js';
import { NesTransport, type NesSocketApp } from './transports.js';
import { takeUpgradeListeners, type UpgradeHandler } from './upgrade.js';

export interface NesStreamOptions {
  maxConnections: number;
  sendBufferBytes: number;
}

/** Register nes on `server` for `connections`; returns its upgrade handler, off the listener. */
export async function registerNes(server: Server, connections: ConnectionManager, options: NesStreamOptions): Promise<UpgradeHandler> {
  const nesOptions: Nes.PluginOptions<NesSocketApp> = {
    auth: false,
    maxConnections: options.maxConnections,
    onConnection(socket) {
      const client = connections.add(new NesTransport(socket, options.sendBufferBytes));
      if (client) socket.app.streamClient = client;
    },
    onDisconnection(socket) {
      if (socket.app.streamClient) connections.remove(socket.app.streamClient);
    },
    onMessage(socket, message): FrameOutcome {
      const client = socket.app.streamClient;
      return client ? connections.receive(client, message) : { ok: false, message: 'not connected' };
    },
  };
  const [handler, ...extra] = await takeUpgradeListeners(server.listener, () =>
    server.register({ plugin: nesPlugin, options: nesOptions as Nes.PluginOptions }),
  );
  if (!handler || extra.length > 0) {
    throw new Error(`stream: expected @hapi/nes to add one upgrade listener, found ${extra.length + (handler ? 1 : 0)}`);
  }
  return (request, socket, head) => handler.call(server.listener, request, socket, head);
}
