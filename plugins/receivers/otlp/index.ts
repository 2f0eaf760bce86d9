/**
 * OTLP receivers: HTTP (4318) and gRPC (4317), each behind its own enable flag, sharing one
 * memory of accepted requests so that retries are idempotent. Exposes `stats()`.
 */
import type { Plugin } from '@hapi/hapi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { bindErrorMessage } from '../listen.js';
import { AcceptedRequests } from './accepted-requests.js';
import { bindGrpc, createOtlpGrpcServer } from './grpc.js';
import { createOtlpHttpServer } from './http.js';

type Options = SeerflowConfig['receivers'];

export interface OtlpReceiverStats {
  /** Resent requests answered without storing their records again. */
  retries_deduplicated: number;
  /** Accepted requests remembered now (waiting for their commit or within the window). */
  requests_remembered: number;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'receiver-otlp': { stats(): OtlpReceiverStats };
  }
}

export const otlpReceiverPlugin: Plugin<Options> = {
  name: 'receiver-otlp',
  version: '1.0.0',
  register(server, options) {
    const runtime = server.seerflow;
    const host = options.bind_addr;
    const maxBytes = options.otlp_http_max_request_bytes;
    const accepted = new AcceptedRequests(runtime.clock);
    const http = options.otlp_http_enabled
      ? createOtlpHttpServer(runtime, accepted, { host, port: options.otlp_http_port, maxBytes })
      : undefined;
    const grpc = options.otlp_grpc_enabled ? createOtlpGrpcServer(runtime, accepted, maxBytes) : undefined;
    server.expose('stats', (): OtlpReceiverStats => ({
      retries_deduplicated: accepted.deduplicated,
      requests_remembered: accepted.size,
    }));
    let listening = false;
    for (const [name, enabled] of [['receiver.otlp_http', http], ['receiver.otlp_grpc', grpc]] as const) {
      if (enabled) runtime.health.register(name, () => ({ status: listening ? 'ok' : 'starting' }));
    }

    server.ext('onPreStart', async () => {
      if (http) {
        try {
          await http.start();
        } catch (error) {
          throw new Error(bindErrorMessage('OTLP/HTTP receiver', options.otlp_http_port, error as NodeJS.ErrnoException));
        }
      }
      if (http) runtime.listeners.set('otlp_http', http.info.port as number);
      if (grpc) runtime.listeners.set('otlp_grpc', await bindGrpc(grpc, host, options.otlp_grpc_port));
      listening = true;
      server.logger.info(
        { http: runtime.listeners.get('otlp_http') ?? null, grpc: runtime.listeners.get('otlp_grpc') ?? null },
        'OTLP receiver listening',
      );
    });
    server.ext('onPreStop', async () => {
      listening = false;
      // Requests in flight finish (and are acknowledged after commit) before the listeners close.
      await Promise.all([
        http?.stop({ timeout: 10_000 }),
        grpc && new Promise<void>((resolve) => grpc.tryShutdown(() => resolve())),
      ]);
    });
  },
};
