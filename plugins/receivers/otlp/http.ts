/**
 * OTLP/HTTP logs (`POST /v1/logs`, protobuf or JSON, gzip allowed) on its own listener
 * (`otlp_http_port`). 415 wrong type, 400 malformed, 413 too large, 429 queue full, 503 store
 * failing; 200 only after the records are committed. A resend of an accepted request is not
 * submitted again (`accepted-requests.ts`).
 */
import Boom from '@hapi/boom';
import Hapi from '@hapi/hapi';
import type { Runtime } from '../../../main/runtime.js';
import { awaitCommit, recordsToRaw, throwUnlessCommitted } from '../acknowledge.js';
import { STILL_COMMITTING, requestDigest, type AcceptedRequests } from './accepted-requests.js';
import { OtlpDecodeError, decodeOtlpJson, decodeOtlpProtobuf, encodeExportLogsResponse } from './decode.js';

const PROTOBUF = 'application/x-protobuf';
const JSON_TYPE = 'application/json';

export function createOtlpHttpServer(
  runtime: Runtime,
  accepted: AcceptedRequests,
  listen: { host: string; port: number; maxBytes: number },
): Hapi.Server {
  const { host, port, maxBytes } = listen;
  const server = Hapi.server({ host, port });
  server.route({
    method: 'POST',
    path: '/v1/logs',
    options: {
      payload: { parse: 'gunzip', output: 'data', maxBytes, allow: [PROTOBUF, JSON_TYPE] },
      // An empty ExportLogsServiceResponse encodes to zero bytes; OTLP still wants 200, not 204.
      response: { emptyStatusCode: 200 },
    },
    async handler(request, h) {
      const isProtobuf = request.mime === PROTOBUF;
      const body = request.payload as Buffer;
      let records;
      try {
        records = isProtobuf ? decodeOtlpProtobuf(body) : decodeOtlpJson(body.toString('utf8'));
      } catch (error) {
        if (error instanceof OtlpDecodeError) throw Boom.badRequest(`malformed OTLP request: ${error.message}`);
        throw error;
      }
      const raws = recordsToRaw(records, {
        sourceType: 'otlp_http',
        sourceId: 'otlp-http',
        receivedNs: runtime.clock(),
        remoteAddr: request.info.remoteAddress,
      });
      const digest = requestDigest(request.mime, body);
      throwUnlessCommitted(await awaitCommit(accepted.submitOnce(digest, () => runtime.pipeline.submit(raws))), STILL_COMMITTING);
      return isProtobuf
        ? h.response(Buffer.from(encodeExportLogsResponse())).type(PROTOBUF)
        : h.response({}).type(JSON_TYPE);
    },
  });
  return server;
}
