/**
 * Typed errors of the Sigma engine, one class for the three stages a rule goes through:
 *
 * - `yaml`: the text is not valid YAML (syntax, duplicate keys, alias bombs);
 * - `schema`: the YAML is not a Sigma document we accept (missing title, bad level, a legacy
 *   aggregation such as `| count() by`, `status: unsupported`…);
 * - `compile`: the detection cannot be turned into a matcher (unknown modifier, bad regex,
 *   condition naming a selection that does not exist…).
 *
 * Positions are 1-based line and column of the YAML source, as an editor shows them. The plugin
 * maps these errors to HTTP answers in one place; pure modules only throw or return them.
 */

export type SigmaStage = 'yaml' | 'schema' | 'compile';

export type SigmaErrorCode =
  // yaml
  | 'YAML_SYNTAX'
  | 'YAML_LIMIT'
  // schema
  | 'NOT_A_MAPPING'
  | 'MISSING_KEY'
  | 'INVALID_TYPE'
  | 'INVALID_VALUE'
  | 'UNSUPPORTED_STATUS'
  | 'LEGACY_AGGREGATION'
  | 'LEGACY_TIMEFRAME'
  | 'DUPLICATE_ID'
  | 'UNKNOWN_DOCUMENT'
  // compile
  | 'CONDITION_SYNTAX'
  | 'CONDITION_LIMIT'
  | 'UNKNOWN_IDENTIFIER'
  | 'UNKNOWN_MODIFIER'
  | 'MODIFIER_CONFLICT'
  | 'INVALID_PATTERN'
  | 'INVALID_REGEX'
  | 'INVALID_CIDR'
  | 'INVALID_NUMBER'
  | 'PLACEHOLDER_UNDEFINED'
  | 'VALUE_LIMIT';

/** A position in the YAML source; both numbers start at 1. */
export interface SourcePosition {
  line: number;
  col: number;
}

export interface SigmaErrorInit {
  code: SigmaErrorCode;
  stage: SigmaStage;
  message: string;
  file?: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  col?: number;
  /** What to change so the rule loads. */
  hint?: string;
  /** Rule id or title when known, to name the culprit in a pack. */
  rule?: string;
}

export class SigmaError extends Error {
  readonly code: SigmaErrorCode;
  readonly stage: SigmaStage;
  readonly file: string;
  readonly line: number | undefined;
  readonly col: number | undefined;
  readonly hint: string | undefined;
  readonly rule: string | undefined;

  constructor(init: SigmaErrorInit) {
    super(init.message);
    this.name = 'SigmaError';
    this.code = init.code;
    this.stage = init.stage;
    this.file = init.file ?? '';
    this.line = init.line;
    this.col = init.col;
    this.hint = init.hint;
    this.rule = init.rule;
  }

  /** `[stage] file:line:col message (hint: …)`, the form a log or a CLI prints. */
  override toString(): string {
    const where = [this.file || '<input>', this.line, this.col].filter((part) => part !== undefined).join(':');
    return `[${this.stage}] ${where} ${this.message}${this.hint ? ` (hint: ${this.hint})` : ''}`;
  }

  /** The same error, placed in another file or rule (errors are built before the file is known). */
  withContext(context: { file?: string; rule?: string }): SigmaError {
    return new SigmaError({
      code: this.code,
      stage: this.stage,
      message: this.message,
      file: context.file ?? this.file,
      line: this.line,
      col: this.col,
      hint: this.hint,
      rule: context.rule ?? this.rule,
    });
  }
}

/** Shorthand for the compile stage, the most common one. */
export function compileError(
  code: SigmaErrorCode,
  message: string,
  at?: SourcePosition,
  hint?: string,
): SigmaError {
  return new SigmaError({ code, stage: 'compile', message, line: at?.line, col: at?.col, hint });
}

/** Shorthand for the schema stage. */
export function schemaError(code: SigmaErrorCode, message: string, at?: SourcePosition, hint?: string): SigmaError {
  return new SigmaError({ code, stage: 'schema', message, line: at?.line, col: at?.col, hint });
}
