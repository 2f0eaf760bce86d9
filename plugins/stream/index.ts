/**
 * The live stream (API reference, WebSocket section; backend reference §11.4): new events and
 * alerts, filtered per client, at `/api/v1/ws` for @hapi/nes clients (the dashboard) and the same
 * frames as plain JSON text at `/api/v1/ws/raw` for any WebSocket client.
 *
 * Wiring only: the connection manager (`connections.ts`) holds clients, queues and timers; the
 * upgrade dispatcher (`upgrade.ts`) admits connections for both paths; `nes.ts` mounts nes;
 * `transports.ts` adapts nes and raw sockets. Exposes the manager as
 * `server.plugins.stream.connections`.
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import { WebSocketServer } from 'ws';
import type { SeerflowConfig } from '../../main/config/types.js';
import { ConnectionManager } from './connections.js';
import { StatusSource } from './status.js';
import { registerNes } from './nes.js';
import { attachRawSocket } from './transports.js';
import { originPolicy, UpgradeDispatcher } from './upgrade.js';

export const STREAM_PATH = '/api/v1/ws';
export const RAW_STREAM_PATH = '/api/v1/ws/raw';

export interface StreamPluginOptions {
  config: SeerflowConfig;
  /** Per-client socket buffer above which frames wait in the client's queue (bytes, default 1 MiB). */
  sendBufferBytes?: number;
  /** Raw clients are pinged this often and cut when a ping goes unanswered (ms, default 15 s, as nes). */
  heartbeatMs?: number;
}

const optionsSchema = Joi.object({
  config: Joi.object().required(),
  sendBufferBytes: Joi.number().integer().min(1024).default(1024 * 1024),
  heartbeatMs: Joi.number().integer().min(10).default(15_000),
});

/** Client frames are small (a filter is well under 8 KiB); larger ones close the raw socket (1009). */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

declare module '@hapi/hapi' {
  interface PluginProperties {
    stream: { connections: ConnectionManager };
  }
}

export const streamPlugin: Plugin<StreamPluginOptions> = {
  name: 'stream',
  version: '1.0.0',
  async register(server, rawOptions) {
    const { value, error } = optionsSchema.validate(rawOptions);
    if (error) throw new Error(`Invalid "stream" plugin options: ${error.message}`);
    const { config, sendBufferBytes, heartbeatMs } = value as Required<StreamPluginOptions>;
    const { pipeline, alerts, alertStore, rate, clock } = server.seerflow;
    const nowMs = () => performance.now();

    const status = new StatusSource({
      rate,
      countAlertsSince: (sinceNs) => alertStore.countSince(sinceNs),
      clockNs: clock,
      nowMs,
      onError: (err) => server.logger.warn({ err: (err as Error).message }, 'stream: counting alerts_24h failed'),
    });
    const connections = new ConnectionManager({
      queueMax: config.ws_queue_maxlen,
      batchMax: config.ws_batch_max_events,
      frameMinIntervalMs: config.ws_filter_min_interval_ms,
      nowMs,
      globalStatus: () => status.snapshot(),
      heartbeatMs,
    });
    server.expose('connections', connections);

    const nesUpgrade = await registerNes(server, connections, { maxConnections: config.ws_max_connections, sendBufferBytes });

    // Raw WebSocket at /api/v1/ws/raw; ws only completes handshakes the dispatcher admitted.
    const raw = new WebSocketServer({ noServer: true, clientTracking: false, perMessageDeflate: false, maxPayload: MAX_CLIENT_FRAME_BYTES });
    let stopped = true;
    const dispatcher = new UpgradeDispatcher({
      routes: {
        [STREAM_PATH]: nesUpgrade,
        [RAW_STREAM_PATH]: (request, socket, head) =>
          raw.handleUpgrade(request, socket, head, (ws) => attachRawSocket(ws, connections, sendBufferBytes)),
      },
      isOriginAllowed: originPolicy(config.ws_allowed_origins, () => Number(server.info.port)),
      maxConnections: config.ws_max_connections,
      isStopped: () => stopped,
    });
    server.listener.on('upgrade', dispatcher.handle);

    // Sources: the pipeline has no unsubscribe, so its listener stays and does nothing once stopped.
    pipeline.onEvent((event) => {
      if (!stopped) connections.publishEvent(event);
    });
    let unsubscribeAlerts: (() => void) | undefined;

    server.ext('onPreStart', () => {
      stopped = false;
      unsubscribeAlerts = alerts.subscribe((alert) => connections.publishAlert(alert));
      connections.start(config.ws_tick_interval_s, config.ws_status_interval_s);
      void status.refresh();
    });
    // Before nes's own onPreStop, which would wait 30 s on each client that does not read.
    server.ext(
      'onPreStop',
      async () => {
        stopped = true;
        unsubscribeAlerts?.();
        await connections.close(1001, 'server stopping');
        await status.idle();
      },
      { before: ['@hapi/nes'] },
    );
  },
};
