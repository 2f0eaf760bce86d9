/**
 * Quitting drains the appliance first, exactly once: the first quit request (menu, tray, last
 * window closed, SIGTERM) is held back while `drain` runs; requests during the drain are held
 * too; once it has settled the app quits for real.
 */
import { app } from 'electron';

export function drainOnQuit(drain: () => Promise<unknown>, onError: (error: Error) => void): void {
  let phase: 'running' | 'draining' | 'drained' = 'running';
  app.on('before-quit', (event) => {
    if (phase === 'drained') return;
    event.preventDefault();
    if (phase === 'draining') return;
    phase = 'draining';
    drain()
      .catch((error: Error) => onError(error))
      .finally(() => {
        phase = 'drained';
        app.quit();
      });
  });
}
