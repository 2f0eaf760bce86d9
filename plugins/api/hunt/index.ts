/**
 * `POST /hunt`: natural-language threat hunt (the `llm` plugin's `Hunts`). The query is checked
 * first: 400 when empty or longer than `llm.hunt_max_query_chars` (the contract says 400 for
 * this route, not 422). A question naming an entity is answered without the model; otherwise
 * 503 when the LLM is not ready, 502 when it fails or times out.
 */
import Boom from '@hapi/boom';
import type { Plugin, PluginProperties } from '@hapi/hapi';
import Joi, { type ValidationError } from 'joi';
import { answerLlm } from '../../llm/http-errors.js';
import { notReady } from '../not-ready.js';
import '../security/families.js';

export const huntApiPlugin: Plugin<void> = {
  name: 'api-hunt',
  version: '1.0.0',
  register(server) {
    const maxChars = server.seerflow.config.llm.hunt_max_query_chars;
    server.route({
      method: 'POST',
      path: '/hunt',
      options: {
        plugins: { rateLimit: 'detail' },
        validate: {
          payload: Joi.object({ query: Joi.string().trim().min(1).max(maxChars).required() }).required(),
          failAction(_request, _h, error) {
            const details = (error as ValidationError | undefined)?.details ?? [];
            const fields = details.map((d) => ({ field: d.path.join('.'), message: d.message }));
            const boom = Boom.badRequest(fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'invalid hunt query');
            (boom.output.payload as unknown as Record<string, unknown>).details = fields;
            throw boom;
          },
        },
      },
      handler(request) {
        const hunts = (server.plugins as Partial<PluginProperties>).llm?.hunts;
        if (!hunts) throw notReady('llm', 'disabled');
        return answerLlm(() => hunts.hunt((request.payload as { query: string }).query));
      },
    });
  },
};
