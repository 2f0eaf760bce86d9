/**
 * A rule pack, ready to run: YAML files → one detection engine (rules and filters) plus the
 * linked correlation rules, and every problem found on the way. Partial success is the normal
 * result: a broken rule is reported (file, stage, position) and the rest load.
 */
import type { SigmaEngineOptions } from './engine.js';
import { SigmaEngine } from './engine.js';
import { linkCorrelationRules } from './correlation-link.js';
import { correlationSource, parseCorrelationRule, type CorrelationRule } from './correlation-parser.js';

export type RuleOrigin = 'bundled' | 'dir' | 'custom';

export interface RuleFile {
  file: string;
  text: string;
  origin: RuleOrigin;
}

export interface SigmaPack {
  engine: SigmaEngine;
  correlations: CorrelationRule[];
  /** Rule id (or correlation id/name) → where it came from. */
  origins: Map<string, RuleOrigin>;
  /** One line per problem: `[stage] file:line:col message`. */
  problems: string[];
  warnings: string[];
}

export function buildSigmaPack(files: readonly RuleFile[], options: SigmaEngineOptions = {}): SigmaPack {
  const engine = new SigmaEngine(options);
  const origins = new Map<string, RuleOrigin>();
  const problems: string[] = [];
  const warnings: string[] = [];
  const parsed: CorrelationRule[] = [];
  for (const { file, text, origin } of files) {
    const result = engine.load(text, file);
    for (const rule of result.rules) origins.set(rule.id, origin);
    problems.push(...result.errors.map(String));
    warnings.push(...result.warnings.map(String));
    for (const document of result.documents) {
      if (document.kind !== 'correlation') continue;
      const one = parseCorrelationRule(document.doc, correlationSource(document));
      if ('error' in one) {
        problems.push(one.error.toString());
        continue;
      }
      parsed.push(one.rule);
      origins.set(one.rule.id ?? one.rule.name ?? one.rule.title, origin);
    }
  }
  const linked = linkCorrelationRules(parsed, engine.rules());
  problems.push(...linked.errors.map(String));
  return { engine, correlations: linked.rules, origins, problems, warnings };
}
