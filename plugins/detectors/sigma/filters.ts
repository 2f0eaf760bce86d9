/**
 * Sigma filters (specification 2.1.0, "Sigma Filters"): documents with a `filter:` section that
 * tune many rules at once. A filter applies to a rule when the rule's id, name or title is in
 * `filter.rules` and every field the filter's logsource names equals the rule's. The rule then
 * fires only when its own condition and the filter's condition both hold, as in pySigma and
 * rsigma: to suppress matches, write the exclusion as `condition: not selection`.
 */
import { compileDetection, type CompileOptions, type CompiledRule, type RuleProgram } from './compiler.js';
import { SigmaError, schemaError } from './errors.js';
import type { FieldRegistry } from './event-view.js';
import {
  expectMap,
  optionalString,
  parseConditions,
  parseLogsource,
  parseSearch,
  required,
  requiredString,
  type LogsourceAst,
  type RawSigmaDocument,
  type SearchAst,
} from './parser.js';
import { entryOf } from './yaml.js';

export interface CompiledFilter {
  id?: string;
  title: string;
  logsource: LogsourceAst;
  /** Ids, names or titles of the rules it applies to. */
  rules: string[];
  program: RuleProgram;
  source: { file: string; line: number };
}

/** Compiles a filter document; throws SigmaError (schema or compile stage). */
export function compileFilter(
  document: RawSigmaDocument,
  registry: FieldRegistry,
  options: CompileOptions = {},
  warn: (warning: SigmaError) => void = () => {},
): CompiledFilter {
  try {
    const root = document.node;
    const title = requiredString(root, 'title');
    const logsource = parseLogsource(required(root, 'logsource'));
    const filter = expectMap(required(root, 'filter'), 'filter');
    const rulesEntry = entryOf(filter, 'rules');
    if (!rulesEntry) throw schemaError('MISSING_KEY', 'filter has no "rules" list', filter.pos, 'list the ids of the rules to tune');
    const rulesNode = rulesEntry.value;
    const rules =
      rulesNode.kind === 'scalar' && typeof rulesNode.value === 'string'
        ? [rulesNode.value]
        : rulesNode.kind === 'seq'
          ? rulesNode.items.map((item) => {
              if (item.kind !== 'scalar' || item.value === null) throw schemaError('INVALID_TYPE', 'filter rules must be rule ids', item.pos);
              return String(item.value);
            })
          : [];
    if (rules.length === 0) throw schemaError('INVALID_VALUE', 'filter "rules" must name at least one rule', rulesNode.pos);
    const conditionEntry = entryOf(filter, 'condition');
    if (!conditionEntry) throw schemaError('MISSING_KEY', 'filter has no "condition"', filter.pos, 'e.g. "condition: not selection"');
    const conditions = parseConditions(conditionEntry);
    const searches: SearchAst[] = filter.entries
      .filter((entry) => entry.key !== 'rules' && entry.key !== 'condition')
      .map((entry) => ({ name: entry.key, body: parseSearch(entry), pos: entry.keyPos }));
    if (searches.length === 0) throw schemaError('MISSING_KEY', 'filter defines no selection', filter.pos);
    const program = compileDetection(searches, conditions, registry, options, warn);
    const id = optionalString(root, 'id');
    return { ...(id !== undefined && { id }), title, logsource, rules, program, source: { file: document.file, line: document.line } };
  } catch (error) {
    throw error instanceof SigmaError ? error.withContext({ file: document.file }) : error;
  }
}

/** Whether the filter tunes this rule. */
export function filterApplies(filter: CompiledFilter, rule: CompiledRule): boolean {
  const named = filter.rules.some((ref) => ref === rule.id || ref === rule.name || ref === rule.title);
  if (!named) return false;
  const { product, category, service } = filter.logsource;
  return (
    (product === undefined || product === rule.logsource.product) &&
    (category === undefined || category === rule.logsource.category) &&
    (service === undefined || service === rule.logsource.service)
  );
}
