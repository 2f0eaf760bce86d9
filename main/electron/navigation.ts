/**
 * Keeps the window on the app: the renderer may navigate within the dashboard's origin only.
 * Links elsewhere (http, https, mailto) open in the system browser; any other scheme (file:,
 * custom protocol handlers) is refused outright. New windows are never created, and <webview>
 * cannot be attached.
 */
import { shell, type WebContents } from 'electron';

const EXTERNAL_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/** True when `url` belongs to the app (same scheme, host and port as `origin`). */
export function isAppUrl(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/** Hands a link to the system browser when its scheme is one a browser should open. */
export function openOutside(url: string): boolean {
  let scheme: string;
  try {
    scheme = new URL(url).protocol;
  } catch {
    return false;
  }
  if (!EXTERNAL_SCHEMES.has(scheme)) return false;
  void shell.openExternal(url);
  return true;
}

export function guardNavigation(contents: WebContents, origin: string): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, origin)) return;
    event.preventDefault();
    openOutside(url);
  });
  // A server-side redirect off the app is refused too (the dashboard never redirects away).
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, origin)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAppUrl(url, origin)) void contents.loadURL(url);
    else openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
