/**
 * A drafted Sigma rule: the model fills a small JSON schema (title, description, level, message
 * keywords, field/value pairs, false positives) and we write the YAML, so even a small model
 * yields well-formed Sigma; our Sigma compiler then judges the rule (`validateRule`, the upload
 * route's validation). Logsource and ATT&CK tags come from the evidence, not the model.
 */
import { v5 as uuidv5 } from 'uuid';
import { stringify } from 'yaml';
import type { Logsource } from '../../main/core/event.js';
import { objectSchema } from './json-schema.js';

/** Rule ids of drafts: UUID5 of the pattern key in this namespace (a redraft keeps its id). */
const DRAFT_NAMESPACE = '6f1c2b1e-5d0a-4c3e-9b7f-2a8d4e6c0f13';
const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;

export const SIGMA_DRAFT_SCHEMA = objectSchema({
  title: { type: 'string', maxLength: 100 },
  description: { type: 'string', maxLength: 300 },
  level: { enum: LEVELS },
  keywords: { type: 'array', items: { type: 'string', maxLength: 120 }, maxItems: 6 },
  fields: {
    type: 'array',
    items: objectSchema({ field: { type: 'string', maxLength: 64 }, value: { type: 'string', maxLength: 120 } }),
    maxItems: 6,
  },
  falsepositives: { type: 'array', items: { type: 'string', maxLength: 120 }, maxItems: 3 },
});

export interface SigmaDraft {
  title: string;
  description: string;
  level: (typeof LEVELS)[number];
  keywords: string[];
  fields: Array<{ field: string; value: string }>;
  falsepositives: string[];
}

export interface DraftContext {
  patternKey: string;
  logsource: Logsource;
  tactics: string[];
  techniques: string[];
  /** `YYYY-MM-DD`. */
  date: string;
}

/** The draft as Sigma YAML. */
export function draftToYaml(draft: SigmaDraft, context: DraftContext): string {
  const keywords = draft.keywords.map((k) => k.trim()).filter(Boolean);
  const selection: Record<string, string[]> = {};
  for (const { field, value } of draft.fields) {
    if (!field.trim() || !value.trim()) continue;
    (selection[`${field.trim()}|contains`] ??= []).push(value.trim());
  }
  const detection: Record<string, unknown> = {};
  if (keywords.length > 0) detection.keywords = keywords;
  if (Object.keys(selection).length > 0) detection.selection = selection;
  // Nothing to search leaves `selection` undefined: the compiler says so in its validation.
  detection.condition = Object.keys(detection).join(' and ') || 'selection';
  const logsource = Object.fromEntries(Object.entries(context.logsource).filter(([, v]) => v !== ''));
  const tags = [...context.tactics.map((t) => `attack.${t}`), ...context.techniques.map((t) => `attack.${t.toLowerCase()}`)];
  return stringify({
    title: draft.title.trim() || `Suggested rule for ${context.patternKey}`,
    id: uuidv5(context.patternKey, DRAFT_NAMESPACE),
    status: 'experimental',
    description: draft.description.trim() || `Drafted from true-positive alerts of ${context.patternKey}.`,
    author: 'Seerflow rule suggestion (LLM draft, review before use)',
    date: context.date,
    ...(tags.length > 0 ? { tags } : {}),
    logsource: Object.keys(logsource).length > 0 ? logsource : { product: 'any' },
    detection,
    ...(draft.falsepositives.length > 0 ? { falsepositives: draft.falsepositives } : {}),
    level: draft.level,
  });
}
