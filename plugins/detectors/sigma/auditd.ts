/**
 * Linux audit records (auditd.log lines, or the same forwarded through syslog) → their
 * `key=value` fields, as Sigma's `service: auditd` rules name them (`type`, `a0`, `exe`, `comm`,
 * `key`…), plus what `category: process_creation` rules need from an EXECVE record: the command
 * line (`a0 … aN` joined) and the image.
 *
 * Values auditd hex-encodes (arguments, proctitle, paths with spaces or odd bytes) are decoded;
 * NUL separators become spaces. In records other than EXECVE, `a0`…`a3` are raw syscall
 * arguments and stay as written. A `msg='…'` value of user-space records (PAM, USER_CMD) is
 * parsed too, its inner fields added when the outer record does not already have them.
 * A single left-to-right scan; no regular expressions.
 */
import type { FieldValue } from '../../../main/core/event.js';

export type AuditRecord = Record<string, FieldValue>;

/** Keys whose unquoted value is a hex encoding of text. */
const HEX_KEYS = new Set(['proctitle', 'cmd', 'comm', 'exe', 'name', 'cwd', 'path', 'data', 'acct', 'old-name', 'new-name']);

/** A message holding `type=… msg=audit(…)` fields → its record; null otherwise. */
export function parseAuditd(message: string): AuditRecord | null {
  if (!message.includes('type=') || !message.includes('audit(')) return null;
  const record: AuditRecord = Object.create(null) as AuditRecord;
  scanPairs(message, record, false);
  const type = record['type'];
  if (type === undefined) return null;
  if (type === 'EXECVE') addExecve(record);
  const exe = record['exe'];
  if (typeof exe === 'string' && exe !== '') record['@image'] = exe;
  return record;
}

function addExecve(record: AuditRecord): void {
  for (const key of Object.keys(record)) {
    if (/^a\d+$/.test(key)) record[key] = decodeIfHex(record[key], true);
  }
  const argc = Number(record['argc']);
  const args: string[] = [];
  for (let i = 0; i < (Number.isFinite(argc) && argc > 0 ? argc : 1024); i++) {
    const arg = record[`a${i}`];
    if (arg === undefined) break;
    args.push(String(arg));
  }
  record['@cmdline'] = args.join(' ');
  if (args[0] !== undefined && record['@image'] === undefined) record['@image'] = args[0];
}

function isHexEncoded(value: string): boolean {
  if (value.length < 2 || value.length % 2 !== 0) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (!((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46))) return false;
  }
  return true;
}

function decodeIfHex(value: FieldValue | undefined, unquoted: boolean): FieldValue {
  if (typeof value !== 'string' || !unquoted || !isHexEncoded(value)) return value ?? null;
  return Buffer.from(value, 'hex').toString('utf8').replace(/\0+$/, '').replace(/\0/g, ' ');
}

/** Reads `key=value` pairs into `record`; quoted values keep their text, unquoted ones may be hex. */
function scanPairs(text: string, record: AuditRecord, inner: boolean): void {
  let i = 0;
  while (i < text.length) {
    while (i < text.length && (text[i] === ' ' || text[i] === ':' || text[i] === ',')) i++;
    const keyStart = i;
    while (i < text.length && text[i] !== '=' && text[i] !== ' ') i++;
    if (text[i] !== '=') continue; // a bare word ("audit:"): skip it
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    let isQuoted = false;
    const open = text[i];
    if (open === '"' || open === "'") {
      const close = text.indexOf(open, i + 1);
      const end = close === -1 ? text.length : close;
      value = text.slice(i + 1, end);
      i = end + 1;
      isQuoted = true;
    } else {
      const start = i;
      while (i < text.length && text[i] !== ' ') i++;
      value = text.slice(start, i);
    }
    if (key === '' || (inner && record[key] !== undefined)) continue;
    if (key === 'msg' && isQuoted && value.includes('=')) {
      scanPairs(value, record, true);
      continue;
    }
    if (record[key] !== undefined && !inner) continue; // the first occurrence wins
    record[key] = HEX_KEYS.has(key) && !isQuoted ? decodeIfHex(value, true) : value;
  }
}
