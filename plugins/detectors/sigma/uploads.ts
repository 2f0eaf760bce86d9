/**
 * Custom rule uploads (`POST /sigma/rules`): validate a YAML text in three stages (yaml, schema,
 * compile) against the loaded pack, refuse an id collision, enforce the upload folder's capacity
 * (rule count and bytes), then write the file atomically for the next reload to pick up.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { loadSigmaText } from './loader.js';
import type { SigmaEngine } from './engine.js';

export interface ValidationResult {
  valid: boolean;
  rule_id?: string;
  title?: string;
  logsource_key?: [string, string, string];
  stage?: string;
  message?: string;
  line?: number;
  column?: number;
}

export type UploadOutcome =
  | { kind: 'invalid'; result: ValidationResult }
  | { kind: 'collision'; existingRuleId: string }
  | { kind: 'full'; message: string }
  | { kind: 'valid'; result: ValidationResult }
  | { kind: 'stored'; ruleId: string; file: string };

export interface UploadLimits {
  dir: string;
  maxRules: number;
  maxBytes: number;
}

/**
 * An uploaded rule is stored as `<id>.yml`, so its id must be a plain file name: a UUID as the
 * Sigma specification asks, or letters, digits, `.`, `_`, `-` (never `..` or a separator).
 */
const SAFE_RULE_ID = /^(?!.*\.\.)[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Exactly one detection rule per upload; the first problem found, with its stage and position. */
export function validateRule(yaml: string): ValidationResult {
  const result = loadSigmaText(yaml, 'upload.yml');
  const error = result.errors[0];
  if (error) return { valid: false, stage: error.stage, message: error.message, line: error.line, column: error.col };
  if (result.rules.length !== 1 || result.documents.length > 0) {
    return { valid: false, stage: 'schema', message: 'an upload holds exactly one detection rule' };
  }
  const rule = result.rules[0]!;
  if (!SAFE_RULE_ID.test(rule.id)) {
    return { valid: false, stage: 'schema', message: `an uploaded rule's id must be a UUID or a plain name (letters, digits, . _ -), not "${rule.id.slice(0, 80)}"` };
  }
  const { product = '', category = '', service = '' } = rule.logsource;
  return { valid: true, rule_id: rule.id, title: rule.title, logsource_key: [product, category, service] };
}

async function usage(dir: string): Promise<{ rules: number; bytes: number }> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  let bytes = 0;
  let rules = 0;
  for (const name of names) {
    if (!/\.ya?ml$/.test(name)) continue;
    rules++;
    bytes += (await fs.stat(path.join(dir, name)).catch(() => ({ size: 0 }))).size;
  }
  return { rules, bytes };
}

export async function uploadRule(yaml: string, engine: SigmaEngine, limits: UploadLimits, dryRun: boolean): Promise<UploadOutcome> {
  const result = validateRule(yaml);
  if (!result.valid) return { kind: 'invalid', result };
  if (engine.get(result.rule_id!)) return { kind: 'collision', existingRuleId: result.rule_id! };
  if (dryRun) return { kind: 'valid', result };
  const used = await usage(limits.dir);
  const size = Buffer.byteLength(yaml);
  if (used.rules + 1 > limits.maxRules) return { kind: 'full', message: `the upload folder holds its maximum of ${limits.maxRules} rules` };
  if (used.bytes + size > limits.maxBytes) return { kind: 'full', message: `the upload folder would exceed ${limits.maxBytes} bytes` };
  await fs.mkdir(limits.dir, { recursive: true });
  const file = path.join(limits.dir, `${result.rule_id}.yml`);
  const temporary = `${file}.${randomUUID()}.tmp`;
  try {
    await fs.writeFile(temporary, yaml, { flag: 'wx' });
    await fs.rename(temporary, file);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') return { kind: 'full', message: 'the disk is full' };
    throw error;
  }
  return { kind: 'stored', ruleId: result.rule_id!, file };
}
