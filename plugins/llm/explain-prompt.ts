/**
 * The explanation prompt (reference §12): an `ALERT:` block, `CONTRIBUTING EVENTS:` bullets
 * (`- [iso] source=… message=…`, oldest dropped first to fit `llm.explanation_max_prompt_chars`),
 * `ENTITY CONTEXT:` (the UEBA baseline, when there is one), and the answer's fields; the output
 * schema the grammar enforces: summary, why it is anomalous, evidence, next steps.
 */
import type { Alert } from '../../main/core/alert.js';
import type { SeerflowEvent } from '../../main/core/event.js';
import { severityName } from '../../main/core/severity.js';
import { objectSchema } from './json-schema.js';
import { clip, fitLines, isoOf, MAX_FIELD_CHARS } from './prompt-budget.js';

export const EXPLANATION_SCHEMA = objectSchema({
  summary: { type: 'string', maxLength: 400 },
  anomaly_rationale: { type: 'string', maxLength: 800 },
  evidence: { type: 'array', items: { type: 'string', maxLength: 240 }, maxItems: 6 },
  recommended_next_steps: { type: 'array', items: { type: 'string', maxLength: 240 }, maxItems: 5 },
});

export interface ExplanationFields {
  summary: string;
  anomaly_rationale: string;
  evidence: string[];
  recommended_next_steps: string[];
}

export const EXPLAIN_SYSTEM = 'You are a SOC analyst. Explain alerts to a colleague. Answer with JSON only.';

const INSTRUCTION =
  'Explain this alert as JSON: summary (what happened, 1-2 sentences), anomaly_rationale (why it is unusual for ' +
  'this entity), evidence (facts from the events above), recommended_next_steps (concrete actions).\n';

export function explainPrompt(
  alert: Alert,
  events: readonly SeerflowEvent[],
  baseline: string | undefined,
  maxChars: number,
): { prompt: string; truncated: boolean; used: SeerflowEvent[] } {
  const mitre = [...alert.tactics, ...alert.techniques].join(', ') || 'none';
  const head =
    'ALERT:\n' +
    `id: ${alert.alertId}\ntype: ${alert.alertType}\nrule: ${clip(alert.ruleName)}\n` +
    `description: ${clip(alert.description)}\nseverity: ${severityName(alert.severity)} (${alert.severity})\n` +
    `time: ${isoOf(alert.timestampNs)}\nentity: ${alert.entityType || 'unknown'} ${clip(alert.entityValue)}\n` +
    `mitre: ${mitre}\nrisk: ${alert.riskScore.toFixed(2)}\nCONTRIBUTING EVENTS:\n`;
  const lines = events.map((e) => `- [${isoOf(e.timestampNs)}] source=${e.sourceType} message=${clip(e.message)}`);
  const tail = `ENTITY CONTEXT:\n${baseline ? clip(baseline) : 'no baseline'}\n${INSTRUCTION}`;
  if (lines.length === 0) lines.push('- none stored');
  const fitted = fitLines(head, lines, tail, maxChars);
  const clipped = [alert.ruleName, alert.description, alert.entityValue, baseline ?? ''].some((t) => t.length > MAX_FIELD_CHARS);
  return { prompt: fitted.text, truncated: fitted.dropped > 0 || clipped, used: events.slice(fitted.dropped) };
}

/** The explanation as markdown, for the dashboard and the CLI. */
export function explanationMarkdown(fields: ExplanationFields): string {
  const parts = [`**Summary.** ${fields.summary}`, `**Why it is anomalous.** ${fields.anomaly_rationale}`];
  if (fields.evidence.length > 0) parts.push(`**Evidence**\n${fields.evidence.map((e) => `- ${e}`).join('\n')}`);
  if (fields.recommended_next_steps.length > 0) {
    parts.push(`**Next steps**\n${fields.recommended_next_steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`);
  }
  return parts.join('\n\n');
}
