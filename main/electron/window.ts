/**
 * The main window: the dashboard from the in-process server, with the renderer locked down
 * (no Node, no preload, sandboxed, isolated) and kept on the app's origin.
 */
import { BrowserWindow, type WebPreferences } from 'electron';
import { guardNavigation } from './navigation.js';
import { MIN_SIZE, type WindowState } from './window-state.js';

/** The renderer only speaks HTTP and WebSocket to the server: it needs no privileges at all. */
export const SECURE_WEB_PREFERENCES: WebPreferences = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
};

export interface MainWindowOptions {
  /** The dashboard's origin, `http://127.0.0.1:<port>`. */
  origin: string;
  state: WindowState;
  icon: string;
}

export function createMainWindow({ origin, state, icon }: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Seerflow',
    icon,
    width: state.width,
    height: state.height,
    ...(state.x !== undefined && state.y !== undefined ? { x: state.x, y: state.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    webPreferences: SECURE_WEB_PREFERENCES,
  });
  guardNavigation(window.webContents, origin);
  window.once('ready-to-show', () => {
    if (state.maximized) window.maximize();
    window.show();
  });
  return window;
}

/** Brings the window to the front, restoring it when minimized. */
export function focusWindow(window: BrowserWindow | undefined): void {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
