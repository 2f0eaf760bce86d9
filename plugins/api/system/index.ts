/**
 * System routes: `/health` (component readiness, 503 when one is degraded) and `/stats`
 * (pipeline counters and live rates). `/config` arrives with the API issue.
 */
import type { Plugin } from '@hapi/hapi';
import { statsSnapshot } from './stats.js';

export const systemApiPlugin: Plugin<void> = {
  name: 'api-system',
  version: '1.0.0',
  register(server) {
    server.route({
      method: 'GET',
      path: '/health',
      handler(_request, h) {
        const report = server.seerflow.health.report();
        return h.response(report).code(report.status === 'ok' ? 200 : 503);
      },
    });
    server.route({
      method: 'GET',
      path: '/stats',
      handler: () => statsSnapshot(server.seerflow),
    });
  },
};
