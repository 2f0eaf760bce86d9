/** The `alerting` section: deduplication, routing and outbound sinks (reference §10.3, §13). */
import Joi from 'joi';

export const alertingSection = Joi.object({
  /** Same dedup key within this window = one alert, counted (reference §10.3). */
  dedup_window_seconds: Joi.number().integer().min(1).max(30 * 86_400).default(900),
  dedup_window_overrides: Joi.object().pattern(Joi.string(), Joi.number().integer().min(1)).default({}),
}).default();

export interface AlertingConfig {
  dedup_window_seconds: number;
  dedup_window_overrides: Record<string, number>;
}
