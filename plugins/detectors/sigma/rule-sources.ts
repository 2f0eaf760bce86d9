/**
 * Where a configuration's Sigma rules come from and how they compile: our bundled pack (unless
 * `detection.sigma_load_bundled` is off), each `detection.sigma_rules_dirs` folder, then the
 * upload folder `detection.sigma_custom_upload_dir`, in that order (a rule id seen twice keeps
 * the first); and the engine options the configuration sets (placeholders, field mappings).
 * Shared by the detector plugin and the `seerflow rules` commands, so both load the same rules
 * the same way.
 */
import path from 'node:path';
import type { SeerflowConfig } from '../../../main/config/types.js';
import { resourcesDir } from '../../../main/resources.js';
import type { SigmaEngineOptions } from './engine.js';
import type { FieldMappingRule } from './field-mapping.js';
import type { RuleFile, RuleOrigin } from './pack.js';
import { readRuleDir } from './rule-files.js';

export type DetectionConfig = SeerflowConfig['detection'];

/** A folder of rule files (absolute path) and what the rules in it count as. */
export interface RuleSource {
  dir: string;
  origin: RuleOrigin;
}

export function ruleSources(options: DetectionConfig): RuleSource[] {
  return [
    ...(options.sigma_load_bundled ? [{ dir: path.join(resourcesDir(), 'sigma'), origin: 'bundled' as const }] : []),
    ...options.sigma_rules_dirs.map((dir) => ({ dir: path.resolve(dir), origin: 'dir' as const })),
    ...(options.sigma_custom_upload_dir ? [{ dir: path.resolve(options.sigma_custom_upload_dir), origin: 'custom' as const }] : []),
  ];
}

/** Every rule file of `sources`, in source order; unreadable files go to `onProblem`. */
export async function readRuleSources(sources: readonly RuleSource[], onProblem: (message: string) => void): Promise<RuleFile[]> {
  const files: RuleFile[] = [];
  for (const { dir, origin } of sources) files.push(...(await readRuleDir(dir, origin, onProblem)));
  return files;
}

export function packOptions(options: DetectionConfig): SigmaEngineOptions {
  return { placeholders: options.sigma_placeholders, fieldMappings: fieldMappingsFromConfig(options.sigma_field_mappings) };
}

/** `{ 'linux//sshd': { user: 'account' } }` (key `product/category/service`, or `*`) → mapping rules. */
function fieldMappingsFromConfig(mappings: Record<string, Record<string, string>>): FieldMappingRule[] {
  return Object.entries(mappings).map(([key, fields]) => {
    const [product = '', category = '', service = ''] = key === '*' ? [] : key.split('/');
    return { logsource: { product, category, service }, fields };
  });
}
