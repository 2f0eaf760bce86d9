/**
 * A stand-in for the `electron` module (no Electron binary runs here): just enough of app,
 * BrowserWindow, webContents, session, Menu, Tray, shell, dialog and screen for the desktop
 * shell's logic, recording what it was asked to do. Tests `vi.mock('electron', ...)` with it and
 * call `resetFakeElectron()` before each test.
 */
import { EventEmitter } from 'node:events';
import { vi, type Mock } from 'vitest';

/** An Electron event: listeners may call preventDefault(). */
export class FakeEvent {
  defaultPrevented = false;
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

interface FakeApp extends EventEmitter {
  hasLock: boolean;
  /** Set when a quit went through (no before-quit listener held it back). */
  quitted: boolean;
  isPackaged: boolean;
  requestSingleInstanceLock: Mock<() => boolean>;
  quit: Mock<() => void>;
  exit: Mock<(code?: number) => void>;
  enableSandbox: Mock<() => void>;
  whenReady: Mock<() => Promise<void>>;
  getAppPath(): string;
}

export const app = new EventEmitter() as FakeApp;

class FakeWebContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  loadURL = vi.fn(async (_url: string) => {});

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.openHandler = handler;
  }

  /** Fires `name` as Chromium would; true when no listener prevented it. */
  attempt(name: 'will-navigate' | 'will-redirect' | 'will-attach-webview', url = ''): boolean {
    const event = new FakeEvent();
    this.emit(name, event, url);
    return !event.defaultPrevented;
  }
}

interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows = () => [...BrowserWindow.instances];
  readonly options: Record<string, unknown>;
  readonly webContents = new FakeWebContents();
  bounds: Bounds;
  minimized = false;
  maximized = false;
  visible = false;
  focused = false;
  loadURL = vi.fn(async (_url: string) => void this.emit('ready-to-show'));

  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    this.bounds = { x: (options.x as number) ?? 10, y: (options.y as number) ?? 10, width: options.width as number, height: options.height as number };
    BrowserWindow.instances.push(this);
  }

  isMinimized = () => this.minimized;
  isMaximized = () => this.maximized;
  isDestroyed = () => false;
  getNormalBounds = () => ({ ...this.bounds });
  restore = vi.fn(() => void (this.minimized = false));
  maximize = vi.fn(() => void (this.maximized = true));
  show = vi.fn(() => void (this.visible = true));
  focus = vi.fn(() => void (this.focused = true));
}

export const Menu = {
  buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
  setApplicationMenu: vi.fn(),
};

export class Tray extends EventEmitter {
  static instances: Tray[] = [];
  contextMenu: { template: Array<{ label?: string; click?: () => void }> } | undefined;
  tooltip = '';

  constructor(readonly icon: string) {
    super();
    Tray.instances.push(this);
  }

  setToolTip(text: string): void {
    this.tooltip = text;
  }

  setContextMenu(menu: { template: Array<{ label?: string; click?: () => void }> }): void {
    this.contextMenu = menu;
  }

  /** Clicks the context-menu item with this label. */
  choose(label: string): void {
    const item = this.contextMenu?.template.find((entry) => entry.label === label);
    if (!item?.click) throw new Error(`no tray item "${label}"`);
    item.click();
  }
}

export const shell = {
  openExternal: vi.fn(async (_url: string) => {}),
  openPath: vi.fn(async (_path: string) => ''),
};

export const dialog = { showErrorBox: vi.fn() };

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1050 } }] };

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, requestingOrigin: string) => boolean;
type HeadersListener = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
) => void;

export const session = {
  defaultSession: {
    requestHandler: undefined as PermissionRequestHandler | undefined,
    checkHandler: undefined as PermissionCheckHandler | undefined,
    headersListener: undefined as HeadersListener | undefined,
    setPermissionRequestHandler(handler: PermissionRequestHandler) {
      this.requestHandler = handler;
    },
    setPermissionCheckHandler(handler: PermissionCheckHandler) {
      this.checkHandler = handler;
    },
    webRequest: {
      onHeadersReceived(listener: HeadersListener) {
        session.defaultSession.headersListener = listener;
      },
    },
  },
};

export function resetFakeElectron(): void {
  app.removeAllListeners();
  Object.assign(app, {
    hasLock: true,
    quitted: false,
    isPackaged: false,
    requestSingleInstanceLock: vi.fn(() => app.hasLock),
    // Like Electron: before-quit listeners may hold the quit back.
    quit: vi.fn(() => {
      const event = new FakeEvent();
      app.emit('before-quit', event);
      if (!event.defaultPrevented) app.quitted = true;
    }),
    exit: vi.fn(),
    enableSandbox: vi.fn(),
    whenReady: vi.fn(async () => {}),
    getAppPath: () => '/opt/seerflow-sources',
  });
  BrowserWindow.instances = [];
  Tray.instances = [];
  Object.assign(session.defaultSession, { requestHandler: undefined, checkHandler: undefined, headersListener: undefined });
  vi.clearAllMocks();
}

resetFakeElectron();
