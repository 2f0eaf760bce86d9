import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/support/appliance.js';
import { DEFAULT_WINDOW_STATE, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from './window-state.js';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1050 }];

describe('window state', () => {
  it('round-trips bounds and maximized through the data folder', () => {
    const file = path.join(tempDir(), 'nested', WINDOW_STATE_FILE);
    saveWindowState(file, { x: 100, y: 80, width: 1200, height: 800, maximized: true });
    expect(loadWindowState(file, SCREEN)).toEqual({ x: 100, y: 80, width: 1200, height: 800, maximized: true });
  });

  it('uses the default when nothing is saved or the file is unreadable', () => {
    const dir = tempDir();
    expect(loadWindowState(path.join(dir, WINDOW_STATE_FILE), SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{"width": "wide"');
    expect(loadWindowState(path.join(dir, WINDOW_STATE_FILE), SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
    fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), 'null');
    expect(loadWindowState(path.join(dir, WINDOW_STATE_FILE), SCREEN)).toEqual(DEFAULT_WINDOW_STATE);
  });

  it('drops a position no display shows any more, and grows a too-small size to the minimum', () => {
    const file = path.join(tempDir(), WINDOW_STATE_FILE);
    saveWindowState(file, { x: 3000, y: 100, width: 200, height: 100, maximized: false });
    expect(loadWindowState(file, SCREEN)).toEqual({ width: 800, height: 560, maximized: false });
    expect(loadWindowState(file, [...SCREEN, { x: 1920, y: 0, width: 2560, height: 1400 }])).toMatchObject({ x: 3000, y: 100 });
  });
});
