/**
 * The one severity scale of Seerflow, and every mapping into it.
 *
 * 0 TRACE … 6 FATAL, as the original. Syslog (RFC 5424 §6.2.1, 0 = emergency … 7 = debug) and
 * OpenTelemetry severity numbers (1–24, logs data model) map here and nowhere else.
 */

export const Severity = {
  TRACE: 0,
  INFORMATIONAL: 1,
  NOTICE: 2,
  WARNING: 3,
  ERROR: 4,
  CRITICAL: 5,
  FATAL: 6,
} as const;

export type Severity = (typeof Severity)[keyof typeof Severity];

export const SEVERITY_NAMES: readonly string[] = [
  'Trace',
  'Informational',
  'Notice',
  'Warning',
  'Error',
  'Critical',
  'Fatal',
];

/** Syslog severity 0 (emergency) … 7 (debug) → Seerflow severity. */
const FROM_SYSLOG: readonly Severity[] = [6, 5, 5, 4, 3, 2, 1, 0];

export function severityFromSyslog(syslogSeverity: number): Severity {
  return FROM_SYSLOG[syslogSeverity] ?? Severity.NOTICE;
}

/**
 * OpenTelemetry SeverityNumber (1–4 TRACE, 5–8 DEBUG, 9–12 INFO, 13–16 WARN, 17–20 ERROR,
 * 21–24 FATAL) → Seerflow severity. 0 (unspecified) or out of range → undefined, so the caller
 * can fall back to the severity text or the default.
 */
export function severityFromOtel(severityNumber: number): Severity | undefined {
  if (!Number.isInteger(severityNumber) || severityNumber < 1 || severityNumber > 24) return undefined;
  if (severityNumber <= 8) return Severity.TRACE;
  if (severityNumber <= 12) return Severity.INFORMATIONAL;
  if (severityNumber <= 16) return Severity.WARNING;
  if (severityNumber <= 20) return Severity.ERROR;
  return Severity.FATAL;
}

const BY_WORD: Record<string, Severity> = {
  trace: 0, debug: 0, verbose: 0,
  info: 1, informational: 1, information: 1,
  notice: 2,
  warn: 3, warning: 3,
  err: 4, error: 4, severe: 4,
  crit: 5, critical: 5, alert: 5,
  emerg: 6, emergency: 6, fatal: 6, panic: 6,
};

/** A level word such as `WARN`, `error`, `Critical` → severity, or undefined when unknown. */
export function severityFromText(text: string): Severity | undefined {
  return BY_WORD[text.trim().toLowerCase()];
}

export function severityName(severity: number): string {
  return SEVERITY_NAMES[severity] ?? 'Unknown';
}
