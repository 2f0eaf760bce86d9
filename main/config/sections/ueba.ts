/** The `ueba` section: per-entity behaviour baselines (reference §8). */
import Joi from 'joi';

export const uebaSection = Joi.object({
  enabled: Joi.boolean().default(true),
}).default();

export interface UebaConfig {
  enabled: boolean;
}
