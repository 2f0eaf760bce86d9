/**
 * OpenAPI 3.0 Schema Objects from joi 18 schema descriptions (`schema.describe()`), for the
 * subset the API's routes use: strings (length, pattern, enum, uuid/date-time/email/uri formats),
 * numbers (integer, inclusive and exclusive bounds), booleans, dates, arrays, objects (keys,
 * required, unknown keys, pattern keys), alternatives and `any`. Defaults, descriptions and
 * `allow(null)` (as `nullable`) are carried over.
 *
 * Leaves out what OpenAPI 3.0 cannot say or the routes do not use: custom rules (`custom()`
 * validators show as their base type), references, conditional `when` branches beyond a plain
 * `anyOf`, and regex flags (a pattern keeps its source only).
 */

/** A JSON object as an OpenAPI Schema Object. */
export type OpenApiSchema = Record<string, unknown>;

/** The part of joi's `describe()` output this mapper reads. */
export interface JoiDescription {
  type: string;
  flags?: {
    presence?: 'required' | 'optional' | 'forbidden';
    only?: boolean;
    default?: unknown;
    description?: string;
    unknown?: boolean;
  };
  allow?: unknown[];
  rules?: Array<{ name: string; args?: Record<string, unknown> }>;
  keys?: Record<string, JoiDescription>;
  items?: JoiDescription[];
  matches?: Array<{ schema?: JoiDescription; then?: JoiDescription; otherwise?: JoiDescription }>;
  patterns?: Array<{ rule?: JoiDescription }>;
  examples?: unknown[];
}

const STRING_FORMATS: Record<string, string> = {
  guid: 'uuid',
  uuid: 'uuid',
  isoDate: 'date-time',
  email: 'email',
  uri: 'uri',
  hostname: 'hostname',
};

/** Whether a key described so must be present. */
export function isRequired(description: JoiDescription): boolean {
  return description.flags?.presence === 'required';
}

/** A numeric rule argument, or undefined when it is a reference or absent. */
function limitOf(rule: { args?: Record<string, unknown> }): number | undefined {
  const limit = rule.args?.limit;
  return typeof limit === 'number' ? limit : undefined;
}

/** joi prints a regex as `/source/flags`. */
function regexSource(printed: unknown): string | undefined {
  if (typeof printed !== 'string') return undefined;
  const match = /^\/(.*)\/[a-z]*$/s.exec(printed);
  return match ? match[1] : printed;
}

function stringRules(schema: OpenApiSchema, description: JoiDescription): void {
  for (const rule of description.rules ?? []) {
    const limit = limitOf(rule);
    if (rule.name === 'min' && limit !== undefined) schema.minLength = limit;
    else if (rule.name === 'max' && limit !== undefined) schema.maxLength = limit;
    else if (rule.name === 'length' && limit !== undefined) schema.minLength = schema.maxLength = limit;
    else if (rule.name === 'pattern' && regexSource(rule.args?.regex)) schema.pattern = regexSource(rule.args?.regex);
    else if (STRING_FORMATS[rule.name]) schema.format = STRING_FORMATS[rule.name];
  }
}

function numberRules(schema: OpenApiSchema, description: JoiDescription): void {
  for (const rule of description.rules ?? []) {
    const limit = limitOf(rule);
    if (rule.name === 'integer') schema.type = 'integer';
    else if (limit === undefined) continue;
    else if (rule.name === 'min') schema.minimum = limit;
    else if (rule.name === 'max') schema.maximum = limit;
    else if (rule.name === 'greater') Object.assign(schema, { minimum: limit, exclusiveMinimum: true });
    else if (rule.name === 'less') Object.assign(schema, { maximum: limit, exclusiveMaximum: true });
  }
}

function arrayRules(schema: OpenApiSchema, description: JoiDescription): void {
  const items = (description.items ?? []).map(schemaFromJoi);
  schema.items = items.length === 1 ? items[0] : items.length > 1 ? { anyOf: items } : {};
  for (const rule of description.rules ?? []) {
    const limit = limitOf(rule);
    if (rule.name === 'min' && limit !== undefined) schema.minItems = limit;
    else if (rule.name === 'max' && limit !== undefined) schema.maxItems = limit;
    else if (rule.name === 'length' && limit !== undefined) schema.minItems = schema.maxItems = limit;
    else if (rule.name === 'unique') schema.uniqueItems = true;
  }
}

function objectRules(schema: OpenApiSchema, description: JoiDescription): void {
  if (description.keys) {
    const properties: Record<string, OpenApiSchema> = {};
    const required: string[] = [];
    for (const [key, child] of Object.entries(description.keys)) {
      if (child.flags?.presence === 'forbidden') continue;
      properties[key] = schemaFromJoi(child);
      if (isRequired(child)) required.push(key);
    }
    schema.properties = properties;
    if (required.length > 0) schema.required = required;
  }
  const pattern = description.patterns?.[0]?.rule;
  if (pattern) schema.additionalProperties = schemaFromJoi(pattern);
  else if (description.keys && !description.flags?.unknown) schema.additionalProperties = false;
}

/** The OpenAPI 3.0 Schema Object for one joi description. */
export function schemaFromJoi(description: JoiDescription): OpenApiSchema {
  const schema: OpenApiSchema = {};
  switch (description.type) {
    case 'string':
      schema.type = 'string';
      stringRules(schema, description);
      break;
    case 'number':
      schema.type = 'number';
      numberRules(schema, description);
      break;
    case 'boolean':
      schema.type = 'boolean';
      break;
    case 'date':
      Object.assign(schema, { type: 'string', format: 'date-time' });
      break;
    case 'binary':
      Object.assign(schema, { type: 'string', format: 'binary' });
      break;
    case 'array':
      schema.type = 'array';
      arrayRules(schema, description);
      break;
    case 'object':
      schema.type = 'object';
      objectRules(schema, description);
      break;
    case 'alternatives': {
      const options = (description.matches ?? [])
        .flatMap((match) => [match.schema, match.then, match.otherwise])
        .filter((option): option is JoiDescription => option !== undefined);
      schema.anyOf = options.map(schemaFromJoi);
      break;
    }
    default: // any, link, symbol, function: no constraint OpenAPI can state
      break;
  }

  const allowed = description.allow ?? [];
  if (allowed.includes(null)) schema.nullable = true;
  if (description.flags?.only) schema.enum = allowed.filter((value) => value !== null);
  const fallback = description.flags?.default;
  // Function defaults are computed per request, and object ones may be joi references: not stated.
  const isPlainDefault =
    fallback !== undefined && typeof fallback !== 'function' && (typeof fallback !== 'object' || Array.isArray(fallback));
  if (isPlainDefault) schema.default = fallback;
  if (description.flags?.description) schema.description = description.flags.description;
  if (description.examples?.length) schema.example = description.examples[0];
  return schema;
}
