/**
 * Windows event log records in evtx_dump's JSON form (`{"Event": {"System": …, "EventData": …}}`),
 * as exported Windows and Sysmon logs arrive: recognised, flattened to the field names Sigma rules
 * use, and cut out of files that hold several objects back to back.
 *
 * Flattening follows the Sigma specification's field naming ("Field Usage"): every `EventData`
 * (or `UserData.<element>`) entry becomes a top-level field, also without spaces (`Threat Name`
 * → `ThreatName`); `System` values keep their names and attributes join with `_` (`Provider_Name`,
 * `Execution_ProcessID`, `TimeCreated_SystemTime`). Pure: callers pass text and objects.
 */
import type { FieldValue, Fields } from '../event.js';
import { Severity } from '../severity.js';
import { setField } from './set-field.js';

/** True for an evtx_dump record (`Event.System` present). */
export function isWindowsEvent(record: unknown): boolean {
  return objectAt(objectAt(record, 'Event'), 'System') !== undefined;
}

/** Splits text holding several JSON objects back to back (any whitespace between them). */
export function splitJsonObjects(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c) i++; // backslash: skip the escaped character
      else if (code === 0x22) inString = false;
      continue;
    }
    if (code === 0x22) inString = true;
    else if (code === 0x7b) {
      if (depth++ === 0) start = i;
    } else if (code === 0x7d && depth > 0 && --depth === 0) {
      out.push(text.slice(start, i + 1));
    }
  }
  return out;
}

/** An evtx_dump record → flat Sigma fields (see the module header). */
export function flattenWindowsEvent(record: unknown): Fields {
  const fields: Fields = {};
  const event = objectAt(record, 'Event') ?? (record as Record<string, unknown>);
  const system = objectAt(event, 'System') ?? {};
  for (const [key, value] of Object.entries(system)) flattenSystem(fields, key, value);
  const data = objectAt(event, 'EventData');
  if (data) addData(fields, data);
  const user = objectAt(event, 'UserData');
  if (user) for (const inner of Object.values(user)) if (isObject(inner)) addData(fields, inner);
  return fields;
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!isObject(value)) return undefined;
  const inner = value[key];
  return isObject(inner) ? inner : undefined;
}

function scalar(value: unknown): FieldValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined;
}

/** System values: `EventID` may be `{ "#text": 4688, "#attributes": {...} }`; attributes join with `_`. */
function flattenSystem(fields: Fields, key: string, value: unknown): void {
  const direct = scalar(value);
  if (direct !== undefined) {
    setField(fields, key, direct);
    return;
  }
  if (!isObject(value)) return;
  const text = scalar(value['#text']);
  if (text !== undefined) setField(fields, key, text);
  const attributes = value['#attributes'];
  if (isObject(attributes)) {
    for (const [name, attribute] of Object.entries(attributes)) {
      const v = scalar(attribute);
      if (v !== undefined) setField(fields, `${key}_${name}`, v);
    }
  }
}

/** EventData entries: a map of name → value, or evtx's `Data` list of `{#attributes: {Name}, #text}`. */
function addData(fields: Fields, data: Record<string, unknown>): void {
  const add = (name: string, value: FieldValue) => {
    setField(fields, name, value);
    const compact = name.replace(/\s+/g, '');
    if (compact !== name && !Object.hasOwn(fields, compact)) setField(fields, compact, value);
  };
  for (const [name, value] of Object.entries(data)) {
    if (name === '#attributes') continue;
    if (name === 'Data' && Array.isArray(value)) {
      for (const item of value) {
        if (!isObject(item)) continue;
        const attrs = item['#attributes'];
        const itemName = isObject(attrs) && typeof attrs['Name'] === 'string' ? attrs['Name'] : undefined;
        const itemValue = scalar(item['#text']);
        if (itemName !== undefined) add(itemName, itemValue ?? null);
      }
      continue;
    }
    const v = scalar(value);
    if (v !== undefined) add(name, v);
    else if (isObject(value) && scalar(value['#text']) !== undefined) add(name, scalar(value['#text']) as FieldValue);
    else if (value !== undefined) add(name, JSON.stringify(value));
  }
}

/** Windows event Level (1 critical … 5 verbose) → Seerflow severity. */
export function windowsSeverity(level: FieldValue | undefined): Severity {
  switch (Number(level)) {
    case 1:
      return Severity.CRITICAL;
    case 2:
      return Severity.ERROR;
    case 3:
      return Severity.WARNING;
    case 5:
      return Severity.TRACE;
    default:
      return Severity.INFORMATIONAL;
  }
}
