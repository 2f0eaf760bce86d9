/**
 * `GET /anomaly/timeline`: bucketed event and alert counts with ML scores over a relative window
 * (scores from the `ml` detector's live summary when it is registered, see `timeline.ts`).
 */
import type { Plugin } from '@hapi/hapi';
import Joi from 'joi';
import '../security/families.js';
import { anomalyTimeline } from './timeline.js';
import { gridFor, windowQuery, type WindowQuery } from './windows.js';

interface TimelineQuery extends WindowQuery {
  source?: string;
}

export const anomalyApiPlugin: Plugin<void> = {
  name: 'api-anomaly',
  version: '1.0.0',
  register(server) {
    const { events, clock, alertStore: alerts } = server.seerflow;

    server.route({
      method: 'GET',
      path: '/anomaly/timeline',
      options: {
        plugins: { rateLimit: 'list' },
        validate: {
          query: Joi.object({
            ...windowQuery,
            source: Joi.string().pattern(/^[A-Za-z0-9_.-]{1,64}$/),
          }),
        },
      },
      async handler(request) {
        const query = request.query as unknown as TimelineQuery;
        const summary = server.plugins['detector-ml']?.scores;
        const { items, scoresTruncated } = await anomalyTimeline(events, alerts, gridFor(query, clock()), query.source, summary);
        return {
          meta: {
            range: query.range,
            resolution: query.resolution,
            source: query.source ?? null,
            // Counts are exact (grouped in SQL); only the score series reads a bounded sample.
            alert_count_truncated: false,
            score_samples_truncated: scoresTruncated,
          },
          items,
        };
      },
    });
  },
};
