/** Request schemas of the alert routes (reference §11.2, the contract's "Alerts"). */
import Joi from 'joi';
import { ALERT_TYPES, type AlertType, type Verdict } from '../../../main/core/alert.js';
import type { FeedbackOrigin } from '../../../main/storage/alerts-repository.js';
import { isoNs, pagination, tacticFilter, techniqueFilter, type PageQuery } from '../params.js';

// C0, DEL and C1 controls: a note is shown in terminals and tables.
const CONTROL = /\p{Cc}/gu;

export const alertIdParams = Joi.object({ alert_id: Joi.string().min(1).max(64).required() });

export interface AlertListQuery extends PageQuery {
  since?: bigint;
  until?: bigint;
  type?: AlertType;
  severity?: number;
  entity?: string;
  tactic?: string;
  technique?: string;
}

export const alertListQuery = Joi.object({
  since: isoNs,
  until: isoNs,
  type: Joi.string().valid(...ALERT_TYPES),
  severity: Joi.number().integer().min(0).max(6),
  entity: Joi.string().max(1024),
  tactic: tacticFilter,
  technique: techniqueFilter,
  ...pagination,
});

export interface FeedbackPayload {
  feedback: Verdict;
  note: string;
  origin: FeedbackOrigin;
}

export const feedbackPayload = Joi.object({
  feedback: Joi.string().valid('tp', 'fp').required(),
  note: Joi.string()
    .allow('')
    .max(512)
    .default('')
    .custom((value: string) => value.replace(CONTROL, '')),
  origin: Joi.string().valid('dashboard', 'cli', 'api', 'console').default('api'),
}).required();

export const feedbackListQuery = Joi.object({
  page: pagination.page,
  limit: Joi.number().integer().min(1).max(200).default(50),
});
