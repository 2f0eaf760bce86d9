/**
 * Loading Sigma packs: YAML text → compiled rules and filters, raw correlation and filter
 * documents, and one error per document that could not load. Partial success is the normal
 * result: one broken rule never sinks the pack (`{ rules, errors }`), and the caller decides
 * whether errors are fatal. No file system access: callers pass `{ file, text }`.
 *
 * A rule id seen twice keeps the first rule; the second is a DUPLICATE_ID error.
 */
import { compileRule, type CompileOptions, type ExecutableRule } from './compiler.js';
import { schemaError, SigmaError } from './errors.js';
import { FieldRegistry } from './event-view.js';
import { compileFilter, type CompiledFilter } from './filters.js';
import { parseDocument, type RawSigmaDocument } from './parser.js';
import { parseYamlDocuments } from './yaml.js';

export interface LoadResult {
  rules: ExecutableRule[];
  /** Compiled filter documents (also listed raw in `documents`). */
  filters: CompiledFilter[];
  /** Correlation and filter documents as parsed YAML, for the correlation engine. */
  documents: RawSigmaDocument[];
  errors: SigmaError[];
  /** Rules that loaded but will not behave fully (e.g. a placeholder without values). */
  warnings: SigmaError[];
}

export interface LoadOptions extends CompileOptions {
  /** Field slots are per engine: pass the engine's registry (a fresh one otherwise). */
  registry?: FieldRegistry;
  /** Ids already loaded elsewhere (duplicates are rejected); updated with the new ones. */
  seenIds?: Set<string>;
}

/** Loads every document of one YAML text. */
export function loadSigmaText(text: string, file: string, options: LoadOptions = {}): LoadResult {
  const registry = options.registry ?? new FieldRegistry();
  const seenIds = options.seenIds ?? new Set<string>();
  const result: LoadResult = { rules: [], filters: [], documents: [], errors: [], warnings: [] };
  const { documents, errors } = parseYamlDocuments(text, file);
  result.errors.push(...errors);
  for (const document of documents) {
    if (document.root === null) continue; // an empty document (e.g. a trailing ---)
    const warnings: SigmaError[] = [];
    try {
      const parsed = parseDocument(document);
      if (parsed.kind === 'rule') {
        const rule = compileRule(parsed.rule, registry, options, (warning) => warnings.push(warning.withContext({ file })));
        if (seenIds.has(rule.id)) {
          result.errors.push(
            schemaError('DUPLICATE_ID', `rule id ${rule.id} is already loaded; the first rule with it is kept`, document.pos, 'give each rule its own id').withContext({ file, rule: rule.id }),
          );
          continue;
        }
        seenIds.add(rule.id);
        result.rules.push(rule);
      } else {
        result.documents.push(parsed);
        if (parsed.kind === 'filter') result.filters.push(compileFilter(parsed, registry, options, (warning) => warnings.push(warning)));
      }
      result.warnings.push(...warnings);
    } catch (error) {
      if (!(error instanceof SigmaError)) throw error;
      result.errors.push(error.file ? error : error.withContext({ file }));
    }
  }
  return result;
}

/** Loads several files as one pack (ids unique across the pack). */
export function loadSigmaPack(files: readonly { file: string; text: string }[], options: LoadOptions = {}): LoadResult {
  const shared: LoadOptions = { ...options, registry: options.registry ?? new FieldRegistry(), seenIds: options.seenIds ?? new Set() };
  const total: LoadResult = { rules: [], filters: [], documents: [], errors: [], warnings: [] };
  for (const { file, text } of files) {
    const one = loadSigmaText(text, file, shared);
    total.rules.push(...one.rules);
    total.filters.push(...one.filters);
    total.documents.push(...one.documents);
    total.errors.push(...one.errors);
    total.warnings.push(...one.warnings);
  }
  return total;
}
