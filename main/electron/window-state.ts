/**
 * The main window's size, position and maximized state, remembered between runs in
 * `<data_dir>/window-state.json`. A missing, unreadable or off-screen state (a monitor that is no
 * longer attached) falls back to the default size, centred by the system.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BrowserWindow, Rectangle } from 'electron';

export interface WindowState {
  width: number;
  height: number;
  /** Absent: let the system place the window. */
  x?: number;
  y?: number;
  maximized: boolean;
}

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1400, height: 900, maximized: false };
/** The smallest window the dashboard lays out in. */
export const MIN_SIZE = { width: 800, height: 560 };

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function intersects(a: Rectangle, b: Rectangle): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * The saved state, checked: sizes at least the minimum, the position kept only when the window
 * would show on one of `workAreas` (the displays' usable areas).
 */
export function loadWindowState(file: string, workAreas: readonly Rectangle[]): WindowState {
  let saved: Record<string, unknown>;
  try {
    saved = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (saved === null || typeof saved !== 'object' || !isFiniteNumber(saved.width) || !isFiniteNumber(saved.height)) {
    return { ...DEFAULT_WINDOW_STATE };
  }
  const state: WindowState = {
    width: Math.max(MIN_SIZE.width, Math.round(saved.width)),
    height: Math.max(MIN_SIZE.height, Math.round(saved.height)),
    maximized: saved.maximized === true,
  };
  if (isFiniteNumber(saved.x) && isFiniteNumber(saved.y)) {
    const bounds = { x: Math.round(saved.x), y: Math.round(saved.y), width: state.width, height: state.height };
    if (workAreas.some((area) => intersects(bounds, area))) Object.assign(state, { x: bounds.x, y: bounds.y });
  }
  return state;
}

export function saveWindowState(file: string, state: WindowState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename: a crash mid-write never leaves half a file.
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(state)}\n`);
  fs.renameSync(`${file}.tmp`, file);
}

/** Saves the window's state when it closes: its normal (unmaximized) bounds and whether it was maximized. */
export function rememberWindowState(window: BrowserWindow, file: string, onError: (error: Error) => void): void {
  window.on('close', () => {
    const { x, y, width, height } = window.getNormalBounds();
    try {
      saveWindowState(file, { x, y, width, height, maximized: window.isMaximized() });
    } catch (error) {
      onError(error as Error);
    }
  });
}
