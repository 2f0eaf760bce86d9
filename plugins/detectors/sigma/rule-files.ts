/**
 * Rule files on disk: every `.yml`/`.yaml` below a folder, and a cheap fingerprint of the folders
 * (paths, sizes, modification times) so the plugin notices added, changed and removed rules.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { RuleFile, RuleOrigin } from './pack.js';

const PATTERN = '**/*.{yml,yaml}';

async function listRuleFiles(dir: string): Promise<string[]> {
  try {
    return (await fg(PATTERN, { cwd: dir, absolute: true, onlyFiles: true, followSymbolicLinks: false })).sort();
  } catch {
    return []; // a folder that does not exist (yet) holds no rules
  }
}

/** The rule files of a folder; unreadable ones are reported through `onProblem` and skipped. */
export async function readRuleDir(dir: string, origin: RuleOrigin, onProblem: (message: string) => void): Promise<RuleFile[]> {
  const out: RuleFile[] = [];
  for (const file of await listRuleFiles(dir)) {
    try {
      out.push({ file: path.relative(path.dirname(dir), file), text: await fs.readFile(file, 'utf8'), origin });
    } catch (error) {
      onProblem(`${file}: cannot read (${(error as Error).message})`);
    }
  }
  return out;
}

/** Changes whenever a rule file below `dirs` is added, removed or modified. */
export async function fingerprint(dirs: readonly string[]): Promise<string> {
  const parts: string[] = [];
  for (const dir of dirs) {
    for (const file of await listRuleFiles(dir)) {
      const stat = await fs.stat(file).catch(() => undefined);
      if (stat) parts.push(`${file}:${stat.size}:${stat.mtimeMs}`);
    }
  }
  return parts.join('\n');
}
