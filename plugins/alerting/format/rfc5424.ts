/**
 * RFC 5424 syslog messages carrying an alert, and their RFC 6587 octet-counting frame for TCP.
 *
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - [BOM]MSG`: PRI = facility·8 + the syslog
 * severity (the inverse of the receiver's map, reference §13: TRACE 7 … FATAL 1); TIMESTAMP is
 * the alert's event time with milliseconds (what QRadar expects); MSGID is the alert type; no
 * structured data. Header fields are PRINTUSASCII of bounded length, or `-`.
 */
import type { Alert } from '../../../main/core/alert.js';
import { isoTime } from './text.js';

/** Seerflow severity 0..6 → syslog severity (7 debug … 1 alert). */
const SYSLOG_SEVERITY = [7, 6, 5, 4, 3, 2, 1] as const;
const BOM = '\uFEFF';

export interface SyslogHeader {
  facility: number;
  hostname: string;
  appName: string;
  procId: string;
  /** Start MSG with the UTF-8 BOM (RFC 5424 §6.4). */
  bom: boolean;
}

/** A header field: printable US-ASCII only, at most `max` characters; `-` when nothing is left. */
export function headerField(text: string, max: number): string {
  const clean = text.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return clean === '' ? '-' : clean;
}

export function formatRfc5424(alert: Alert, message: string, header: SyslogHeader): string {
  const pri = header.facility * 8 + (SYSLOG_SEVERITY[alert.severity] ?? 5);
  return [
    `<${pri}>1`,
    isoTime(alert.timestampNs),
    headerField(header.hostname, 255),
    headerField(header.appName, 48),
    headerField(header.procId, 128),
    headerField(alert.alertType, 32),
    '-',
    `${header.bom ? BOM : ''}${message}`,
  ].join(' ');
}

/** RFC 6587 §3.4.1: `MSG-LEN SP SYSLOG-MSG`, the length in octets. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
