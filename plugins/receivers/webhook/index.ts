/**
 * Webhook receiver: one POST route per configured endpoint on its own listener
 * (`webhook_port`). 401 bad token or signature, 400 malformed, 413 too large, 415 wrong type,
 * 429 queue full, 503 store failing; 200 with the count only after commit.
 */
import Boom from '@hapi/boom';
import Hapi, { type Plugin } from '@hapi/hapi';
import { webhookEndpointSchema } from '../../../main/config/schema.js';
import type { SeerflowConfig, WebhookEndpointConfig } from '../../../main/config/types.js';
import type { Runtime } from '../../../main/runtime.js';
import { commitOverHttp, recordsToRaw } from '../acknowledge.js';
import { bindErrorMessage } from '../listen.js';
import { isAuthorized } from './auth.js';
import { WEBHOOK_TYPES, WebhookBodyError, parseWebhookBody } from './body.js';

type Options = SeerflowConfig['receivers'];

function route(runtime: Runtime, endpoint: WebhookEndpointConfig, maxBytes: number): Hapi.ServerRoute {
  return {
    method: 'POST',
    path: endpoint.path,
    options: { payload: { parse: 'gunzip', output: 'data', maxBytes, allow: WEBHOOK_TYPES } },
    async handler(request) {
      const body = request.payload as Buffer;
      if (!isAuthorized(endpoint, request.headers, body)) throw Boom.unauthorized('bad or missing credentials');
      let records;
      try {
        records = parseWebhookBody(request.mime, body.toString('utf8'), endpoint.field_mapping);
      } catch (error) {
        if (error instanceof WebhookBodyError) throw Boom.badRequest(error.message);
        throw error;
      }
      const raws = recordsToRaw(records, {
        sourceType: 'webhook',
        sourceId: endpoint.source_id,
        receivedNs: runtime.clock(),
        remoteAddr: request.info.remoteAddress,
      });
      await commitOverHttp(runtime.pipeline, raws);
      return { accepted: raws.length };
    },
  };
}

export const webhookReceiverPlugin: Plugin<Options> = {
  name: 'receiver-webhook',
  version: '1.0.0',
  register(server, options) {
    const runtime = server.seerflow;
    const listener = Hapi.server({ host: options.bind_addr, port: options.webhook_port });
    const endpoints = options.webhooks.length > 0 ? options.webhooks : [defaultEndpoint()];
    for (const endpoint of endpoints) listener.route(route(runtime, endpoint, options.webhook_max_request_bytes));
    let listening = false;
    runtime.health.register('receiver.webhook', () => ({ status: listening ? 'ok' : 'starting' }));

    server.ext('onPreStart', async () => {
      try {
        await listener.start();
      } catch (error) {
        throw new Error(bindErrorMessage('webhook receiver', options.webhook_port, error as NodeJS.ErrnoException));
      }
      listening = true;
      runtime.listeners.set('webhook', listener.info.port as number);
      server.logger.info({ port: runtime.listeners.get('webhook'), paths: endpoints.map((e) => e.path) }, 'webhook receiver listening');
    });
    server.ext('onPreStop', async () => {
      listening = false;
      await listener.stop({ timeout: 10_000 });
    });
  },
};

/** `webhook_enabled` with no endpoint listed: one unauthenticated endpoint at the default path. */
function defaultEndpoint(): WebhookEndpointConfig {
  return webhookEndpointSchema.validate({}).value as WebhookEndpointConfig;
}
