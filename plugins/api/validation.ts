/**
 * The contract's validation failure: 422 naming each offending field (hapi's default is a 400
 * that hides the detail). Used as the server-wide `failAction` for params, query and payload.
 */
import Boom from '@hapi/boom';
import type { Lifecycle, Request, ResponseToolkit } from '@hapi/hapi';
import type { ValidationError } from 'joi';

export const validationFailAction: Lifecycle.Method = (_request: Request, _h: ResponseToolkit, error?: Error) => {
  const details = (error as ValidationError | undefined)?.details ?? [];
  const fields = details.map((d) => ({ field: d.path.join('.'), message: d.message }));
  const summary = fields.map((f) => `${f.field}: ${f.message}`).join('; ') || 'invalid request';
  const boom = Boom.badData(summary);
  (boom.output.payload as unknown as Record<string, unknown>).details = fields;
  throw boom;
};
