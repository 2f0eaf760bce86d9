/**
 * Severity on screen, over the one scale of `main/core/severity.ts` (0 TRACE … 6 FATAL): names,
 * and the three colour buckets every screen uses (crit ≥ 5, warn 3–4, info below), so alerts and
 * events agree (the original's lists disagreed, dashboard reference §9 item 7).
 */
import { SEVERITY_NAMES } from '../../../main/core/severity';

export type SeverityTone = 'crit' | 'warn' | 'info';

export const severityLabel = (severity: number): string => SEVERITY_NAMES[severity] ?? String(severity);

export function severityTone(severity: number): SeverityTone {
  if (severity >= 5) return 'crit';
  if (severity >= 3) return 'warn';
  return 'info';
}

/** Options for a minimum-severity select: 0 Trace … 6 Fatal. */
export const SEVERITY_OPTIONS = SEVERITY_NAMES.map((label, value) => ({ value, label }));

/** Risk 0..1 → tone (≥ 0.8 crit, ≥ 0.5 warn). */
export function riskTone(risk: number): SeverityTone {
  if (risk >= 0.8) return 'crit';
  if (risk >= 0.5) return 'warn';
  return 'info';
}
