/**
 * Hostile input for every parser that takes outside bytes: each either returns a value or throws
 * its own error type with a message; none throws anything else (a TypeError from a missed case
 * would be a crash in a receiver), and none hangs (vitest's timeout would fail the test).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigYaml, validateConfig } from '../../main/config/load.js';
import { createNormalizer } from '../../main/core/normalizer.js';
import { compileLogsourceRules } from '../../main/core/logsource.js';
import { parseJsonLine } from '../../main/core/parsing/structured.js';
import { parseSyslogLine } from '../../main/core/parsing/syslog.js';
import { flattenWindowsEvent, splitJsonObjects } from '../../main/core/parsing/windows-event.js';
import { TemplateMiner } from '../../main/core/template/template-miner.js';
import { parseStixPattern, StixPatternError } from '../../plugins/detectors/ioc/stix-pattern.js';
import { ConditionError, parseCondition } from '../../plugins/detectors/sigma/condition.js';
import { loadSigmaText } from '../../plugins/detectors/sigma/loader.js';
import { decodeOtlpJson, decodeOtlpProtobuf, encodeOtlpProtobuf, OtlpDecodeError } from '../../plugins/receivers/otlp/decode.js';
import { parseWebhookBody, WebhookBodyError, WEBHOOK_TYPES } from '../../plugins/receivers/webhook/body.js';
import { anyJson, anyText, jsonText, RUNS, textOf } from './arbitraries.js';

const NOW_NS = 1_796_032_800_000_000_000n;

/** Runs `parse`; an error must be one of `allowed` and carry a message. */
function survives(parse: () => unknown, ...allowed: Array<new (...args: never[]) => Error>): void {
  try {
    parse();
  } catch (error) {
    if (!allowed.some((type) => error instanceof type)) throw error;
    expect((error as Error).message.length).toBeGreaterThan(0);
  }
}

describe('syslog lines (RFC 5424 and 3164)', () => {
  const fragments = ['<', '>', '1', '34', '165', ' ', '-', '[', ']', '"', '\\', '=', 'exampleSDID@32473', 'iut="3"', '2026-11-30T10:00:00.123456Z', '+02:00', 'Dec', ' 10 ', '06:55:46', 'host', 'sshd[24200]:', ':', '\u00ef\u00bb\u00bf', '\uFEFF'];
  it('parses or declines any line, and the normalizer always yields an event', () => {
    const normalize = createNormalizer({ maxMessageLength: 4096, maxEntitiesPerType: 8, miner: new TemplateMiner(), logsourceRules: compileLogsourceRules([]) });
    fc.assert(
      fc.property(fc.oneof(anyText, textOf(fragments)), (line) => {
        parseSyslogLine(line, NOW_NS);
        const event = normalize({ sourceType: 'syslog', sourceId: 'fuzz', receivedNs: NOW_NS, line }, NOW_NS);
        expect(typeof event.message).toBe('string');
        expect(event.timestampNs).toBeTypeOf('bigint');
      }),
      RUNS,
    );
  });
});

describe('JSON lines and Windows event JSON', () => {
  it('never throws on any JSON line', () => {
    fc.assert(fc.property(jsonText, (line) => void parseJsonLine(line)), RUNS);
  });
  it('splits and flattens any concatenation of JSON objects', () => {
    const eventLike = fc.record({ Event: fc.record({ System: fc.dictionary(fc.string(), anyJson), EventData: anyJson }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(fc.oneof(eventLike, anyJson)), anyText, (records, noise) => {
        for (const text of splitJsonObjects(records.map((r) => JSON.stringify(r)).join('\n') + noise)) {
          let value: unknown;
          try {
            value = JSON.parse(text);
          } catch {
            continue;
          }
          flattenWindowsEvent(value);
        }
      }),
      RUNS,
    );
  });
});

describe('OTLP', () => {
  it('JSON: any text decodes or fails with OtlpDecodeError', () => {
    const otlpish = anyJson.map((value) => JSON.stringify({ resourceLogs: [{ resource: { attributes: value }, scopeLogs: [{ logRecords: [value] }] }] }));
    fc.assert(fc.property(fc.oneof(jsonText, otlpish), (text) => survives(() => decodeOtlpJson(text), OtlpDecodeError)), RUNS);
  });
  it('protobuf: random and mutated bytes decode or fail with OtlpDecodeError', () => {
    const valid = encodeOtlpProtobuf({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1796032800000000000', body: { stringValue: 'hello' }, attributes: [{ key: 'k', value: { intValue: '7' } }] }] }] }],
    } as never);
    const mutated = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((edits) => {
      const copy = Uint8Array.from(valid);
      for (const [at, byte] of edits) copy[at % copy.length] = byte;
      return copy;
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 512 }), mutated), (bytes) => survives(() => decodeOtlpProtobuf(bytes), OtlpDecodeError)), RUNS);
  });
});

