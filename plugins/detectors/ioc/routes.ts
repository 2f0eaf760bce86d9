/**
 * `/intel` routes (under the API prefix), for `seerflow intel list|refresh` and the dashboard:
 * - `GET /intel/feeds`: every feed's status and counters;
 * - `POST /intel/refresh`: poll every enabled feed now, answer once done;
 * - `POST /intel/feeds/{id}/refresh`: poll one feed now (404 for an unknown id).
 * A feed's failure is part of its status (200), not an HTTP error: the request itself worked.
 */
import Boom from '@hapi/boom';
import type { ServerRoute } from '@hapi/hapi';
import Joi from 'joi';
import '../../api/security/families.js';
import { UnknownFeedError, type IntelService } from './intel-service.js';

const feedParams = Joi.object({ id: Joi.string().pattern(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/).required() });

export function intelRoutes(service: IntelService): ServerRoute[] {
  return [
    {
      method: 'GET',
      path: '/intel/feeds',
      options: { plugins: { rateLimit: 'list' } },
      handler: () => ({ feeds: service.feeds() }),
    },
    {
      method: 'POST',
      path: '/intel/refresh',
      options: { plugins: { rateLimit: 'coverage' } },
      handler: async () => ({ feeds: await service.refresh() }),
    },
    {
      method: 'POST',
      path: '/intel/feeds/{id}/refresh',
      options: { plugins: { rateLimit: 'coverage' }, validate: { params: feedParams } },
      async handler(request) {
        try {
          return { feeds: await service.refresh(request.params.id as string) };
        } catch (error) {
          if (error instanceof UnknownFeedError) throw Boom.notFound(error.message);
          throw error;
        }
      },
    },
  ];
}
