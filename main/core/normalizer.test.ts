import { describe, expect, it } from 'vitest';
import type { RawEvent } from './event.js';
import { compileLogsourceRules } from './logsource.js';
import { createNormalizer } from './normalizer.js';
import { Severity } from './severity.js';
import { TemplateMiner } from './template/template-miner.js';

const RECEIVED = 1_796_032_900_000_000_000n;

function normalizer(maxMessageLength = 32_768) {
  let changes = 0;
  const normalize = createNormalizer({
    maxMessageLength,
    maxEntitiesPerType: 32,
    miner: new TemplateMiner(),
    logsourceRules: compileLogsourceRules([]),
    onTemplateChange: () => changes++,
  });
  return { normalize, changes: () => changes };
}

const line = (text: string): RawEvent => ({ sourceType: 'file', sourceId: '/var/log/x.log', receivedNs: RECEIVED, line: text });

describe('normalizer', () => {
  it('takes time, host, app and pid from a syslog header; severity from PRI', () => {
    const { normalize } = normalizer();
    const event = normalize(line('<11>1 2026-11-30T10:00:00.5Z db01 postgres 99 - - FATAL too many connections\r\n'), RECEIVED);
    expect(event).toMatchObject({
      timestampNs: 1_796_032_800_500_000_000n,
      observedNs: RECEIVED,
      severity: Severity.ERROR,
      host: 'db01',
      app: 'postgres',
      procId: '99',
      message: 'FATAL too many connections',
      sourceType: 'file',
    });
    expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  });

  it('keeps the fields of a JSON line and picks message, time, level, host and app from the usual keys', () => {
    const { normalize } = normalizer();
    const event = normalize(
      line('{"@timestamp":"2026-11-30T10:00:00.000000123Z","level":"warn","msg":"disk almost full","host":{"name":"nas"},"service":{"name":"zfs"},"CommandLine":"zpool status","EventID":4688,"__proto__":"x"}'),
      RECEIVED,
    );
    expect(event).toMatchObject({
      timestampNs: 1_796_032_800_000_000_123n,
      severity: Severity.WARNING,
      message: 'disk almost full',
      host: 'nas',
      app: 'zfs',
    });
    expect(event.fields).toMatchObject({ CommandLine: 'zpool status', EventID: 4688, 'host.name': 'nas' });
    expect(Object.getPrototypeOf(event.fields)).toBe(Object.prototype);
  });

  it('treats anything else as plain text at receive time, and caps long messages', () => {
    const { normalize } = normalizer(16);
    const event = normalize(line('just some words that go on and on'), RECEIVED);
    expect(event).toMatchObject({ timestampNs: RECEIVED, severity: Severity.INFORMATIONAL, host: '', message: 'just some words ' });
    expect(event.raw).toBe('just some words ');
  });

  it('mines templates and reports when they change', () => {
    const { normalize, changes } = normalizer();
    const a = normalize(line('session opened for user alice'), RECEIVED);
    const b = normalize(line('session opened for user bob'), RECEIVED);
    expect(a.templateId).toBe(b.templateId);
    expect(b.templateStr).toBe('session opened for user <*>');
    expect(b.templateParams).toEqual(['bob']);
    expect(changes()).toBe(2);
    expect(normalize(line(''), RECEIVED).templateId).toBe(-1);
  });

  it('never throws on hostile input', () => {
    const { normalize } = normalizer();
    for (const text of ['{', '{"a":', '<', '<999999>', '\u0000\u0001\u0002', '{"message":{"nested":[1,2]}}', 'x'.repeat(100_000), '\ud800']) {
      expect(() => normalize(line(text), RECEIVED)).not.toThrow();
    }
  });
});
