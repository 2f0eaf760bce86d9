import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { EXPORT_REQUEST_TYPE, LOGS_SERVICE_NAME, OTLP_LOGS_DESCRIPTOR, SEVERITY_NUMBERS } from './schema.js';

// A minimal protobuf writer, independent of the schema under test: the bytes below are what
// opentelemetry-proto's field numbers and types put on the wire.
function varint(n: bigint): number[] {
  let v = n;
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
const tag = (field: number, wire: number): number[] => varint(BigInt((field << 3) | wire));
const len = (field: number, payload: number[]): number[] => [...tag(field, 2), ...varint(BigInt(payload.length)), ...payload];
const str = (field: number, text: string): number[] => len(field, [...Buffer.from(text)]);
const fixed = (field: number, bytes: number, n: bigint): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return [...tag(field, bytes === 8 ? 1 : 5), ...b.subarray(0, bytes)];
};
const keyValue = (key: string, anyValue: number[]): number[] => [...str(1, key), ...len(2, anyValue)];

const TRACE = [...Buffer.from('5b8efff798038103d269b633813fc60c', 'hex')];
const SPAN = [...Buffer.from('eee19b7ec3c1b174', 'hex')];

/** Every field of every message, in field-number order (as encoders write them). */
const WIRE = Uint8Array.from(
  len(1, [
    // ResourceLogs.resource = 1
    ...len(1, [...len(1, keyValue('service.name', str(1, 'api'))), ...tag(2, 0), ...varint(1n)]),
    // ResourceLogs.scope_logs = 2
    ...len(2, [
      ...len(1, [...str(1, 'scope'), ...str(2, '1.0'), ...len(3, keyValue('k', [...tag(2, 0), 1])), ...tag(4, 0), ...varint(2n)]),
      ...len(2, [
        ...fixed(1, 8, 1_796_032_800_123_456_789n), // time_unix_nano
        ...tag(2, 0), ...varint(13n), // severity_number
        ...str(3, 'warning'),
        ...len(5, str(1, 'disk almost full')), // body
        ...len(6, keyValue('i', [...tag(3, 0), ...varint(0xfffffffffffffffbn)])), // int_value -5
        ...len(6, keyValue('d', [...fixed(4, 8, 0x3ff8000000000000n)])), // double_value 1.5
        ...len(6, keyValue('a', len(5, len(1, str(1, 'x'))))), // array_value
        ...len(6, keyValue('m', len(6, len(1, keyValue('n', str(1, 'y')))))), // kvlist_value
        ...len(6, keyValue('b', len(7, [0xde, 0xad]))), // bytes_value
        ...tag(7, 0), ...varint(3n), // dropped_attributes_count
        ...fixed(8, 4, 1n), // flags
        ...len(9, TRACE),
        ...len(10, SPAN),
        ...fixed(11, 8, 1_796_032_800_999_999_999n), // observed_time_unix_nano
        ...str(12, 'disk.pressure'),
      ]),
      ...str(3, 'https://scope-schema'),
    ]),
    ...str(3, 'https://resource-schema'),
  ]),
);

const OBJECT = {
  resourceLogs: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }], droppedAttributesCount: 1 },
      scopeLogs: [
        {
          scope: { name: 'scope', version: '1.0', attributes: [{ key: 'k', value: { boolValue: true } }], droppedAttributesCount: 2 },
          logRecords: [
            {
              timeUnixNano: '1796032800123456789',
              severityNumber: 13,
              severityText: 'warning',
              body: { stringValue: 'disk almost full' },
              attributes: [
                { key: 'i', value: { intValue: '-5' } },
                { key: 'd', value: { doubleValue: 1.5 } },
                { key: 'a', value: { arrayValue: { values: [{ stringValue: 'x' }] } } },
                { key: 'm', value: { kvlistValue: { values: [{ key: 'n', value: { stringValue: 'y' } }] } } },
                { key: 'b', value: { bytesValue: '3q0=' } },
              ],
              droppedAttributesCount: 3,
              flags: 1,
              traceId: Buffer.from(TRACE).toString('base64'),
              spanId: Buffer.from(SPAN).toString('base64'),
              observedTimeUnixNano: '1796032800999999999',
              eventName: 'disk.pressure',
            },
          ],
          schemaUrl: 'https://scope-schema',
        },
      ],
      schemaUrl: 'https://resource-schema',
    },
  ],
};

describe('OTLP_LOGS_DESCRIPTOR', () => {
  const Request = protobuf.Root.fromJSON(OTLP_LOGS_DESCRIPTOR).lookupType(EXPORT_REQUEST_TYPE);

  it('decodes opentelemetry-proto wire bytes field by field', () => {
    const decoded = Request.toObject(Request.decode(WIRE), { longs: String, bytes: String });
    expect(decoded).toStrictEqual(OBJECT);
  });

  it('encodes to the same bytes', () => {
    expect(Buffer.from(Request.encode(Request.fromObject(OBJECT)).finish())).toStrictEqual(Buffer.from(WIRE));
  });

  it('keeps an unknown severity number (proto3 enums are open)', () => {
    const bytes = Uint8Array.from(len(1, len(2, len(2, [...tag(2, 0), ...varint(99n)]))));
    const decoded = Request.toObject(Request.decode(bytes));
    expect(decoded).toStrictEqual({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ severityNumber: 99 }] }] }] });
  });

  it('names the 24 severity numbers', () => {
    expect(SEVERITY_NUMBERS.SEVERITY_NUMBER_TRACE).toBe(1);
    expect(SEVERITY_NUMBERS.SEVERITY_NUMBER_INFO).toBe(9);
    expect(SEVERITY_NUMBERS.SEVERITY_NUMBER_WARN4).toBe(16);
    expect(SEVERITY_NUMBERS.SEVERITY_NUMBER_FATAL4).toBe(24);
    expect(Object.keys(SEVERITY_NUMBERS)).toHaveLength(25);
  });

  it('loads in @grpc/proto-loader as the LogsService with its Export method', () => {
    const definition = protoLoader.fromJSON(OTLP_LOGS_DESCRIPTOR, { longs: String, bytes: String });
    const service = definition[LOGS_SERVICE_NAME] as protoLoader.ServiceDefinition;
    const method = service.Export;
    expect(method).toMatchObject({
      path: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
      requestStream: false,
      responseStream: false,
    });
    expect(method?.requestDeserialize(Buffer.from(WIRE))).toStrictEqual(OBJECT);
    expect(Buffer.from(method?.requestSerialize(OBJECT) ?? [])).toStrictEqual(Buffer.from(WIRE));
    expect(Buffer.from(method?.responseSerialize({}) ?? [])).toHaveLength(0);
  });
});
