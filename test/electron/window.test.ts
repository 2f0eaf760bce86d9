/** The main window's security: renderer options, navigation, new windows, permissions, CSP. */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electron from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));

const { createMainWindow, SECURE_WEB_PREFERENCES } = await import('../../main/electron/window.js');
const { applySessionPolicy, fallbackCsp } = await import('../../main/electron/session-policy.js');

const ORIGIN = 'http://127.0.0.1:8080';
const STATE = { width: 1200, height: 800, maximized: false };

function openWindow() {
  createMainWindow({ origin: ORIGIN, state: STATE, icon: '/icons/icon.png' });
  return electron.BrowserWindow.instances.at(-1)!;
}

beforeEach(() => electron.resetFakeElectron());

describe('the main window', () => {
  it('gives the renderer no Node, no preload, a sandbox and context isolation', () => {
    const window = openWindow();
    expect(window.options.webPreferences).toEqual(SECURE_WEB_PREFERENCES);
    expect(SECURE_WEB_PREFERENCES).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
    expect(SECURE_WEB_PREFERENCES).not.toHaveProperty('preload');
    expect(window.options).toMatchObject({ width: 1200, height: 800, show: false, icon: '/icons/icon.png' });
  });

  it('shows itself once painted, maximized when it was last time', () => {
    createMainWindow({ origin: ORIGIN, state: { ...STATE, maximized: true, x: 40, y: 50 }, icon: '' });
    const window = electron.BrowserWindow.instances.at(-1)!;
    expect(window.options).toMatchObject({ x: 40, y: 50 });
    expect(window.visible).toBe(false);
    window.emit('ready-to-show');
    expect(window.maximize).toHaveBeenCalled();
    expect(window.visible).toBe(true);
  });

  it('navigates within the app only; web links open in the system browser, other schemes nowhere', () => {
    const { webContents } = openWindow();
    expect(webContents.attempt('will-navigate', `${ORIGIN}/alerts/42`)).toBe(true);
    expect(webContents.attempt('will-navigate', 'https://attack.mitre.org/techniques/T1110/')).toBe(false);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://attack.mitre.org/techniques/T1110/');
    // Same host, other port: another origin.
    expect(webContents.attempt('will-navigate', 'http://127.0.0.1:9999/')).toBe(false);
    electron.shell.openExternal.mockClear();
    expect(webContents.attempt('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(webContents.attempt('will-navigate', 'smb://fileserver/share')).toBe(false);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
    expect(webContents.attempt('will-redirect', 'https://evil.example/')).toBe(false);
    expect(webContents.attempt('will-attach-webview')).toBe(false);
  });

  it('never opens a new window: external links go to the browser, app links load in place', () => {
    const { webContents } = openWindow();
    expect(webContents.openHandler!({ url: 'https://github.com/SigmaHQ/sigma' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://github.com/SigmaHQ/sigma');
    expect(webContents.openHandler!({ url: `${ORIGIN}/entities/abc` })).toEqual({ action: 'deny' });
    expect(webContents.loadURL).toHaveBeenCalledWith(`${ORIGIN}/entities/abc`);
    expect(webContents.openHandler!({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});

describe('the session policy', () => {
  const ses = electron.session.defaultSession;
  const request = (permission: string, requestingUrl: string) =>
    new Promise<boolean>((resolve) => ses.requestHandler!(null, permission, resolve, { requestingUrl }));

  it('refuses every permission but clipboard writes from the app itself', async () => {
    applySessionPolicy(ses as never, ORIGIN);
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      expect(await request(permission, `${ORIGIN}/`)).toBe(false);
      expect(ses.checkHandler!(null, permission, ORIGIN)).toBe(false);
    }
    expect(await request('clipboard-sanitized-write', `${ORIGIN}/`)).toBe(true);
    expect(ses.checkHandler!(null, 'clipboard-sanitized-write', ORIGIN)).toBe(true);
    expect(await request('clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
    expect(ses.checkHandler!(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false);
  });

  it('adds a CSP to app responses that have none, and leaves the server’s own alone', () => {
    applySessionPolicy(ses as never, ORIGIN);
    const answer = (url: string, responseHeaders: Record<string, string[]>) => {
      let result: { responseHeaders?: Record<string, string[]> } = {};
      ses.headersListener!({ url, responseHeaders }, (response) => (result = response));
      return result;
    };
    expect(answer(`${ORIGIN}/api/v1/health`, { 'content-type': ['application/json'] }).responseHeaders).toEqual({
      'content-type': ['application/json'],
      'Content-Security-Policy': [fallbackCsp(ORIGIN)],
    });
    expect(fallbackCsp(ORIGIN)).toMatch(/^default-src 'self'; script-src 'self'; connect-src 'self' ws:\/\/127\.0\.0\.1:8080\/api\/v1\/ws /);
    expect(fallbackCsp(ORIGIN)).toContain("object-src 'none'");
    expect(answer(`${ORIGIN}/`, { 'content-security-policy': ["default-src 'self'"] })).toEqual({});
    expect(answer('https://elsewhere.example/', {})).toEqual({});
  });
});
