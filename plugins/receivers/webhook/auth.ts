/**
 * Webhook authentication: a shared token in a header, and/or an HMAC-SHA256 signature of the raw
 * body (hex, optionally prefixed `sha256=` as GitHub and others send it). Both compare in
 * constant time: digests of equal length are compared, so neither content nor length leaks.
 */
import crypto from 'node:crypto';
import type { WebhookEndpointConfig } from '../../../main/config/types.js';

function digest(text: string): Buffer {
  return crypto.createHash('sha256').update(text).digest();
}

export function safeEqual(a: string, b: string): boolean {
  return crypto.timingSafeEqual(digest(a), digest(b));
}

export function isAuthorized(
  endpoint: WebhookEndpointConfig,
  headers: Record<string, unknown>,
  body: Buffer,
): boolean {
  const header = (name: string) => {
    const value = headers[name.toLowerCase()];
    return typeof value === 'string' ? value : undefined;
  };
  if (endpoint.auth_header && endpoint.auth_token) {
    if (!safeEqual(header(endpoint.auth_header) ?? '', endpoint.auth_token)) return false;
  }
  if (endpoint.hmac_secret) {
    const sent = (header(endpoint.hmac_header) ?? '').replace(/^sha256=/i, '').toLowerCase();
    const expected = crypto.createHmac('sha256', endpoint.hmac_secret).update(body).digest('hex');
    if (!safeEqual(sent, expected)) return false;
  }
  return true;
}
