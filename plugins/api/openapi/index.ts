/**
 * `GET /openapi.json`: the OpenAPI 3.0 document of every route registered under this plugin's
 * prefix (document.ts), with the rate limits the security plugin enforces. Built on first request
 * and rebuilt after any route is added, so it always matches the running server.
 */
import type { Plugin, RequestRoute } from '@hapi/hapi';
import type { ApiSecurityState } from '../security/index.js';
import { buildOpenApiDocument, type OpenApiDocument, type RouteEntry } from './document.js';

const TITLE = 'Seerflow API';
const API_VERSION = 'v1';

function routeEntry(route: RequestRoute): RouteEntry {
  const { settings } = route;
  const response = settings.response as { schema?: unknown } | undefined;
  return {
    method: route.method,
    path: route.path,
    prefix: route.realm.modifiers.route.prefix,
    id: settings.id,
    description: settings.description,
    notes: settings.notes,
    rateLimit: settings.plugins?.rateLimit,
    params: settings.validate?.params,
    query: settings.validate?.query,
    payload: settings.validate?.payload,
    response: response?.schema,
  };
}

export const openapiPlugin: Plugin<void> = {
  name: 'api-openapi',
  version: '1.0.0',
  register(server) {
    const prefix = server.realm.modifiers.route.prefix ?? '';
    let document: OpenApiDocument | undefined;
    server.events.on('route', () => (document = undefined));
    server.route({
      method: 'GET',
      path: '/openapi.json',
      handler: () =>
        (document ??= buildOpenApiDocument(server.table().map(routeEntry), {
          prefix,
          title: TITLE,
          version: API_VERSION,
          limits: (server.plugins['api-security'] as ApiSecurityState | undefined)?.limits ?? null,
        })),
    });
  },
};
