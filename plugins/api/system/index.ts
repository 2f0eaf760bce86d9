/**
 * System routes: `/health` (component readiness, 503 when one is degraded), `/stats`
 * (pipeline counters and live rates) and `/config` (the running config, every key the schema
 * marks secret masked as `***`).
 */
import type { Plugin } from '@hapi/hapi';
import { redactConfig } from '../../../main/config/redact.js';
import '../security/families.js';
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
      options: { plugins: { rateLimit: 'list' } },
      handler: () => statsSnapshot(server.seerflow, server.plugins),
    });
    server.route({
      method: 'GET',
      path: '/config',
      options: { plugins: { rateLimit: 'list' } },
      handler: () => redactConfig(server.seerflow.config),
    });
  },
};
