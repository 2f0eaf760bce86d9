/**
 * The OTLP logs wire schema, as a protobufjs JSON descriptor, and the TypeScript shape of an
 * export request.
 *
 * Written from opentelemetry-proto (common/v1/common.proto, resource/v1/resource.proto,
 * logs/v1/logs.proto, collector/logs/v1/logs_service.proto; proto3). Field names are the
 * lowerCamelCase forms that protobufjs's parser produces and that OTLP/JSON uses as keys.
 * Leaves out what a logs receiver never reads: `LogsData`, the development-only `EntityRef`
 * (Resource field 3), and reserved fields. Unknown fields on the wire are skipped by the decoder.
 *
 * The descriptor loads with protobufjs (`Root.fromJSON`) and with @grpc/proto-loader
 * (`fromJSON(OTLP_LOGS_DESCRIPTOR)`), which yields the `LOGS_SERVICE_NAME` service for grpc-js.
 */
import type { INamespace } from 'protobufjs';

export const LOGS_SERVICE_PACKAGE = 'opentelemetry.proto.collector.logs.v1';
/** Fully qualified service name: the gRPC path is `/${LOGS_SERVICE_NAME}/Export`. */
export const LOGS_SERVICE_NAME = `${LOGS_SERVICE_PACKAGE}.LogsService`;
export const EXPORT_REQUEST_TYPE = `${LOGS_SERVICE_PACKAGE}.ExportLogsServiceRequest`;
export const EXPORT_RESPONSE_TYPE = `${LOGS_SERVICE_PACKAGE}.ExportLogsServiceResponse`;

const COMMON = '.opentelemetry.proto.common.v1';
const RESOURCE = '.opentelemetry.proto.resource.v1';
const LOGS = '.opentelemetry.proto.logs.v1';

/** `SeverityNumber` names → numbers (logs.proto): 1–4 TRACE … 21–24 FATAL. */
export const SEVERITY_NUMBERS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries([
    ['SEVERITY_NUMBER_UNSPECIFIED', 0],
    ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level, i) =>
      [1, 2, 3, 4].map((n) => [`SEVERITY_NUMBER_${level}${n === 1 ? '' : n}`, i * 4 + n]),
    ),
  ]),
);

