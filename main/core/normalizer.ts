/**
 * RawEvent → SeerflowEvent (reference §3.2, with the original's gaps filled): recognise the
 * input (decoded record, JSON line, syslog line, plain text), keep the header's time when there
 * is one, cap the message, mine its template, resolve its entities and classify its Sigma
 * logsource. Never throws on input: anything unrecognised is a plain message.
 */
import { v7 as uuidv7 } from 'uuid';
import { extractEntities } from './entity/extract.js';
import type { LogRecord, RawEvent, SeerflowEvent } from './event.js';
import { classifyLogsource, type CompiledLogsourceRules } from './logsource.js';
import { parseJsonLine } from './parsing/structured.js';
import { parseSyslogLine } from './parsing/syslog.js';
import { Severity } from './severity.js';
import type { TemplateMiner } from './template/template-miner.js';

export interface NormalizerOptions {
  /** Messages (and raw input) longer than this are cut. */
  maxMessageLength: number;
  maxEntitiesPerType: number;
  miner: TemplateMiner;
  logsourceRules: CompiledLogsourceRules;
  /** Called when the miner created or changed a template (so its state is saved). */
  onTemplateChange?: () => void;
}

function stripLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 10 || line.charCodeAt(end - 1) === 13)) end--;
  return end === line.length ? line : line.slice(0, end);
}

/** A text line → the richest record it holds: JSON object, syslog, or plain text. */
export function parseLine(line: string, nowNs: bigint): LogRecord {
  const text = stripLineEnd(line);
  return parseJsonLine(text) ?? parseSyslogLine(text, nowNs) ?? { message: text };
}

function cap(text: string, max: number): string {
  return text.length > max ? text.slice(0, max) : text;
}

export function createNormalizer(options: NormalizerOptions): (raw: RawEvent, nowNs: bigint) => SeerflowEvent {
  const { maxMessageLength, miner, logsourceRules, onTemplateChange } = options;
  return (raw, nowNs) => {
    const record = raw.record ?? parseLine(raw.line ?? '', nowNs);
    const message = cap(record.message, maxMessageLength);
    const fields = record.fields ?? {};
    const host = record.host ?? '';
    const app = record.app ?? '';
    const procId = record.procId ?? '';
    const template = miner.learn(message);
    if (template.change !== 'none') onTemplateChange?.();
    return {
      eventId: uuidv7(),
      timestampNs: record.timestampNs ?? raw.receivedNs,
      observedNs: record.observedNs ?? raw.receivedNs,
      severity: record.severity ?? Severity.INFORMATIONAL,
      otelSeverity: record.otelSeverity,
      sourceType: raw.sourceType,
      sourceId: raw.sourceId,
      host,
      app,
      procId,
      msgId: record.msgId ?? '',
      message,
      templateId: template.templateId,
      templateStr: template.template,
      templateParams: template.params,
      entities: extractEntities({ message, fields, host, app, procId }, options.maxEntitiesPerType),
      logsource: classifyLogsource({ app, message, fields, sourceType: raw.sourceType }, logsourceRules),
      fields,
      traceId: record.traceId,
      spanId: record.spanId,
      resourceAttrs: record.resourceAttrs,
      // Stored only when it adds something (a header, JSON around the message).
      raw: raw.line !== undefined && raw.line !== message ? cap(raw.line, maxMessageLength) : '',
      remoteAddr: raw.remoteAddr,
    };
  };
}
