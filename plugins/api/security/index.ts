/**
 * API security for the whole server: the DNS-rebinding Host check on every request
 * (host-check.ts), and per-family rate limits on routes that declare a family (families.ts,
 * rate-limit.ts), keyed by client address (client-address.ts). CORS is a route option the server
 * sets from cors.ts. There is no authentication layer (api-reference "Authentication").
 *
 * Exposes `server.plugins['api-security'].limits` (the limits in force) for the OpenAPI document.
 */
import Boom from '@hapi/boom';
import type { Plugin, Server } from '@hapi/hapi';
import Joi from 'joi';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { clientAddress } from './client-address.js';
import { rateFamilies, type RateFamily } from './families.js';
import { hostPolicy } from './host-check.js';
import { configuredRateSpecs, RateLimits, type RateSpec } from './rate-limit.js';

export interface ApiSecurityOptions {
  config: SeerflowConfig;
}

export interface ApiSecurityState {
  /** The limit of each family, or null when `api_rate_limit_enabled` is false. */
  limits: Record<RateFamily, RateSpec> | null;
}

declare module '@hapi/hapi' {
  interface PluginProperties {
    'api-security': ApiSecurityState;
  }
}

const optionsSchema = Joi.object({ config: Joi.object().required() }).required();

/** A route naming an unknown family is a developer mistake: refuse to start, naming the route. */
function assertRouteFamilies(server: Server): void {
  for (const route of server.table()) {
    const family = route.settings.plugins?.rateLimit as string | undefined;
    if (family !== undefined && !(rateFamilies as readonly string[]).includes(family)) {
      throw new Error(
        `Invalid rateLimit '${family}' on route ${route.method.toUpperCase()} ${route.path}: use one of ${rateFamilies.join(', ')}`,
      );
    }
  }
}

export const apiSecurityPlugin: Plugin<ApiSecurityOptions> = {
  name: 'api-security',
  version: '1.0.0',
  register(server, options) {
    Joi.assert(options, optionsSchema, 'Invalid "api-security" options');
    const { config } = options;

    // Host check: before routing, so unknown paths and the dashboard are covered too.
    const hosts = hostPolicy(config);
    server.ext('onRequest', (request, h) => {
      const host = request.headers.host as string | undefined;
      if (hosts.allows(host)) return h.continue;
      throw new Boom.Boom(
        `Host '${host}' is not served here (DNS-rebinding guard); add the name to api_allowed_hosts to allow it`,
        { statusCode: 421 },
      );
    });

    if (!config.api_rate_limit_enabled) {
      server.expose('limits', null);
      server.seerflow.health.disabled('rate_limit');
      return;
    }

    const specs = configuredRateSpecs(config, 'Invalid "api-security" options');
    const limits = new RateLimits({
      specs,
      redisUrl: config.api_rate_limit_redis_url,
      onStoreChange(event) {
        if (event.state === 'up') server.logger.info('rate limits: counters shared through redis');
        else server.logger.warn({ err: event.detail }, 'rate limits: redis unreachable; counting per instance');
      },
    });
    server.expose('limits', specs);
    server.seerflow.health.register('rate_limit', () => limits.health());
    server.ext('onPreStart', async () => {
      assertRouteFamilies(server);
      await limits.connect();
    });
    server.ext('onPostStop', () => limits.close());

    server.ext('onPreAuth', async (request, h) => {
      const family = request.route.settings.plugins?.rateLimit;
      if (!family) return h.continue;
      const forwardedFor = request.headers['x-forwarded-for'] as string | undefined;
      const key = clientAddress(request.info.remoteAddress, forwardedFor, config.api_trust_proxy_headers);
      const decision = await limits.consume(family, key);
      if (decision.allowed) return h.continue;
      const boom = Boom.tooManyRequests(decision.message);
      boom.output.headers['Retry-After'] = String(decision.retryAfterS);
      throw boom;
    });
  },
};
