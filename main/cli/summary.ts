/** How a command prints the session summary when it ends. */
import type { SessionSummary } from '../runtime.js';

export function formatSummary(summary: SessionSummary): string {
  return (
    `session summary: ${summary.events} events, ${summary.alerts} alerts, ${summary.templates} templates, ` +
    `${summary.durationS} s, ${summary.eventsPerSecond} events/s`
  );
}
