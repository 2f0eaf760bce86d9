/**
 * OTLP/gRPC `LogsService/Export` (the OpenTelemetry Collector's default `otlp` exporter) on
 * `otlp_grpc_port`. The method is declared by hand with identity (de)serializers so the request
 * bytes reach the same decoder as OTLP/HTTP protobuf. Status: INVALID_ARGUMENT malformed,
 * RESOURCE_EXHAUSTED queue full, UNAVAILABLE store failing; OK only after commit. A resend of an
 * accepted request is not submitted again (`accepted-requests.ts`).
 */
import * as grpc from '@grpc/grpc-js';
import type { Runtime } from '../../../main/runtime.js';
import { awaitCommit, recordsToRaw } from '../acknowledge.js';
import { bindErrorMessage } from '../listen.js';
import { STILL_COMMITTING, requestDigest, type AcceptedRequests } from './accepted-requests.js';
import { OtlpDecodeError, decodeOtlpProtobuf, encodeExportLogsResponse } from './decode.js';

const identity = (buffer: Buffer) => buffer;
/** The media type a gRPC request's digest is taken with. */
const GRPC_TYPE = 'application/grpc';

export const logsServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

export function createOtlpGrpcServer(runtime: Runtime, accepted: AcceptedRequests, maxBytes: number): grpc.Server {
  const server = new grpc.Server({ 'grpc.max_receive_message_length': maxBytes });
  const exportLogs: grpc.handleUnaryCall<Buffer, Buffer> = (call, callback) => {
    let records;
    try {
      records = decodeOtlpProtobuf(call.request);
    } catch (error) {
      const message = error instanceof OtlpDecodeError ? error.message : 'cannot decode request';
      callback({ code: grpc.status.INVALID_ARGUMENT, details: `malformed OTLP request: ${message}` });
      return;
    }
    const raws = recordsToRaw(records, { sourceType: 'otlp_grpc', sourceId: 'otlp-grpc', receivedNs: runtime.clock() });
    const durable = accepted.submitOnce(requestDigest(GRPC_TYPE, call.request), () => runtime.pipeline.submit(raws));
    void awaitCommit(durable).then((outcome) => {
      if (outcome === 'committed') callback(null, Buffer.from(encodeExportLogsResponse()));
      else if (outcome === 'queue_full') callback({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'ingest queue full' });
      else callback({ code: grpc.status.UNAVAILABLE, details: STILL_COMMITTING });
    });
  };
  server.addService(logsServiceDefinition, { Export: exportLogs });
  return server;
}

export function bindGrpc(server: grpc.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(new Error(bindErrorMessage('OTLP/gRPC receiver', port, error as NodeJS.ErrnoException)));
      else resolve(boundPort);
    });
  });
}
