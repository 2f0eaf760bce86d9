/**
 * The desktop shell, assembled: one instance; the appliance in this process; a locked-down
 * window on its dashboard, remembered between runs; the app menu and tray; quitting drains.
 * Nothing here runs outside Electron: the headless appliance never imports `main/electron/`.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog, screen, session, shell, type Tray } from 'electron';
import { loadConfig } from '../config/load.js';
import { createLogger } from '../cli/logger.js';
import { stopServer } from '../server.js';
import { startDesktopAppliance, type DesktopAppliance } from './appliance.js';
import { drainOnQuit } from './drain-on-quit.js';
import { installMenus } from './menu.js';
import { applySessionPolicy } from './session-policy.js';
import { claimSingleInstance } from './single-instance.js';
import { createMainWindow, focusWindow } from './window.js';
import { loadWindowState, rememberWindowState, WINDOW_STATE_FILE } from './window-state.js';

export interface Desktop {
  appliance: DesktopAppliance;
  window: BrowserWindow;
  tray: Tray;
}

/** Icons ship in `resources/icons` of the package, and live in `build/icons` of the sources. */
function iconPath(name: string): string {
  return app.isPackaged ? path.join(process.resourcesPath, 'icons', name) : path.join(app.getAppPath(), 'build', 'icons', name);
}

/**
 * Starts the desktop app; resolves once the window shows the dashboard, or with undefined when
 * another instance is running or the appliance could not start (the user was told why).
 */
export async function startDesktop(configPath = process.env.SEERFLOW_CONFIG): Promise<Desktop | undefined> {
  if (!claimSingleInstance(() => focusWindow(BrowserWindow.getAllWindows()[0]))) return undefined;
  app.enableSandbox(); // every renderer, whatever its options
  await app.whenReady();

  let appliance: DesktopAppliance;
  try {
    const { config } = loadConfig(configPath);
    appliance = await startDesktopAppliance(config, createLogger(config.log_level));
  } catch (error) {
    dialog.showErrorBox('Seerflow could not start', (error as Error).message);
    app.exit(1);
    return undefined;
  }
  const { server, config, origin } = appliance;
  drainOnQuit(() => stopServer(server), (error) => server.logger.error({ err: error.message }, 'drain on quit failed'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => app.quit());

  applySessionPolicy(session.defaultSession, origin);
  const stateFile = path.join(config.storage.data_dir, WINDOW_STATE_FILE);
  const workAreas = screen.getAllDisplays().map((display) => display.workArea);
  const window = createMainWindow({ origin, state: loadWindowState(stateFile, workAreas), icon: iconPath('icon.png') });
  rememberWindowState(window, stateFile, (error) => server.logger.warn({ err: error.message }, 'window state not saved'));
  // The window is the app: closing it quits (and drains), on every platform.
  app.on('window-all-closed', () => app.quit());

  const tray = installMenus(
    {
      openDashboard: () => focusWindow(window),
      showDataFolder: () => void shell.openPath(config.storage.data_dir),
      quit: () => app.quit(),
    },
    iconPath('tray.png'),
  );
  server.logger.info({ url: origin, data: config.storage.data_dir }, 'seerflow desktop started');
  // A failed load shows Chromium's error page; the appliance keeps running and Reload retries.
  await window.loadURL(`${origin}/`).catch((error: Error) => server.logger.warn({ err: error.message }, 'dashboard did not load'));
  return { appliance, window, tray };
}
