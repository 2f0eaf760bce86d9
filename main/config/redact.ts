/**
 * Redaction for `/config` and logs: every key the schema marks `meta({ secret: true })` is
 * replaced by `"***"` when set. Walking the schema's description keeps the list of secrets in
 * one place.
 */
import type Joi from 'joi';
import { configSchema } from './schema.js';

type Description = Joi.Description & {
  keys?: Record<string, Description>;
  items?: Description[];
  metas?: Array<{ secret?: boolean }>;
};

function redactValue(value: unknown, description: Description | undefined): unknown {
  if (!description) return value;
  if (description.metas?.some((m) => m.secret)) return value === null || value === '' ? value : '***';
  if (Array.isArray(value)) return value.map((item) => redactValue(item, description.items?.[0]));
  if (value && typeof value === 'object' && description.keys) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = redactValue(item, description.keys[key]);
    return out;
  }
  return value;
}

const description = configSchema.describe() as Description;

export function redactConfig<T>(config: T): T {
  return redactValue(config, description) as T;
}
