/** The appliance runs under plain Node: only the desktop shell (main/electron/) may import Electron. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const IMPORTS_ELECTRON = /(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron(?:\/[^'"]*)?['"]/;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(?:ts|vue|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('Electron stays in the desktop shell', () => {
  it('is imported by main/electron/ only', () => {
    const files = ['main', 'plugins', 'renderer', 'bin'].flatMap((dir) => (fs.existsSync(path.join(ROOT, dir)) ? sourceFiles(path.join(ROOT, dir)) : []));
    const shell = files.filter((file) => file.startsWith(path.join(ROOT, 'main', 'electron') + path.sep));
    expect(shell.some((file) => IMPORTS_ELECTRON.test(fs.readFileSync(file, 'utf8')))).toBe(true);
    const outside = files.filter((file) => !shell.includes(file) && IMPORTS_ELECTRON.test(fs.readFileSync(file, 'utf8')));
    expect(outside.map((file) => path.relative(ROOT, file))).toEqual([]);
  });
});
