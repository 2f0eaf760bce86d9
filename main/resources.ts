/**
 * Where the shipped data lives (`resources/`: bundled Sigma rules, ATT&CK table…), found from
 * wherever this module runs: the sources (main/, run by tsx or vitest), or the bundle
 * (out/main/ or out/main/chunks/).
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function resourcesDir(): string {
  if (cached) return cached;
  const candidates = ['../resources/', '../../resources/', '../../../resources/'].map((rel) =>
    fileURLToPath(new URL(rel, import.meta.url)),
  );
  cached = candidates.find((dir) => fs.existsSync(`${dir}sigma`));
  if (!cached) throw new Error(`the resources folder was not found (looked in ${candidates.join(', ')})`);
  return cached;
}
