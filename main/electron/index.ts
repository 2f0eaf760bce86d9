/**
 * The desktop shell: one instance, one window showing the dashboard from the in-process server
 * over http://127.0.0.1 (not file://, so the WebSocket origin check holds). The renderer gets no
 * Node access and cannot navigate away from the app's origin. Quitting drains and closes the
 * store like SIGTERM does for the headless appliance.
 */
import { BrowserWindow, app, shell } from 'electron';
import { loadConfig } from '../config/load.js';
import { systemClockNs } from '../core/clock.js';
import { createLogger } from '../cli/logger.js';
import { findRendererDir } from '../cli/start.js';
import { createServer, stopServer } from '../server.js';

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const { config } = loadConfig(process.env.SEERFLOW_CONFIG);
  const logger = createLogger(config.log_level);
  const server = await createServer({ config, logger, clock: systemClockNs, rendererDir: findRendererDir() });
  await server.start();
  const origin = new URL(server.info.uri).origin;

  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  window.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== origin) {
      event.preventDefault();
      void shell.openExternal(url);
    }
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  app.on('second-instance', () => window.isMinimized() ? window.restore() : window.focus());
  await window.loadURL(origin);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void stopServer(server).finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => app.quit());
}

main().catch((error: Error) => {
  process.stderr.write(`seerflow: ${error.message}\n`);
  app.exit(1);
});
