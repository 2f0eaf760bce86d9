/** The ML ensemble's keys, which live in the `detection` section as in the original (reference §14.2). */
import Joi from 'joi';

export const mlDetectionKeys = {
  ml_enabled: Joi.boolean().default(true),
};

export interface MlDetectionConfig {
  ml_enabled: boolean;
}
