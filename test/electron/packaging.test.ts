/**
 * The electron-builder config, checked against electron-builder's own schema (packaging itself
 * needs the Electron binaries, which cannot be downloaded here), and the files it refers to.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CONFIG = 'build/electron-builder.yml';
const require = createRequire(import.meta.url);

interface BuilderConfig {
  linux: { target: string[]; icon: string };
  mac: { target: string; icon: string };
  win: { target: string; icon: string };
  extraResources: Array<{ from: string; to: string; filter: string[] }>;
}

describe('packaging (build/electron-builder.yml)', () => {
  it('is valid for electron-builder', async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const config = await getConfig(ROOT, CONFIG, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('builds AppImage and deb, dmg, and an NSIS installer, with icons that exist', () => {
    const config = YAML.parse(fs.readFileSync(path.join(ROOT, CONFIG), 'utf8')) as BuilderConfig;
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
    for (const icon of [config.linux.icon, config.mac.icon, config.win.icon]) {
      const png = fs.readFileSync(path.join(ROOT, icon));
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512); // width: macOS needs 512 px
    }
    const icons = config.extraResources.find((entry) => entry.to === 'icons')!;
    for (const name of icons.filter) expect(fs.existsSync(path.join(ROOT, icons.from, name)), name).toBe(true);
  });

  it('is what `npm run dist` packs with, after building the bundles', () => {
    const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts.dist).toBe(`electron-vite build && electron-builder --config ${CONFIG} --publish never`);
    expect(scripts.desktop).toBe('electron-vite build && electron .');
  });
});
