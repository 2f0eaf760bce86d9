import * as protoLoader from '@grpc/proto-loader';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../main/core/event.js';
import { Severity } from '../../../main/core/severity.js';
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  encodeExportLogsResponse,
  encodeOtlpProtobuf,
  OtlpDecodeError,
  recordsFromRequest,
} from './decode.js';
import {
  EXPORT_RESPONSE_TYPE,
  LOGS_SERVICE_NAME,
  OTLP_LOGS_DESCRIPTOR,
  type OtlpAnyValue,
  type OtlpExportLogsRequest,
  type OtlpLogRecord,
} from './schema.js';

const TRACE_ID = '5b8efff798038103d269b633813fc60c';
const SPAN_ID = 'eee19b7ec3c1b174';
const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));

/** One resource (service api on web01), one scope, the given records. */
function request(logRecords: OtlpLogRecord[]): OtlpExportLogsRequest {
  return {
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'api' } },
            { key: 'host.name', value: { stringValue: 'web01' } },
            { key: 'process.pid', value: { intValue: 4242 } },
          ],
        },
        scopeLogs: [{ scope: { name: 'app.logger', version: '1.0' }, logRecords }],
      },
    ],
  };
}

const RESOURCE_ATTRS = { 'service.name': 'api', 'host.name': 'web01', 'process.pid': '4242' };

/** A full record: every mapped field set. */
const FULL_RECORD: OtlpLogRecord = {
  timeUnixNano: 1_796_032_800_123_456_789n,
  observedTimeUnixNano: 1_796_032_800_223_456_789n,
  severityNumber: 17,
  severityText: 'ERROR',
  body: {
    kvlistValue: {
      values: [
        { key: 'msg', value: { stringValue: 'login failed' } },
        { key: 'user', value: { kvlistValue: { values: [{ key: 'name', value: { stringValue: 'root' } }] } } },
        { key: 'tries', value: { intValue: 3 } },
      ],
    },
  },
  attributes: [
    { key: 'client.address', value: { stringValue: '203.0.113.7' } },
    { key: 'http.status', value: { intValue: '9007199254740993' } },
    { key: 'ratio', value: { doubleValue: 0.25 } },
    { key: 'ok', value: { boolValue: false } },
    { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 1 }] } } },
    { key: 'raw', value: { bytesValue: Uint8Array.from([1, 2, 255]) } },
    { key: 'net', value: { kvlistValue: { values: [{ key: 'peer', value: { kvlistValue: { values: [{ key: 'port', value: { intValue: 22 } }] } } }] } } },
    { key: 'empty', value: {} },
  ],
  traceId: hex(TRACE_ID),
  spanId: hex(SPAN_ID),
  eventName: 'auth.failure',
};

const FULL_EXPECTED: LogRecord = {
  message: '{"msg":"login failed","user":{"name":"root"},"tries":3}',
  timestampNs: 1_796_032_800_123_456_789n,
  observedNs: 1_796_032_800_223_456_789n,
  severity: Severity.ERROR,
  otelSeverity: 17,
  severityText: 'ERROR',
  traceId: TRACE_ID,
  spanId: SPAN_ID,
  host: 'web01',
  app: 'api',
  resourceAttrs: RESOURCE_ATTRS,
  fields: {
    msg: 'login failed',
    'user.name': 'root',
    tries: 3,
    'client.address': '203.0.113.7',
    'http.status': '9007199254740993',
    ratio: 0.25,
    ok: false,
    tags: '["a",1]',
    raw: 'AQL/',
    'net.peer.port': 22,
    empty: null,
    'event.name': 'auth.failure',
  },
};

/** The same record in OTLP/JSON, with the encoding's quirks: hex ids, strings for int64. */
const FULL_RECORD_JSON = {
  timeUnixNano: '1796032800123456789',
  observedTimeUnixNano: '1796032800223456789',
  severityNumber: 17,
  severityText: 'ERROR',
  body: {
    kvlistValue: {
      values: [
        { key: 'msg', value: { stringValue: 'login failed' } },
        { key: 'user', value: { kvlistValue: { values: [{ key: 'name', value: { stringValue: 'root' } }] } } },
        { key: 'tries', value: { intValue: 3 } },
      ],
    },
  },
  attributes: [
    { key: 'client.address', value: { stringValue: '203.0.113.7' } },
    { key: 'http.status', value: { intValue: '9007199254740993' } },
    { key: 'ratio', value: { doubleValue: 0.25 } },
    { key: 'ok', value: { boolValue: false } },
    { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '1' }] } } },
    { key: 'raw', value: { bytesValue: 'AQL/' } },
    { key: 'net', value: { kvlistValue: { values: [{ key: 'peer', value: { kvlistValue: { values: [{ key: 'port', value: { intValue: 22 } }] } } }] } } },
    { key: 'empty', value: {} },
  ],
  traceId: TRACE_ID.toUpperCase(),
  spanId: SPAN_ID,
  eventName: 'auth.failure',
};

