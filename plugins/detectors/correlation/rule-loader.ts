/**
 * Loads a correlation rule pack: our bundled rules (`resources/correlation`) and every
 * `correlation.rule_dirs` folder. Partial success is a value: each bad file or duplicate name is
 * one error naming the file, and the good rules still load.
 */
import path from 'node:path';
import { resourcesDir } from '../../../main/resources.js';
import { readRuleDir } from '../sigma/rule-files.js';
import { parseRuleFile, type CorrelationRule } from './rule-schema.js';
import { RuleSet } from './rule-set.js';

export interface RulePack {
  rules: RuleSet;
  /** One line per problem: `file[:line:col]: key: message`. */
  errors: string[];
}

export function bundledRuleDir(): string {
  return path.join(resourcesDir(), 'correlation');
}

/** Parses, validates and compiles rule files; a rule whose name was already taken is refused. */
export function buildRulePack(files: ReadonlyArray<{ file: string; text: string }>): RulePack {
  const rules: CorrelationRule[] = [];
  const errors: string[] = [];
  const names = new Map<string, string>();
  for (const { file, text } of files) {
    const parsed = parseRuleFile(file, text);
    if (parsed.errors) {
      errors.push(...parsed.errors);
      continue;
    }
    const taken = names.get(parsed.rule.name);
    if (taken) {
      errors.push(`${file}: name: rule name '${parsed.rule.name}' is already used by ${taken}`);
      continue;
    }
    try {
      new RuleSet([parsed.rule]); // compiles its regexes: a bad pattern refuses this rule only
    } catch (error) {
      errors.push((error as Error).message);
      continue;
    }
    names.set(parsed.rule.name, file);
    rules.push(parsed.rule);
  }
  return { rules: new RuleSet(rules), errors };
}

/** The bundled rules and those of `dirs`, in that order. */
export async function loadRulePack(dirs: readonly string[]): Promise<RulePack> {
  const errors: string[] = [];
  const onProblem = (message: string) => errors.push(message);
  const files = [
    ...(await readRuleDir(bundledRuleDir(), 'bundled', onProblem)),
    ...(await Promise.all(dirs.map((dir) => readRuleDir(path.resolve(dir), 'dir', onProblem)))).flat(),
  ];
  const pack = buildRulePack(files);
  return { rules: pack.rules, errors: [...errors, ...pack.errors] };
}
