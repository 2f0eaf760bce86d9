/**
 * The contract's entity routes: search, cross-source timeline with related entities, risk
 * history from stored alerts, and the UEBA baseline from the `ueba` detector (503 when disabled).
 */
import Boom from '@hapi/boom';
import type { Plugin, PluginProperties, Request } from '@hapi/hapi';
import type { EntityType } from '../../../main/core/event.js';
import { gridFor } from '../anomaly/windows.js';
import { notReady } from '../not-ready.js';
import '../security/families.js';
import { answerBaseline } from './baseline.js';
import { entityParams, riskQuery, searchQuery, timelineQuery, type RiskQuery, type TimelineQuery } from './schemas.js';
import { entityTimeline, entityToJson, riskHistory } from './views.js';

/** Search answers these types only (the contract: "IP, user, host, and domain"). */
const SEARCH_TYPES: readonly EntityType[] = ['ip', 'user', 'host', 'domain'];
const SEARCH_LIMIT = 100;

export const entitiesApiPlugin: Plugin<void> = {
  name: 'api-entities',
  version: '1.0.0',
  register(server) {
    const { events, entities, clock, alertStore: alerts } = server.seerflow;
    const existing = async (request: Request) => {
      const entity = await entities.get(request.params.entity_uuid as string);
      if (!entity) throw Boom.notFound('unknown entity');
      return entity;
    };

    server.route([
      {
        method: 'GET',
        path: '/entities/search',
        options: { plugins: { rateLimit: 'list' }, validate: { query: searchQuery } },
        async handler(request) {
          const found = await entities.search(request.query.q as string, { types: SEARCH_TYPES, limit: SEARCH_LIMIT });
          return found.map(entityToJson);
        },
      },
      {
        method: 'GET',
        path: '/entities/{entity_uuid}/timeline',
        options: { plugins: { rateLimit: 'detail' }, validate: { params: entityParams, query: timelineQuery(clock) } },
        async handler(request) {
          const entity = await existing(request);
          return entityTimeline(entity, request.query as unknown as TimelineQuery, { events, entities });
        },
      },
      {
        method: 'GET',
        path: '/entities/{entity_uuid}/risk-history',
        options: { plugins: { rateLimit: 'list' }, validate: { params: entityParams, query: riskQuery } },
        async handler(request) {
          const query = request.query as unknown as RiskQuery;
          const entityId = request.params.entity_uuid as string;
          const items = await riskHistory(alerts, entityId, gridFor(query, clock()));
          return {
            entity_uuid: entityId,
            // Aggregated in SQL over every alert of the window: never truncated.
            meta: { range: query.range, resolution: query.resolution, alert_count_truncated: false },
            items,
          };
        },
      },
      {
        method: 'GET',
        path: '/entities/{entity_uuid}/baseline',
        options: { plugins: { rateLimit: 'list' }, validate: { params: entityParams } },
        async handler(request) {
          await existing(request);
          const ueba = (server.plugins as Partial<PluginProperties>)['detector-ueba'];
          if (!ueba) throw notReady('ueba', 'disabled');
          return answerBaseline(ueba.baselines.lookup(request.params.entity_uuid as string));
        },
      },
    ]);
  },
};
