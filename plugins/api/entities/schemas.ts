/**
 * Request schemas of the entity routes (reference §11.2). Timeline bounds are ns since the
 * epoch as decimal digits (0..2^63−1); the window defaults to the 24 hours ending now.
 */
import Joi from 'joi';
import type { ClockNs } from '../../../main/core/clock.js';
import { windowQuery, type WindowQuery } from '../anomaly/windows.js';

const DAY_NS = 86_400_000_000_000n;
const MAX_NS = 2n ** 63n - 1n;

const ns = Joi.string()
  .pattern(/^\d{1,19}$/)
  .custom((value: string, helpers) => (BigInt(value) <= MAX_NS ? BigInt(value) : helpers.error('number.max', { limit: MAX_NS })))
  .messages({ 'string.pattern.base': '{{#label}} must be nanoseconds since the epoch (decimal digits)' });

export const entityParams = Joi.object({
  entity_uuid: Joi.string()
    .pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i)
    .lowercase()
    .required()
    .messages({ 'string.pattern.base': '{{#label}} must be a UUID' }),
});

export const searchQuery = Joi.object({ q: Joi.string().trim().min(1).max(256).required() });

export interface TimelineQuery {
  start_ns: bigint;
  end_ns: bigint;
  source_type?: string;
  severity_min?: number;
  limit: number;
}

/** `end_ns` comes first so that `start_ns` can default to, and be checked against, it. */
export function timelineQuery(clock: ClockNs): Joi.ObjectSchema {
  return Joi.object({
    end_ns: ns.default(() => clock()),
    start_ns: ns
      .default((parent: { end_ns: bigint }) => (parent.end_ns > DAY_NS ? parent.end_ns - DAY_NS : 0n))
      .custom((value: bigint, helpers) =>
        value <= (helpers.state.ancestors[0] as { end_ns: bigint }).end_ns ? value : helpers.error('any.invalid'),
      )
      .messages({ 'any.invalid': '{{#label}} must not be after end_ns' }),
    source_type: Joi.string().max(64),
    severity_min: Joi.number().integer().min(0).max(6),
    limit: Joi.number().integer().min(1).max(10_000).default(1000),
  });
}

export type RiskQuery = WindowQuery;
export const riskQuery = Joi.object(windowQuery);
