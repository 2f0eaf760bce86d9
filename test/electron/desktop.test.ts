/**
 * The desktop shell end to end, with a stand-in for Electron and a real appliance in the test
 * process: single instance, the dashboard port and its fallback, window state across runs, the
 * menu and tray, and the drain on quit.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../support/appliance.js';
import * as electron from './fake-electron.js';

vi.mock('electron', () => import('./fake-electron.js'));
vi.mock('../../main/server.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../main/server.js')>();
  return { ...real, stopServer: vi.fn(real.stopServer) };
});

const { startDesktop } = await import('../../main/electron/desktop.js');
const { stopServer } = await import('../../main/server.js');

const blockers: net.Server[] = [];
const running: Array<() => void> = [];

beforeEach(() => electron.resetFakeElectron());
afterEach(async () => {
  for (const quit of running.splice(0)) quit();
  await vi.waitFor(() => expect(electron.app.quitted || electron.app.exit.mock.calls.length > 0 || !electron.app.listenerCount('before-quit')).toBe(true), { timeout: 20_000 });
  blockers.splice(0).forEach((server) => server.close());
});

async function occupiedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  blockers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as net.AddressInfo).port;
}

function writeConfig(dir: string, dashboardPort: number, extra = ''): string {
  const file = path.join(dir, 'seerflow.yaml');
  fs.writeFileSync(
    file,
    [
      `dashboard_port: ${dashboardPort}`,
      'log_level: ERROR',
      'storage:',
      `  data_dir: ${dir}`,
      '  writer_flush_ms: 20',
      'receivers:',
      '  bind_addr: 127.0.0.1',
      '  syslog_udp_port: 0',
      '  syslog_tcp_port: 0',
      '  otlp_grpc_enabled: false',
      '  otlp_http_port: 0',
      extra,
    ].join('\n'),
  );
  return file;
}

async function launch(configFile: string) {
  const desktop = await startDesktop(configFile);
  if (desktop) running.push(() => electron.app.quit());
  return desktop;
}

describe('the desktop app', () => {
  it('starts the appliance on the configured port and shows its dashboard in the window', async () => {
    const dir = tempDir();
    const port = await occupiedPort();
    blockers.pop()!.close();
    const desktop = await launch(writeConfig(dir, port));
    expect(desktop!.appliance.origin).toBe(`http://127.0.0.1:${port}`);
    const window = electron.BrowserWindow.instances[0]!;
    expect(window.loadURL).toHaveBeenCalledWith(`http://127.0.0.1:${port}/`);
    const health = await fetch(`http://127.0.0.1:${port}/api/v1/health`);
    expect([200, 503]).toContain(health.status);
    expect(window.visible).toBe(true);
    expect(electron.app.enableSandbox).toHaveBeenCalled();
  });

  it('takes another free port when the configured one is in use', async () => {
    const dir = tempDir();
    const taken = await occupiedPort();
    const desktop = await launch(writeConfig(dir, taken));
    const { port } = new URL(desktop!.appliance.origin);
    expect(Number(port)).not.toBe(taken);
    expect(electron.BrowserWindow.instances[0]!.loadURL).toHaveBeenCalledWith(`http://127.0.0.1:${port}/`);
    expect((await fetch(`http://127.0.0.1:${port}/api/v1/demo`)).status).toBe(200);
  });

  it('quits at once when another instance holds the lock, starting nothing', async () => {
    electron.app.hasLock = false;
    expect(await startDesktop(writeConfig(tempDir(), 0))).toBeUndefined();
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.BrowserWindow.instances).toEqual([]);
  });

  it('brings the first window forward when a second instance starts', async () => {
    await launch(writeConfig(tempDir(), 0));
    const window = electron.BrowserWindow.instances[0]!;
    window.minimized = true;
    window.focused = false;
    electron.app.emit('second-instance');
    expect(window.restore).toHaveBeenCalled();
    expect(window.focused).toBe(true);
  });

  it('remembers the window bounds and maximized state in the data folder for the next run', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 0);
    await launch(config);
    const first = electron.BrowserWindow.instances[0]!;
    expect(first.options).toMatchObject({ width: 1400, height: 900 });
    first.bounds = { x: 120, y: 60, width: 1280, height: 720 };
    first.maximized = true;
    first.emit('close');
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'window-state.json'), 'utf8'))).toEqual({ x: 120, y: 60, width: 1280, height: 720, maximized: true });
    running.pop()!();
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true), { timeout: 20_000 });

    electron.resetFakeElectron();
    await launch(config);
    const second = electron.BrowserWindow.instances[0]!;
    expect(second.options).toMatchObject({ x: 120, y: 60, width: 1280, height: 720 });
    expect(second.maximize).toHaveBeenCalled();
  });

  it('offers open dashboard, show data folder and quit in the tray and the app menu', async () => {
    const dir = tempDir();
    await launch(writeConfig(dir, 0));
    const tray = electron.Tray.instances[0]!;
    expect(tray.icon).toBe(path.join('/opt/seerflow-sources', 'build', 'icons', 'tray.png'));
    expect(tray.contextMenu!.template.filter((item) => item.label).map((item) => item.label)).toEqual([
      'Open Dashboard',
      'Show Data Folder',
      'Quit Seerflow',
    ]);
    tray.choose('Show Data Folder');
    expect(electron.shell.openPath).toHaveBeenCalledWith(dir);
    const window = electron.BrowserWindow.instances[0]!;
    window.minimized = true;
    tray.choose('Open Dashboard');
    expect(window.minimized).toBe(false);
    const appMenu = electron.Menu.setApplicationMenu.mock.calls[0]![0] as { template: Array<{ label?: string; submenu?: Array<{ label?: string }> }> };
    const file = appMenu.template.find((menu) => menu.label === 'File')!;
    expect(file.submenu!.map((item) => item.label).filter(Boolean)).toEqual(['Open Dashboard', 'Show Data Folder', 'Quit Seerflow']);
  });

  it('drains the appliance once when quitting, then quits; a second quit meanwhile changes nothing', async () => {
    const dir = tempDir();
    const desktop = await launch(writeConfig(dir, 0));
    running.pop();
    const { origin } = desktop!.appliance;
    const tray = electron.Tray.instances[0]!;
    tray.choose('Quit Seerflow');
    expect(electron.app.quitted).toBe(false);
    electron.app.quit(); // e.g. the last window closing during the drain
    electron.app.emit('window-all-closed');
    expect(stopServer).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(electron.app.quitted).toBe(true), { timeout: 20_000 });
    expect(stopServer).toHaveBeenCalledTimes(1);
    // The drain resolved before the quit: the store is closed and the dashboard port released.
    await expect(fetch(`${origin}/api/v1/health`)).rejects.toThrow();
  });

  it('tells the user why it cannot start, and exits 1', async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 0, 'nonsense_key: 1');
    expect(await startDesktop(config)).toBeUndefined();
    expect(electron.dialog.showErrorBox).toHaveBeenCalledWith('Seerflow could not start', expect.stringContaining('nonsense_key'));
    expect(electron.app.exit).toHaveBeenCalledWith(1);
  });
});
