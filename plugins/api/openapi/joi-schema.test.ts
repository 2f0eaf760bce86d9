import Joi from 'joi';
import { describe, expect, it } from 'vitest';
import { isoNs } from '../params.js';
import { isRequired, schemaFromJoi, type JoiDescription } from './joi-schema.js';

const map = (schema: Joi.Schema) => schemaFromJoi(schema.describe() as JoiDescription);

describe('schemaFromJoi', () => {
  it('maps strings with bounds, patterns, enums and formats', () => {
    expect(map(Joi.string().min(1).max(256))).toEqual({ type: 'string', minLength: 1, maxLength: 256 });
    expect(map(Joi.string().length(3))).toEqual({ type: 'string', minLength: 3, maxLength: 3 });
    expect(map(Joi.string().pattern(/^T\d{4}(\.\d{3})?$/i).max(16))).toEqual({
      type: 'string',
      pattern: '^T\\d{4}(\\.\\d{3})?$',
      maxLength: 16,
    });
    expect(map(Joi.string().valid('ml', 'sigma'))).toEqual({ type: 'string', enum: ['ml', 'sigma'] });
    expect(map(Joi.string().guid())).toEqual({ type: 'string', format: 'uuid' });
    expect(map(Joi.string().isoDate())).toEqual({ type: 'string', format: 'date-time' });
    expect(map(isoNs)).toEqual({ type: 'string', maxLength: 64 }); // a custom rule shows as its base type
  });

  it('maps numbers: integer, inclusive and exclusive bounds, defaults', () => {
    expect(map(Joi.number().integer().min(0).max(6).default(0))).toEqual({ type: 'integer', minimum: 0, maximum: 6, default: 0 });
    expect(map(Joi.number().greater(0).less(1))).toEqual({
      type: 'number',
      minimum: 0,
      exclusiveMinimum: true,
      maximum: 1,
      exclusiveMaximum: true,
    });
    expect(map(Joi.number().min(Joi.ref('floor')))).toEqual({ type: 'number' });
  });

  it('maps arrays, objects, alternatives, nullables and descriptions', () => {
    expect(map(Joi.array().items(Joi.number().integer()).single().max(25))).toEqual({
      type: 'array',
      items: { type: 'integer' },
      maxItems: 25,
    });
    expect(
      map(Joi.object({ yaml: Joi.string().required(), note: Joi.string().allow(null).description('free text'), gone: Joi.forbidden() })),
    ).toEqual({
      type: 'object',
      properties: { yaml: { type: 'string' }, note: { type: 'string', nullable: true, description: 'free text' } },
      required: ['yaml'],
      additionalProperties: false,
    });
    expect(map(Joi.object().pattern(Joi.string(), Joi.number()))).toEqual({ type: 'object', additionalProperties: { type: 'number' } });
    expect(map(Joi.object({ a: Joi.boolean() }).unknown())).toEqual({ type: 'object', properties: { a: { type: 'boolean' } } });
    expect(map(Joi.alternatives(Joi.string(), Joi.number()))).toEqual({ anyOf: [{ type: 'string' }, { type: 'number' }] });
    expect(map(Joi.any().valid(1, 'a', null))).toEqual({ nullable: true, enum: [1, 'a'] });
    expect(map(Joi.date())).toEqual({ type: 'string', format: 'date-time' });
    expect(map(Joi.array().items(Joi.string()).default([]))).toEqual({ type: 'array', items: { type: 'string' }, default: [] });
    expect(map(Joi.string().default(() => 'now'))).toEqual({ type: 'string' });
  });
});

describe('isRequired', () => {
  it('is true only for required presence', () => {
    expect(isRequired(Joi.string().required().describe() as JoiDescription)).toBe(true);
    expect(isRequired(Joi.string().describe() as JoiDescription)).toBe(false);
  });
});
