import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { encodeOtlpProtobuf } from '../../plugins/receivers/otlp/decode.js';
import type { OtlpExportLogsRequest } from '../../plugins/receivers/otlp/schema.js';
import { applianceFixture, type EventsPage, type TestAppliance } from '../support/appliance.js';
import { otlpGrpcClient } from '../support/net.js';



const start = applianceFixture();

function request(message: string, timeUnixNano = '1796032800123456789'): OtlpExportLogsRequest {
  return {
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }, { key: 'host.name', value: { stringValue: 'app07' } }] },
        scopeLogs: [
          {
            logRecords: [
              {
                timeUnixNano,
                severityNumber: 17,
                severityText: 'ERROR',
                body: { stringValue: message },
                attributes: [{ key: 'user.name', value: { stringValue: 'alice' } }, { key: 'http.status', value: { intValue: 502 } }],
                traceId: Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'),
                spanId: Buffer.from('0102030405060708', 'hex'),
              },
            ],
          },
        ],
      },
    ],
  };
}

async function postLogs(app: TestAppliance, body: string | Uint8Array, type: string) {
  // fetch takes Buffer (a Uint8Array over an ArrayBuffer) for binary bodies.
  const payload = typeof body === 'string' ? body : Buffer.from(body);
  return fetch(`http://127.0.0.1:${app.port('otlp_http')}/v1/logs`, { method: 'POST', body: payload, headers: { 'Content-Type': type } });
}

async function storedBySource(app: TestAppliance, source: string): Promise<EventsPage['items']> {
  return (await app.get<EventsPage>(`/api/v1/events?source=${source}`)).body.items;
}

describe('OTLP/HTTP receiver (real HTTP)', () => {
  it('decodes protobuf and answers 200 only once the record is committed', async () => {
    const appliance = await start();
    const response = await postLogs(appliance, encodeOtlpProtobuf(request('payment failed for order 991')), 'application/x-protobuf');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-protobuf');
    // No waiting: 200 means it is already stored.
    const [event] = await storedBySource(appliance, 'otlp-http');
    expect(event).toMatchObject({
      message: 'payment failed for order 991',
      timestamp_ns: '1796032800123456789',
      severity_id: 4,
      otel_severity: 17,
      host: 'app07',
      app: 'checkout',
      trace_id: '0102030405060708090a0b0c0d0e0f10',
      span_id: '0102030405060708',
      fields: { 'user.name': 'alice', 'http.status': 502 },
      resource_attrs: { 'service.name': 'checkout', 'host.name': 'app07' },
    });
    expect(event!.related_users).toEqual(['alice']);
  });

  it('decodes OTLP/JSON with exact nanoseconds', async () => {
    const appliance = await start();
    const body = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1796032800987654321', body: { stringValue: 'json works' } }] }] }],
    });
    const response = await postLogs(appliance, body, 'application/json');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
    const [event] = await storedBySource(appliance, 'otlp-http');
    expect(event).toMatchObject({ message: 'json works', timestamp_ns: '1796032800987654321' });
  });

  it('answers 415, 400 and 413 and stores nothing for refused requests', async () => {
    const appliance = await start({ receivers: { otlp_http_max_request_bytes: 1024 } });
    expect((await postLogs(appliance, 'hello', 'text/plain')).status).toBe(415);
    expect((await postLogs(appliance, '{"resourceLogs": 5}', 'application/json')).status).toBe(400);
    expect((await postLogs(appliance, '{not json', 'application/json')).status).toBe(400);
    expect((await postLogs(appliance, Buffer.from([0xff, 0xff, 0xff]), 'application/x-protobuf')).status).toBe(400);
    expect((await postLogs(appliance, JSON.stringify(request('x'.repeat(2000))), 'application/json')).status).toBe(413);
    expect(await storedBySource(appliance, 'otlp-http')).toEqual([]);
  });

  it('answers 429 when the ingest queue is full', async () => {
    const appliance = await start({ receivers: { queue_maxsize: 1 } });
    const twoRecords = request('a');
    twoRecords.resourceLogs![0]!.scopeLogs![0]!.logRecords!.push({ body: { stringValue: 'b' } });
    const response = await postLogs(appliance, encodeOtlpProtobuf(twoRecords), 'application/x-protobuf');
    expect(response.status).toBe(429);
    const { body: stats } = await appliance.get<{ receivers: Record<string, { dropped: number }> }>('/api/v1/stats');
    expect(stats.receivers.otlp_http!.dropped).toBe(2);
  });
});

describe('OTLP/gRPC receiver (real gRPC)', () => {
  it('exports through LogsService/Export and answers after commit; malformed input is INVALID_ARGUMENT', async () => {
    const appliance = await start();
    const client = otlpGrpcClient(appliance.port('otlp_grpc'));
    const call = async (payload: Buffer) => ({ error: await client.send(payload) });
    expect((await call(Buffer.from(encodeOtlpProtobuf(request('grpc export works'))))).error).toBeNull();
    const [event] = await storedBySource(appliance, 'otlp-grpc');
    expect(event).toMatchObject({ message: 'grpc export works', source_type: 'otlp_grpc', timestamp_ns: '1796032800123456789' });
    expect((await call(Buffer.from([0x0a, 0xff]))).error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    client.close();
  });
});
