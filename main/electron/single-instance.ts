/** One Seerflow per user: a second launch focuses the first one's window and exits. */
import { app } from 'electron';

/** False (and the app is quitting) when another instance holds the lock. */
export function claimSingleInstance(onSecondInstance: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => onSecondInstance());
  return true;
}
