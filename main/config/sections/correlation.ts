/**
 * Correlation: the risk register, kill chain and entity-graph keys that the original kept in
 * `detection`, and the `correlation` section (per-entity windows).
 */
import Joi from 'joi';

export const correlationDetectionKeys = {};

export type CorrelationDetectionConfig = object;

export const correlationSection = Joi.object({
  enabled: Joi.boolean().default(true),
}).default();

export interface CorrelationConfig {
  enabled: boolean;
}
