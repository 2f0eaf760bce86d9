/**
 * `POST /hunt`: natural-language threat hunt. The query is checked first (400 when empty or over
 * budget, as the contract says for this route, not 422); the LLM that would translate it does not
 * exist yet (issue 7), so a valid query answers 503 `llm_not_ready`.
 */
import Boom from '@hapi/boom';
import type { Plugin } from '@hapi/hapi';
import Joi, { type ValidationError } from 'joi';
import { notReady } from '../not-ready.js';
import '../security/families.js';

/** Characters in a hunt query (the original's `llm.hunt_max_query_chars`; no such key here yet). */
const MAX_QUERY_CHARS = 2000;

export const huntApiPlugin: Plugin<void> = {
  name: 'api-hunt',
  version: '1.0.0',
  register(server) {
    server.route({
      method: 'POST',
      path: '/hunt',
      options: {
        plugins: { rateLimit: 'detail' },
        validate: {
          payload: Joi.object({ query: Joi.string().trim().min(1).max(MAX_QUERY_CHARS).required() }).required(),
          failAction(_request, _h, error) {
            const details = (error as ValidationError | undefined)?.details ?? [];
            const fields = details.map((d) => ({ field: d.path.join('.'), message: d.message }));
            const boom = Boom.badRequest(fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'invalid hunt query');
            (boom.output.payload as unknown as Record<string, unknown>).details = fields;
            throw boom;
          },
        },
      },
      handler() {
        throw notReady('llm', 'disabled');
      },
    });
  },
};
