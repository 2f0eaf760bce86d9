/** `GET /events`: the contract's paginated event search, newest first. */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import { eventToJson } from '../../../main/core/event-json.js';
import '../security/families.js';
import { isoNs, pageEnvelope, pagination, type PageQuery } from '../params.js';

interface EventsQuery extends PageQuery {
  since?: bigint;
  until?: bigint;
  source?: string;
  severity?: number;
  template_id?: number;
  entity?: string;
  q?: string;
}

export const eventsApiPlugin: Plugin<void> = {
  name: 'api-events',
  version: '1.0.0',
  register(server) {
    server.route({
      method: 'GET',
      path: '/events',
      options: {
        plugins: { rateLimit: 'list' },
        validate: {
          query: Joi.object({
            since: isoNs,
            until: isoNs,
            source: Joi.string().max(1024),
            severity: Joi.number().integer().min(0).max(6),
            template_id: Joi.number().integer().min(-1),
            entity: Joi.string().max(1024),
            q: Joi.string().max(256),
            ...pagination,
          }),
        },
      },
      async handler(request) {
        const query = request.query as unknown as EventsQuery;
        const page = await server.seerflow.events.query({
          sinceNs: query.since,
          untilNs: query.until,
          source: query.source,
          severityMin: query.severity,
          templateId: query.template_id,
          entity: query.entity,
          q: query.q,
          page: query.page,
          limit: query.limit,
        });
        return pageEnvelope(page.items.map(eventToJson), page.total, query, page.totalCapped);
      },
    });
  },
};
