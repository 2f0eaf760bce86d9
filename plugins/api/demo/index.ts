/**
 * The first-run demo: `POST /demo` replays the bundled demo logs (`resources/demo/`) through this
 * appliance's own receivers (syslog TCP, else UDP; access logs over OTLP/HTTP, else syslog), so a
 * new user sees real alerts and entities within a minute. `GET /demo` reports progress.
 *
 * - `POST /demo` `{ duration_s? }` → 202 `{ status: 'started', total }`; 409 while a replay runs;
 *   503 when the syslog receiver is off or the demo logs are missing. Rate family `upload`.
 * - `GET /demo` → `{ status: 'idle'|'running'|'done'|'failed', sent, total, error? }`.
 *
 * Exposes `server.plugins['api-demo'].start(durationS)` for `seerflow start --demo`. A replay in
 * flight stops before the receivers close.
 */
import Boom from '@hapi/boom';
import type { Plugin, Server } from '@hapi/hapi';
import Joi from 'joi';
import { demoDir, loadDemoLines, missingDemoFiles } from '../../../main/demo/demo-files.js';
import { DEMO_DEFAULT_DURATION_S, DEMO_MAX_DURATION_S, DemoReplay, type DemoSenders } from '../../../main/demo/replay.js';
import { accessOverSyslog, connectSyslogTcp, otlpHttp, reachableAddress, syslogUdp } from '../../../main/demo/senders.js';
import { notReady } from '../not-ready.js';
import '../security/families.js';

export interface DemoApi {
  /** Starts a replay; throws the same Boom errors as `POST /demo`. */
  start(durationS?: number): { status: 'started'; total: number };
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'api-demo': DemoApi;
  }
}

const startPayload = Joi.object({
  /** Wall-clock seconds the replay should take; 0 = as fast as the receivers accept. */
  duration_s: Joi.number().min(0).max(DEMO_MAX_DURATION_S).default(DEMO_DEFAULT_DURATION_S),
})
  .empty(null)
  .default();

/** Connections to this appliance's receivers, as an outside sender would make them. */
async function openSenders(server: Server): Promise<DemoSenders> {
  const { config, listeners } = server.seerflow;
  const host = reachableAddress(config.receivers.bind_addr);
  const tcpPort = listeners.get('syslog_tcp');
  const syslog = tcpPort ? await connectSyslogTcp(host, tcpPort) : syslogUdp(host, listeners.get('syslog_udp')!);
  const otlpPort = listeners.get('otlp_http');
  return { syslog, access: otlpPort ? otlpHttp(host, otlpPort) : accessOverSyslog(syslog) };
}

export const demoApiPlugin: Plugin<void> = {
  name: 'api-demo',
  version: '1.0.0',
  register(server) {
    const replay = new DemoReplay();
    const start = (durationS = DEMO_DEFAULT_DURATION_S) => {
      if (!server.seerflow.config.receivers.syslog_enabled) {
        throw notReady('demo', 'disabled', 'the demo sends its logs through the syslog receiver: set receivers.syslog_enabled');
      }
      const dir = demoDir();
      const missing = missingDemoFiles(dir);
      if (missing.length > 0) throw notReady('demo', 'unavailable', `the demo logs are missing from ${dir}: ${missing.join(', ')}`);
      if (replay.running) throw Boom.conflict('a demo replay is already running');
      const lines = loadDemoLines(dir);
      let quarter = 0;
      replay.start({
        lines,
        openSenders: () => openSenders(server),
        durationMs: durationS * 1000,
        // The appliance's clock, not the wall's: tests and replays on a fixed clock stay consistent.
        endsAtMs: Number(server.seerflow.clock() / 1_000_000n),
        onProgress({ sent, total }) {
          if (sent * 4 < (quarter + 1) * total || sent === total) return;
          quarter = Math.floor((sent * 4) / total);
          server.logger.info({ sent, total }, 'demo replay progress');
        },
      });
      server.logger.info({ lines: lines.length, duration_s: durationS }, 'demo replay started');
      void replay.finished().then(() => server.logger.info(replay.progress, 'demo replay ended'));
      return { status: 'started' as const, total: lines.length };
    };
    server.expose('start', start);
    // Before the receivers close, or the replay's connections would be cut mid-slice.
    server.ext('onPreStop', () => replay.stop(), { before: ['receiver-syslog', 'receiver-otlp'] });

    server.route([
      {
        method: 'POST',
        path: '/demo',
        options: { plugins: { rateLimit: 'upload' }, validate: { payload: startPayload } },
        handler: (request, h) => h.response(start((request.payload as { duration_s: number }).duration_s)).code(202),
      },
      {
        method: 'GET',
        path: '/demo',
        // Not rate-limited, like /health: polled for progress, answered from memory.
        handler: () => replay.progress,
      },
    ]);
  },
};
