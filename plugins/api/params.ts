/** Query-parameter schemas shared by the API areas (time windows, pagination). */
import Joi from 'joi';
import { normalizeTactic, normalizeTechnique } from '../../main/core/attack.js';
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

/**
 * An ATT&CK tactic filter in any spelling (`credential-access`, `Credential Access`, `TA0006`) →
 * the stored canonical name; unknown tactics are kept (lowercased), so they can be filtered too.
 */
export const tacticFilter = Joi.string()
  .max(64)
  .pattern(/^[A-Za-z0-9_.\- ]+$/)
  .custom((value: string) => normalizeTactic(value).name);

/** An ATT&CK technique id in any case (`t1110.001`) → `T1110.001`; matched as a prefix. */
export const techniqueFilter = Joi.string()
  .max(16)
  .pattern(/^T\d{4}(\.\d{3})?$/i)
  .custom((value: string) => normalizeTechnique(value).id);
