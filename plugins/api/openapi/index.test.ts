import Hapi from '@hapi/hapi';
import Joi from 'joi';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../main/config/load.js';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { systemClockNs } from '../../../main/core/clock.js';
import { openRuntime, type Runtime } from '../../../main/runtime.js';
import { eventsApiPlugin } from '../events/index.js';
import { apiSecurityPlugin } from '../security/index.js';
import type { OpenApiDocument } from './document.js';
import { openapiPlugin } from './index.js';

const runtimes: Runtime[] = [];
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((runtime) => runtime.close()));
});

/** Routes in the shape other API areas declare them. */
const sampleApiPlugin: Hapi.Plugin<void> = {
  name: 'sample-api',
  register(server) {
    server.route({
      method: 'PATCH',
      path: '/sigma/rules/{rule_id}',
      options: {
        description: 'Enable or disable a rule',
        plugins: { rateLimit: 'list' },
        validate: {
          params: Joi.object({ rule_id: Joi.string().max(36) }),
          payload: Joi.object({ enabled: Joi.boolean().required() }).required(),
        },
        response: { schema: Joi.object({ rule_id: Joi.string(), enabled: Joi.boolean() }) },
      },
      handler: () => null,
    });
    server.route({ method: 'DELETE', path: '/sigma/rule-suggestions/{pattern_key}', handler: () => null });
    server.route({ method: 'GET', path: '/health', handler: () => null });
  },
};

async function documentedServer(overrides: Partial<SeerflowConfig> = {}): Promise<Hapi.Server> {
  const config = validateConfig({ storage: { sqlite_path: ':memory:' }, ...overrides }, {});
  const logger = pino({ level: 'silent' });
  const server = Hapi.server({ host: config.health_bind_address });
  server.validator(Joi);
  const runtime = await openRuntime(config, systemClockNs, logger);
  runtimes.push(runtime);
  server.decorate('server', 'seerflow', runtime);
  server.decorate('server', 'logger', logger);
  await server.register({ plugin: apiSecurityPlugin, options: { config } });
  await server.register([eventsApiPlugin, sampleApiPlugin, openapiPlugin], { routes: { prefix: '/api/v1' } });
  // Outside the API prefix: the stream and the dashboard's catch-all.
  server.route({ method: 'GET', path: '/api/v1/ws', handler: () => null });
  server.route({ method: 'GET', path: '/{path*}', handler: () => null });
  return server;
}

async function openapi(server: Hapi.Server): Promise<OpenApiDocument> {
  const response = await server.inject('/api/v1/openapi.json');
  expect(response.statusCode).toBe(200);
  return JSON.parse(response.payload) as OpenApiDocument;
}

describe('GET /openapi.json', () => {
  it('documents the API routes, and only those', async () => {
    const document = await openapi(await documentedServer());
    expect(document.openapi).toBe('3.0.3');
    expect(document.info).toEqual({ title: 'Seerflow API', version: 'v1' });
    expect(Object.keys(document.paths)).toEqual([
      '/api/v1/events',
      '/api/v1/health',
      '/api/v1/openapi.json',
      '/api/v1/sigma/rule-suggestions/{pattern_key}',
      '/api/v1/sigma/rules/{rule_id}',
    ]);
    expect(document.tags).toEqual([{ name: 'events' }, { name: 'health' }, { name: 'openapi' }, { name: 'sigma' }]);
  });

  it('states the events query parameters with their types and bounds, and the list rate limit', async () => {
    const document = await openapi(await documentedServer({ api_list_rate_limit: '30/minute' }));
    const events = document.paths['/api/v1/events']!.get!;
    expect(events).toMatchObject({ operationId: 'get_events', tags: ['events'], 'x-rate-limit': { family: 'list', limit: '30/minute' } });
    const parameters = events.parameters as Array<{ name: string; in: string; required: boolean; schema: object }>;
    expect(parameters.map((p) => p.name)).toEqual(['since', 'until', 'source', 'severity', 'template_id', 'entity', 'q', 'page', 'limit']);
    expect(parameters.every((p) => p.in === 'query' && !p.required)).toBe(true);
    expect(parameters.find((p) => p.name === 'severity')!.schema).toEqual({ type: 'integer', minimum: 0, maximum: 6 });
    expect(parameters.find((p) => p.name === 'limit')!.schema).toEqual({ type: 'integer', minimum: 1, maximum: 1000, default: 50 });
    expect(Object.keys(events.responses as object).sort()).toEqual(['422', '429', 'default']);
    expect((events.responses as Record<string, { description: string }>)['429']!.description).toBe(
      'Rate limit exceeded (30 per 1 minute per client)',
    );
  });

  it('states path parameters, the request body and the response schema', async () => {
    const document = await openapi(await documentedServer());
    expect(document.paths['/api/v1/sigma/rules/{rule_id}']!.patch).toEqual({
      operationId: 'patch_sigma_rules_rule_id',
      tags: ['sigma'],
      summary: 'Enable or disable a rule',
      parameters: [{ name: 'rule_id', in: 'path', required: true, schema: { type: 'string', maxLength: 36 } }],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', properties: { enabled: { type: 'boolean' } }, required: ['enabled'], additionalProperties: false },
          },
        },
      },
      responses: {
        '200': {
          description: 'Success',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { rule_id: { type: 'string' }, enabled: { type: 'boolean' } },
                additionalProperties: false,
              },
            },
          },
        },
        '422': expect.objectContaining({ description: 'Validation failure, naming each field' }),
        '429': expect.objectContaining({ headers: { 'Retry-After': expect.any(Object) } }),
      },
      'x-rate-limit': { family: 'list', limit: '60/minute' },
    });
    // Unvalidated path parameters are still declared; unlimited routes carry no x-rate-limit.
    expect(document.paths['/api/v1/sigma/rule-suggestions/{pattern_key}']!.delete).toEqual({
      operationId: 'delete_sigma_rule_suggestions_pattern_key',
      tags: ['sigma'],
      parameters: [{ name: 'pattern_key', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { default: { description: 'The result; errors are `{ statusCode, error, message }`' } },
    });
  });

  it('states no limit when rate limiting is off, and follows routes added later', async () => {
    const server = await documentedServer({ api_rate_limit_enabled: false });
    expect((await openapi(server)).paths['/api/v1/events']!.get!['x-rate-limit']).toEqual({ family: 'list', limit: null });
    await server.register({ plugin: { name: 'late', register: (s) => s.route({ method: 'GET', path: '/late', handler: () => null }) } }, {
      routes: { prefix: '/api/v1' },
    });
    expect(Object.keys((await openapi(server)).paths)).toContain('/api/v1/late');
  });
});