function jsonRequest(logRecords: unknown[]): string {
  return JSON.stringify({
    resourceLogs: [
      {
        resource: {
          attributes: [
            { key: 'service.name', value: { stringValue: 'api' } },
            { key: 'host.name', value: { stringValue: 'web01' } },
            { key: 'process.pid', value: { intValue: '4242' } },
          ],
        },
        scopeLogs: [{ scope: { name: 'app.logger' }, logRecords }],
      },
    ],
  });
}

function decodeError(fn: () => unknown): OtlpDecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OtlpDecodeError) return err;
    throw err;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('decodeOtlpProtobuf', () => {
  it('round-trips every mapped field exactly', () => {
    const records = decodeOtlpProtobuf(encodeOtlpProtobuf(request([FULL_RECORD])));
    expect(records).toStrictEqual([FULL_EXPECTED]);
  });

  it('keeps the extremes of int64 and fixed64', () => {
    const [record] = decodeOtlpProtobuf(
      encodeOtlpProtobuf(
        request([
          {
            timeUnixNano: 18_446_744_073_709_551_615n,
            attributes: [
              { key: 'max', value: { intValue: 9_223_372_036_854_775_807n } },
              { key: 'min', value: { intValue: -9_223_372_036_854_775_808n } },
            ],
          },
        ]),
      ),
    );
    expect(record?.timestampNs).toBe(18_446_744_073_709_551_615n);
    expect(record?.fields).toStrictEqual({ max: '9223372036854775807', min: '-9223372036854775808' });
  });

  it('falls back to the observed time, and leaves zero times absent', () => {
    const records = decodeOtlpProtobuf(
      encodeOtlpProtobuf(request([{ observedTimeUnixNano: 5n, body: { stringValue: 'a' } }, { timeUnixNano: 0, body: { stringValue: 'b' } }])),
    );
    expect(records[0]).toMatchObject({ timestampNs: 5n, observedNs: 5n });
    expect(records[1]?.timestampNs).toBeUndefined();
    expect(records[1]?.observedNs).toBeUndefined();
  });

  it('takes severity from the text when the number is unspecified', () => {
    const records = decodeOtlpProtobuf(
      encodeOtlpProtobuf(request([{ severityText: 'Warning' }, { severityText: 'loud' }, { severityNumber: 9, severityText: 'fatal' }, { severityNumber: 99 }])),
    );
    expect(records.map((r) => [r.severity, r.otelSeverity, r.severityText])).toStrictEqual([
      [Severity.WARNING, undefined, 'Warning'],
      [undefined, undefined, 'loud'],
      [Severity.INFORMATIONAL, 9, 'fatal'],
      [undefined, undefined, undefined],
    ]);
  });

  it('renders non-string bodies and drops empty or all-zero ids', () => {
    const records = decodeOtlpProtobuf(
      encodeOtlpProtobuf(
        request([
          { body: { intValue: 42 } },
          { body: { doubleValue: 1.5 } },
          { body: { boolValue: true } },
          { body: { bytesValue: Uint8Array.from([0xde, 0xad]) } },
          { body: { arrayValue: { values: [{ stringValue: 'x' }, { boolValue: false }] } } },
          { traceId: new Uint8Array(16), spanId: new Uint8Array(0) },
        ]),
      ),
    );
    expect(records.map((r) => r.message)).toStrictEqual(['42', '1.5', 'true', '3q0=', '["x",false]', '']);
    expect(records[4]?.fields).toBeUndefined(); // only a kvlist body has keys to flatten
    expect(records[5]?.traceId).toBeUndefined();
    expect(records[5]?.spanId).toBeUndefined();
  });

  it('lets attributes win over body keys of the same name', () => {
    const [record] = decodeOtlpProtobuf(
      encodeOtlpProtobuf(
        request([
          {
            body: { kvlistValue: { values: [{ key: 'user', value: { stringValue: 'from-body' } }] } },
            attributes: [{ key: 'user', value: { stringValue: 'from-attr' } }],
          },
        ]),
      ),
    );
    expect(record?.fields).toStrictEqual({ user: 'from-attr' });
  });

  it('keeps a __proto__ key as data without touching prototypes', () => {
    const [record] = decodeOtlpProtobuf(
      encodeOtlpProtobuf(request([{ attributes: [{ key: '__proto__', value: { kvlistValue: { values: [{ key: 'polluted', value: { boolValue: true } }] } } }, { key: '__proto__', value: { stringValue: 'x' } }] }])),
    );
    expect(Object.getPrototypeOf(record?.fields)).toBe(Object.prototype);
    expect(Object.hasOwn(record?.fields ?? {}, '__proto__')).toBe(true);
    expect(record?.fields?.['__proto__.polluted']).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('shares one frozen resourceAttrs object across the records of a resource', () => {
    const records = decodeOtlpProtobuf(encodeOtlpProtobuf(request([{}, {}])));
    expect(records[0]?.resourceAttrs).toBe(records[1]?.resourceAttrs);
    expect(Object.isFrozen(records[0]?.resourceAttrs)).toBe(true);
  });

  it('decodes an empty request to no records', () => {
    expect(decodeOtlpProtobuf(new Uint8Array(0))).toStrictEqual([]);
  });

  it('throws a typed error on malformed bytes', () => {
    const good = encodeOtlpProtobuf(request([FULL_RECORD]));
    for (const bad of [good.subarray(0, good.length - 3), Uint8Array.from([0x0a, 0xff]), Uint8Array.from([0x0f]), Uint8Array.from([0xff, 0xff, 0xff])]) {
      const err = decodeError(() => decodeOtlpProtobuf(bad));
      expect(err.code).toBe('invalid_protobuf');
      expect(err.message).toMatch(/^malformed protobuf ExportLogsServiceRequest: /);
    }
  });

  it('throws nothing but OtlpDecodeError on corrupted bytes', () => {
    const good = encodeOtlpProtobuf(request([FULL_RECORD, { body: { stringValue: 'second' } }]));
    let seed = 11;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 5000; i++) {
      const bad = Uint8Array.from(good);
      for (let k = 0; k <= random(3); k++) bad[random(bad.length)] = random(256);
      try {
        decodeOtlpProtobuf(bad.subarray(0, bad.length - random(4)));
      } catch (err) {
        expect(err).toBeInstanceOf(OtlpDecodeError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });

  it('rejects values nested too deep', () => {
    let body: OtlpAnyValue = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) body = { arrayValue: { values: [body] } };
    const err = decodeError(() => decodeOtlpProtobuf(encodeOtlpProtobuf(request([{ body }]))));
    expect(err.code).toBe('invalid_shape');
    expect(err.message).toMatch(/nested deeper than 32 levels/);
    expect(err.path).toMatch(/^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body(\.arrayValue\.values\[0\])+$/);
  });
});

describe('decodeOtlpJson', () => {
  it('decodes OTLP/JSON to the same records as protobuf', () => {
    expect(decodeOtlpJson(jsonRequest([FULL_RECORD_JSON]))).toStrictEqual([FULL_EXPECTED]);
  });

  it('keeps bare 19-digit numbers exact', () => {
    const text = jsonRequest([{ body: { intValue: 1 } }]).replace(
      '"body"',
      '"timeUnixNano" : 1796032800123456789, "observedTimeUnixNano":1796032800000000001,"attributes":[{"key":"n","value":{"intValue":-9223372036854775808}}],"body"',
    );
    const [record] = decodeOtlpJson(text);
    expect(record?.timestampNs).toBe(1_796_032_800_123_456_789n);
    expect(record?.observedNs).toBe(1_796_032_800_000_000_001n);
    expect(record?.fields).toStrictEqual({ n: '-9223372036854775808' });
  });

  it('leaves look-alike text inside strings alone', () => {
    const message = '{"timeUnixNano":1796032800123456789}';
    const [record] = decodeOtlpJson(jsonRequest([{ body: { stringValue: message } }]));
    expect(record?.message).toBe(message);
  });

  it('accepts severity names, numeric strings for doubles and the non-finite spellings', () => {
    const [record] = decodeOtlpJson(
      jsonRequest([
        {
          severityNumber: 'SEVERITY_NUMBER_FATAL2',
          attributes: [
            { key: 'a', value: { doubleValue: 'NaN' } },
            { key: 'b', value: { doubleValue: '2.5' } },
          ],
        },
      ]),
    );
    expect(record).toMatchObject({ severity: Severity.FATAL, otelSeverity: 22, fields: { a: 'NaN', b: 2.5 } });
  });

  it('ignores unknown keys', () => {
    const [record] = decodeOtlpJson(jsonRequest([{ body: { stringValue: 'x' }, futureField: { a: 1 } }]));
    expect(record?.message).toBe('x');
  });

  it('throws invalid_json on a syntax error', () => {
    const err = decodeError(() => decodeOtlpJson('{"resourceLogs": ['));
    expect(err.code).toBe('invalid_json');
    expect(err.message).toMatch(/^malformed JSON: /);
  });

  it('throws invalid_shape with the path of the offending value', () => {
    const cases: [string, string, RegExp][] = [
      ['[]', '(request)', /expected an object, got an array/],
      ['null', '(request)', /expected an object, got null/],
      ['{"resourceLogs": 5}', 'resourceLogs', /expected an array, got a number/],
      ['{"resourceLogs": [{"scopeLogs": {}}]}', 'resourceLogs[0].scopeLogs', /expected an array, got an object/],
      [jsonRequest([{ timeUnixNano: 'soon' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano', /expected an integer/],
      [jsonRequest([{ timeUnixNano: '-1' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano', /out of uint64 range/],
      [jsonRequest([{ timeUnixNano: 1.5 }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].timeUnixNano', /expected an integer/],
      [jsonRequest([{ traceId: 'not-hex' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].traceId', /expected a hex string/],
      [jsonRequest([{ spanId: 'abc' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].spanId', /expected a hex string/],
      [jsonRequest([{ severityNumber: 'LOUD' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].severityNumber', /SeverityNumber/],
      [jsonRequest([{ severityText: 3 }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].severityText', /expected a string, got a number/],
      [jsonRequest([{ body: 'text' }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].body', /expected an object, got a string/],
      [jsonRequest([{ body: { stringValue: 1 } }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].body.stringValue', /expected a string/],
      [jsonRequest([{ body: { stringValue: 'a', intValue: 1 } }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].body', /both stringValue and intValue/],
      [jsonRequest([{ body: { bytesValue: '!!' } }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].body.bytesValue', /base64/],
      [jsonRequest([{ attributes: [{ key: 1 }] }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].key', /expected a string/],
      [jsonRequest([{ attributes: [{ key: 'k', value: { intValue: '99999999999999999999' } }] }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value.intValue', /out of int64 range/],
      [jsonRequest([{ attributes: [{ key: 'k', value: { doubleValue: true } }] }]), 'resourceLogs[0].scopeLogs[0].logRecords[0].attributes[0].value.doubleValue', /expected a number/],
      ['{"resourceLogs": [{"resource": {"attributes": [{"key": "host.name", "value": {"arrayValue": {"values": 3}}}]}}]}', 'resourceLogs[0].resource.attributes[0].value.arrayValue.values', /expected an array/],
    ];
    for (const [text, path, message] of cases) {
      const err = decodeError(() => decodeOtlpJson(text));
      expect(err.code, text).toBe('invalid_shape');
      expect(err.path, text).toBe(path);
      expect(err.message, text).toMatch(message);
      expect(err.message.startsWith(`${path}: `), text).toBe(true);
    }
  });

  it('rejects deep nesting with a typed error, not a stack overflow', () => {
    let value = '{"stringValue":"leaf"}';
    for (let i = 0; i < 10_000; i++) value = `{"arrayValue":{"values":[${value}]}}`;
    const text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${value}}]}]}]}`;
    expect(decodeError(() => decodeOtlpJson(text)).code).toBe('invalid_shape');
  });
});

describe('recordsFromRequest', () => {
  it('reads what a grpc-js handler receives through @grpc/proto-loader', () => {
    const wire = Buffer.from(encodeOtlpProtobuf(request([FULL_RECORD])));
    for (const options of [{}, { longs: String, defaults: true, oneofs: true }]) {
      const definition = protoLoader.fromJSON(OTLP_LOGS_DESCRIPTOR, options);
      const method = (definition[LOGS_SERVICE_NAME] as protoLoader.ServiceDefinition).Export;
      expect(recordsFromRequest(method?.requestDeserialize(wire))).toStrictEqual([FULL_EXPECTED]);
    }
  });
});

describe('encodeExportLogsResponse', () => {
  const Response = protobuf.Root.fromJSON(OTLP_LOGS_DESCRIPTOR).lookupType(EXPORT_RESPONSE_TYPE);

  it('is empty on full success', () => {
    expect(encodeExportLogsResponse()).toHaveLength(0);
  });

  it('carries a partial success', () => {
    const decoded = Response.toObject(Response.decode(encodeExportLogsResponse({ rejectedLogRecords: 3n, errorMessage: 'queue full' })), {
      longs: String,
    });
    expect(decoded).toStrictEqual({ partialSuccess: { rejectedLogRecords: '3', errorMessage: 'queue full' } });
  });
});
