/**
 * Webhook bodies → records: a JSON object, a JSON array of objects, NDJSON, or a form. Each
 * object keeps its fields; the endpoint's `field_mapping` picks message, time, severity, host
 * and app when the usual keys don't fit.
 */
import querystring from 'node:querystring';
import type { LogRecord } from '../../../main/core/event.js';
import { recordFromObject, type FieldMapping } from '../../../main/core/parsing/structured.js';

export class WebhookBodyError extends Error {
  override name = 'WebhookBodyError';
}

export const WEBHOOK_TYPES = ['application/json', 'application/x-ndjson', 'application/x-www-form-urlencoded'];

function toRecord(value: unknown, mapping: FieldMapping): LogRecord {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return recordFromObject(value as Record<string, unknown>, mapping);
  }
  if (typeof value === 'string') return { message: value };
  throw new WebhookBodyError('each entry must be a JSON object or a string');
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new WebhookBodyError(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}

export function parseWebhookBody(mime: string, body: string, mapping: FieldMapping): LogRecord[] {
  if (mime === 'application/x-www-form-urlencoded') {
    const form = querystring.parse(body);
    return [toRecord(Object.fromEntries(Object.entries(form).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v])), mapping)];
  }
  const text = body.trim();
  if (text === '') throw new WebhookBodyError('the body is empty');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (mime === 'application/x-ndjson' || (lines.length > 1 && text[0] === '{' && !isSingleJson(text))) {
    return lines.map((line, i) => toRecord(parseJson(line, `line ${i + 1}`), mapping));
  }
  const value = parseJson(text, 'the body');
  return Array.isArray(value) ? value.map((item) => toRecord(item, mapping)) : [toRecord(value, mapping)];
}

function isSingleJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