describe('webhook bodies', () => {
  it('every accepted media type parses or fails with WebhookBodyError', () => {
    const mapping = { message: 'alert.text', host: 'device.name' };
    fc.assert(
      fc.property(fc.constantFrom(...WEBHOOK_TYPES), fc.oneof(jsonText, textOf(['{', '}', '\n', '&', '=', '%', 'alert', '.', '"text"', ':'])), (mime, body) =>
        survives(() => parseWebhookBody(mime, body, mapping), WebhookBodyError),
      ),
      RUNS,
    );
  });
});

describe('Sigma', () => {
  it('conditions parse or fail with ConditionError', () => {
    const tokens = ['selection', 'filter', ' and ', ' or ', 'not ', '(', ')', '1 of ', 'all of ', 'them', 'sel*', '|', ' ', 'count() > 3'];
    fc.assert(fc.property(fc.oneof(anyText, textOf(tokens, 200)), (text) => survives(() => parseCondition(text), ConditionError)), RUNS);
  });
  it('rule YAML loads or reports errors; it never throws', () => {
    const fragments = ['title: t\n', 'id: 5f1e8e4a-0b1c-4c1e-9a55-1d7d0b1d5e01\n', 'logsource:\n  product: linux\n', 'detection:\n', '  selection:\n', '    message|contains: x\n', '    a|re: "(a+)+$"\n', '  condition: selection\n', '---\n', '&a [*a, *a]\n', '!!binary x\n', '  - ', '"', "'", ': ', '\t', '{', '}', '[', ']'];
    fc.assert(
      fc.property(fc.oneof(anyText, textOf(fragments, 40)), (text) => {
        const result = loadSigmaText(text, 'fuzz.yml');
        for (const error of result.errors) expect(error.message.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });
});

describe('STIX patterns', () => {
  it('parse or fail with StixPatternError', () => {
    const tokens = ['[', ']', "ipv4-addr:value = '1.2.3.4'", "domain-name:value = 'a.example'", ' AND ', ' OR ', ' FOLLOWEDBY ', 'WITHIN 5 SECONDS', "file:hashes.'SHA-256' = 'ab'", "'", '\\', ' MATCHES ', ' LIKE ', '(', ')', 'NOT '];
    fc.assert(fc.property(fc.oneof(anyText, textOf(tokens, 80)), (text) => survives(() => parseStixPattern(text), StixPatternError)), RUNS);
  });
});

describe('configuration', () => {
  it('YAML text parses or fails with ConfigError naming where', () => {
    const fragments = ['storage:\n', '  retention_days: ', '-1', '1e309', 'receivers:\n', '  syslog_udp_port: ', '70000', '${HOME}', '${UNSET:-x}', '&a [*a,*a]\n', ': ', '\t', '"', '\n'];
    fc.assert(
      fc.property(fc.oneof(anyText, textOf(fragments, 40)), (text) =>
        survives(() => {
          const raw = parseConfigYaml(text, 'fuzz.yaml');
          validateConfig(raw, {});
        }, ConfigError),
      ),
      RUNS,
    );
  });
  it('any JSON value as a config fails with ConfigError or validates', () => {
    fc.assert(fc.property(anyJson, (raw) => survives(() => validateConfig(raw, {}), ConfigError)), RUNS);
  });
});
