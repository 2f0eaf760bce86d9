/** Joi value types shared by the schema and its sections. */
import Joi from 'joi';

/** 0 asks the OS for any free port (useful for tests and side-by-side instances). */
export const port = Joi.number().integer().min(0).max(65535);

/** Redacted by `redactConfig` wherever the config is shown or logged. */
export const secret = () => Joi.string().allow('', null).meta({ secret: true });
