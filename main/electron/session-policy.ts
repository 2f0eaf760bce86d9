/**
 * The renderer session's policy: every permission request is refused except writing to the
 * clipboard from the app itself (the first-run page copies commands), and every response from
 * the app carries a Content-Security-Policy: the dashboard's own when the server sent it, else
 * the same policy without inline-script hashes (API answers, error pages).
 */
import type { Session } from 'electron';
import { contentSecurityPolicy } from '../../plugins/dashboard/csp.js';
import { isAppUrl } from './navigation.js';

/** The policy for app responses that have none of their own. */
export function fallbackCsp(origin: string): string {
  return contentSecurityPolicy(new URL(origin).host, []);
}

const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

function hasHeader(headers: Record<string, string[]>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

export function applySessionPolicy(session: Session, origin: string): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl, origin));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return ALLOWED_PERMISSIONS.has(permission) && requestingOrigin === origin;
  });
  const fallback = fallbackCsp(origin);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = details.responseHeaders ?? {};
    if (!isAppUrl(details.url, origin) || hasHeader(headers, 'content-security-policy')) return callback({});
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [fallback] } });
  });
}
