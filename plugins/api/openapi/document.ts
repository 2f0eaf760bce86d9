/**
 * The OpenAPI 3.0 document of the API, built from the routes the server actually has (hapi's
 * `server.table()`): paths in `{param}` syntax, parameters from each route's joi `params` and
 * `query` validation, the request body from `payload` validation, a tag per API area (the first
 * path segment after the prefix) and the route's rate-limit family as `x-rate-limit`.
 *
 * Leaves out: routes outside the API prefix's realm (the dashboard catch-all, the stream, which
 * register without it), wildcard paths, and response bodies beyond what a route's joi response
 * schema states. Schema mapping lives in joi-schema.ts.
 */
import Joi from 'joi';
import type { RateFamily } from '../security/families.js';
import type { RateSpec } from '../security/rate-limit.js';
import { isRequired, schemaFromJoi, type JoiDescription, type OpenApiSchema } from './joi-schema.js';

/** What the document needs of a route; index.ts fills it from `server.table()`. */
export interface RouteEntry {
  method: string;
  /** The full path, prefix included, in hapi syntax (`/api/v1/alerts/{alert_id}`). */
  path: string;
  /** The path prefix of the realm the route was registered in. */
  prefix: string | undefined;
  id?: string;
  description?: string;
  notes?: string | string[];
  rateLimit?: RateFamily;
  /** The route's `validate.params` / `query` / `payload` and `response.schema`, as hapi holds them. */
  params?: unknown;
  query?: unknown;
  payload?: unknown;
  response?: unknown;
}

export interface DocumentOptions {
  /** Only routes registered under this prefix are documented. */
  prefix: string;
  title: string;
  version: string;
  /** The limits in force; null when rate limiting is off. */
  limits: Record<RateFamily, RateSpec> | null;
}

type Operation = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: '3.0.3';
  info: { title: string; version: string };
  tags: Array<{ name: string }>;
  paths: Record<string, Record<string, Operation>>;
}

const ERROR_BODY = {
  'application/json': {
    schema: {
      type: 'object',
      properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
    },
  },
};

function describeSchema(value: unknown): JoiDescription | undefined {
  return Joi.isSchema(value) ? ((value as Joi.Schema).describe() as JoiDescription) : undefined;
}

/** `{name}` for every path parameter; wildcards are not documented (see `isDocumented`). */
function openApiPath(path: string): string {
  return path.replace(/\{(\w+)\?\}/g, '{$1}');
}

function isDocumented(route: RouteEntry, prefix: string): boolean {
  return route.prefix === prefix && route.method !== '*' && !route.path.includes('*');
}

function parameters(route: RouteEntry): Operation[] {
  const out: Operation[] = [];
  const params = describeSchema(route.params)?.keys ?? {};
  for (const match of route.path.matchAll(/\{(\w+)\??\}/g)) {
    const name = match[1]!;
    const schema = params[name] ? schemaFromJoi(params[name]) : { type: 'string' };
    out.push({ name, in: 'path', required: true, schema });
  }
  for (const [name, description] of Object.entries(describeSchema(route.query)?.keys ?? {})) {
    if (description.flags?.presence === 'forbidden') continue;
    const schema = schemaFromJoi(description);
    const parameter: Operation = { name, in: 'query', required: isRequired(description), schema };
    if (description.flags?.description) parameter.description = description.flags.description;
    out.push(parameter);
  }
  return out;
}

function responses(route: RouteEntry, options: DocumentOptions): Record<string, Operation> {
  const out: Record<string, Operation> = {};
  const body = describeSchema(route.response);
  out[body ? '200' : 'default'] = body
    ? { description: 'Success', content: { 'application/json': { schema: schemaFromJoi(body) } } }
    : { description: 'The result; errors are `{ statusCode, error, message }`' };
  if ([route.params, route.query, route.payload].some((rule) => Joi.isSchema(rule))) {
    out['422'] = { description: 'Validation failure, naming each field', content: ERROR_BODY };
  }
  if (route.rateLimit) {
    const limit = options.limits?.[route.rateLimit].label;
    out['429'] = {
      description: limit ? `Rate limit exceeded (${limit} per client)` : 'Rate limit exceeded',
      headers: { 'Retry-After': { description: 'Seconds until the window reopens', schema: { type: 'integer' } } },
      content: ERROR_BODY,
    };
  }
  return out;
}

function operation(route: RouteEntry, tag: string, operationId: string, options: DocumentOptions): Operation {
  const op: Operation = { operationId, tags: [tag] };
  if (route.description) op.summary = route.description;
  if (route.notes) op.description = Array.isArray(route.notes) ? route.notes.join('\n\n') : route.notes;
  const params = parameters(route);
  if (params.length > 0) op.parameters = params;
  const payload = describeSchema(route.payload);
  if (payload) {
    const schema: OpenApiSchema = schemaFromJoi(payload);
    op.requestBody = { required: isRequired(payload), content: { 'application/json': { schema } } };
  }
  op.responses = responses(route, options);
  if (route.rateLimit) {
    op['x-rate-limit'] = { family: route.rateLimit, limit: options.limits?.[route.rateLimit].text ?? null };
  }
  return op;
}

/** Build the document; routes outside `options.prefix` are skipped. */
export function buildOpenApiDocument(routes: readonly RouteEntry[], options: DocumentOptions): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  const tags = new Set<string>();
  const ids = new Set<string>();
  const documented = routes
    .filter((route) => isDocumented(route, options.prefix))
    .sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
  for (const route of documented) {
    const local = route.path.slice(options.prefix.length);
    const tag = (local.split('/').find((segment) => segment !== '') ?? 'root').replace(/\.\w+$/, '');
    let operationId = route.id ?? `${route.method}_${local.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '')}`;
    while (ids.has(operationId)) operationId += '_';
    ids.add(operationId);
    tags.add(tag);
    const path = openApiPath(route.path);
    paths[path] = { ...paths[path], [route.method]: operation(route, tag, operationId, options) };
  }
  return {
    openapi: '3.0.3',
    info: { title: options.title, version: options.version },
    tags: [...tags].sort().map((name) => ({ name })),
    paths,
  };
}
