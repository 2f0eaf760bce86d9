/**
 * The JSON-schema subset our model outputs are written in, and a validator for it. The same
 * schema drives the local model's grammar (node-llama-cpp's `createGrammarForJsonSchema`) and
 * the HTTP backend's `response_format`; the validator then checks what came back, because a
 * grammar does not enforce everything (node-llama-cpp lets exponents through `integer`, and an
 * HTTP server may ignore `response_format` altogether). Every object lists all its keys as
 * required and allows no others, as OpenAI's strict mode demands.
 */

export type JsonSchema =
  | { type: 'string'; maxLength?: number; minLength?: number; description?: string }
  | { type: 'number' | 'integer' | 'boolean'; description?: string }
  | { type: readonly ['string', 'null']; maxLength?: number; description?: string }
  | { enum: readonly (string | number | null)[]; description?: string }
  | { type: 'array'; items: JsonSchema; maxItems?: number; minItems?: number; description?: string }
  | ObjectSchema;

export interface ObjectSchema {
  type: 'object';
  properties: Readonly<Record<string, JsonSchema>>;
  required: readonly string[];
  additionalProperties: false;
}

/** An object schema whose every property is required, in order (grammar order = prompt order). */
export function objectSchema(properties: Readonly<Record<string, JsonSchema>>): ObjectSchema {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** Problems of `value` against `schema`, each as `path: message` (path `$` = the whole value). */
export function schemaProblems(schema: JsonSchema, value: unknown, path = '$'): string[] {
  if ('enum' in schema) return schema.enum.includes(value as string | number | null) ? [] : [`${path}: not one of ${JSON.stringify(schema.enum)}`];
  if (Array.isArray(schema.type)) {
    if (value === null) return [];
    return schemaProblems({ ...schema, type: 'string' } as JsonSchema, value, path);
  }
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return [`${path}: expected a string`];
      if (schema.maxLength !== undefined && value.length > schema.maxLength) return [`${path}: longer than ${schema.maxLength}`];
      if (schema.minLength !== undefined && value.length < schema.minLength) return [`${path}: shorter than ${schema.minLength}`];
      return [];
    }
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? [] : [`${path}: expected a number`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean`];
    case 'array': {
      if (!Array.isArray(value)) return [`${path}: expected an array`];
      if (schema.maxItems !== undefined && value.length > schema.maxItems) return [`${path}: more than ${schema.maxItems} items`];
      if (schema.minItems !== undefined && value.length < schema.minItems) return [`${path}: fewer than ${schema.minItems} items`];
      return value.flatMap((item, i) => schemaProblems(schema.items, item, `${path}[${i}]`));
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: expected an object`];
      const record = value as Record<string, unknown>;
      const missing = schema.required.filter((key) => !(key in record)).map((key) => `${path}.${key}: missing`);
      const extra = Object.keys(record).filter((key) => !(key in schema.properties)).map((key) => `${path}.${key}: not allowed`);
      const nested = Object.entries(schema.properties).flatMap(([key, sub]) => (key in record ? schemaProblems(sub, record[key], `${path}.${key}`) : []));
      return [...missing, ...extra, ...nested];
    }
    default:
      return [`${path}: unsupported schema`];
  }
}

/**
 * The JSON value in a model's answer, checked against `schema`: the whole text, or else the
 * first `{…}` in it (servers that ignore `response_format` often wrap JSON in prose or fences).
 * Throws an Error naming the first problems.
 */
export function parseModelJson<T>(schema: JsonSchema, text: string): T {
  const value = parseLenient(text);
  if (value === undefined) throw new Error(`the model did not answer JSON: ${JSON.stringify(text.slice(0, 120))}`);
  const problems = schemaProblems(schema, value);
  if (problems.length > 0) throw new Error(`the model's JSON does not match its schema: ${problems.slice(0, 3).join('; ')}`);
  return value as T;
}

function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start === -1 || end <= start) return undefined;
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
}
