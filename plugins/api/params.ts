/** Query-parameter schemas shared by the API areas (time windows, pagination). */
import Joi from 'joi';
import { parseIsoNs } from '../../main/core/time.js';

/** An ISO-8601 timestamp, converted to exact nanoseconds (bigint). */
export const isoNs = Joi.string()
  .max(64)
  .custom((value: string, helpers) => parseIsoNs(value) ?? helpers.error('date.format', { format: 'ISO-8601' }))
  .messages({ 'date.format': '{{#label}} must be an ISO-8601 timestamp' });

export const pagination = {
  page: Joi.number().integer().min(1).max(1_000_000).default(1),
  limit: Joi.number().integer().min(1).max(1000).default(50),
};

export interface PageQuery {
  page: number;
  limit: number;
}

/**
 * The contract's pagination envelope. `totalCapped`: the total was counted only up to a cap
 * (large event searches); `meta.total_capped: true` then says "at least `total`".
 */
export function pageEnvelope<T>(items: T[], total: number, query: PageQuery, totalCapped = false) {
  const meta = { total, page: query.page, limit: query.limit };
  return { items, meta: totalCapped ? { ...meta, total_capped: true } : meta };
}