export const OTLP_LOGS_DESCRIPTOR: INamespace = {
  nested: {
    opentelemetry: {
      nested: {
        proto: {
          nested: {
            common: {
              nested: {
                v1: {
                  nested: {
                    AnyValue: {
                      oneofs: {
                        value: {
                          oneof: [
                            'stringValue',
                            'boolValue',
                            'intValue',
                            'doubleValue',
                            'arrayValue',
                            'kvlistValue',
                            'bytesValue',
                          ],
                        },
                      },
                      fields: {
                        stringValue: { type: 'string', id: 1 },
                        boolValue: { type: 'bool', id: 2 },
                        intValue: { type: 'int64', id: 3 },
                        doubleValue: { type: 'double', id: 4 },
                        arrayValue: { type: `${COMMON}.ArrayValue`, id: 5 },
                        kvlistValue: { type: `${COMMON}.KeyValueList`, id: 6 },
                        bytesValue: { type: 'bytes', id: 7 },
                      },
                    },
                    ArrayValue: {
                      fields: { values: { rule: 'repeated', type: `${COMMON}.AnyValue`, id: 1 } },
                    },
                    KeyValueList: {
                      fields: { values: { rule: 'repeated', type: `${COMMON}.KeyValue`, id: 1 } },
                    },
                    KeyValue: {
                      fields: {
                        key: { type: 'string', id: 1 },
                        value: { type: `${COMMON}.AnyValue`, id: 2 },
                      },
                    },
                    InstrumentationScope: {
                      fields: {
                        name: { type: 'string', id: 1 },
                        version: { type: 'string', id: 2 },
                        attributes: { rule: 'repeated', type: `${COMMON}.KeyValue`, id: 3 },
                        droppedAttributesCount: { type: 'uint32', id: 4 },
                      },
                    },
                  },
                },
              },
            },
            resource: {
              nested: {
                v1: {
                  nested: {
                    Resource: {
                      fields: {
                        attributes: { rule: 'repeated', type: `${COMMON}.KeyValue`, id: 1 },
                        droppedAttributesCount: { type: 'uint32', id: 2 },
                      },
                    },
                  },
                },
              },
            },
            logs: {
              nested: {
                v1: {
                  nested: {
                    ResourceLogs: {
                      fields: {
                        resource: { type: `${RESOURCE}.Resource`, id: 1 },
                        scopeLogs: { rule: 'repeated', type: `${LOGS}.ScopeLogs`, id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    ScopeLogs: {
                      fields: {
                        scope: { type: `${COMMON}.InstrumentationScope`, id: 1 },
                        logRecords: { rule: 'repeated', type: `${LOGS}.LogRecord`, id: 2 },
                        schemaUrl: { type: 'string', id: 3 },
                      },
                    },
                    SeverityNumber: { values: { ...SEVERITY_NUMBERS } },
                    LogRecord: {
                      fields: {
                        timeUnixNano: { type: 'fixed64', id: 1 },
                        observedTimeUnixNano: { type: 'fixed64', id: 11 },
                        severityNumber: { type: `${LOGS}.SeverityNumber`, id: 2 },
                        severityText: { type: 'string', id: 3 },
                        body: { type: `${COMMON}.AnyValue`, id: 5 },
                        attributes: { rule: 'repeated', type: `${COMMON}.KeyValue`, id: 6 },
                        droppedAttributesCount: { type: 'uint32', id: 7 },
                        flags: { type: 'fixed32', id: 8 },
                        traceId: { type: 'bytes', id: 9 },
                        spanId: { type: 'bytes', id: 10 },
                        eventName: { type: 'string', id: 12 },
                      },
                    },
                  },
                },
              },
            },
            collector: {
              nested: {
                logs: {
                  nested: {
                    v1: {
                      nested: {
                        LogsService: {
                          methods: {
                            Export: {
                              requestType: 'ExportLogsServiceRequest',
                              responseType: 'ExportLogsServiceResponse',
                            },
                          },
                        },
                        ExportLogsServiceRequest: {
                          fields: {
                            resourceLogs: { rule: 'repeated', type: `${LOGS}.ResourceLogs`, id: 1 },
                          },
                        },
                        ExportLogsServiceResponse: {
                          fields: {
                            partialSuccess: { type: 'ExportLogsPartialSuccess', id: 1 },
                          },
                        },
                        ExportLogsPartialSuccess: {
                          fields: {
                            rejectedLogRecords: { type: 'int64', id: 1 },
                            errorMessage: { type: 'string', id: 2 },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

// ── Message shapes (camelCase, as protobufjs objects and OTLP/JSON) ────────────────────────────

/** An int64/fixed64: exact as bigint or decimal string; a number only below 2^53. */
export type OtlpInt64 = bigint | string | number;
/** Bytes: raw, or (OTLP/JSON) hex for trace and span ids and base64 for `bytesValue`. */
export type OtlpBytes = Uint8Array | string;

export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: OtlpInt64;
  doubleValue?: number;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
  bytesValue?: OtlpBytes;
}

export interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}

export interface OtlpLogRecord {
  timeUnixNano?: OtlpInt64;
  observedTimeUnixNano?: OtlpInt64;
  /** 0–24; OTLP/JSON may also name it (`SEVERITY_NUMBER_WARN`). */
  severityNumber?: number | string;
  severityText?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
  flags?: number;
  traceId?: OtlpBytes;
  spanId?: OtlpBytes;
  eventName?: string;
}

export interface OtlpScopeLogs {
  scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[]; droppedAttributesCount?: number };
  logRecords?: OtlpLogRecord[];
  schemaUrl?: string;
}

export interface OtlpResourceLogs {
  resource?: { attributes?: OtlpKeyValue[]; droppedAttributesCount?: number };
  scopeLogs?: OtlpScopeLogs[];
  schemaUrl?: string;
}

export interface OtlpExportLogsRequest {
  resourceLogs?: OtlpResourceLogs[];
}
