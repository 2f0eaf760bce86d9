/**
 * The dashboard's Content-Security-Policy: scripts only from this origin plus the inline
 * pre-paint theme script of index.html (allowed by its SHA-256, so no 'unsafe-inline'), network
 * access only to this origin and its stream endpoint (`/api/v1/ws`), no plugins, no framing.
 * Styles allow inline attributes: uPlot, Cytoscape and CodeMirror position their elements with them.
 */
import { createHash } from 'node:crypto';

const INLINE_SCRIPT = /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi;

/** `'sha256-…'` source expressions for each inline `<script>` of `html`. */
export function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(INLINE_SCRIPT)].map(([, body]) => `'sha256-${createHash('sha256').update(body ?? '', 'utf8').digest('base64')}'`);
}

/**
 * @param host the request's Host (already checked against the allowed hosts by api-security),
 *   so that the stream's ws:// and wss:// URLs can be named exactly.
 */
export function contentSecurityPolicy(host: string, scriptHashes: readonly string[]): string {
  const stream = host ? ` ws://${host}/api/v1/ws wss://${host}/api/v1/ws` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${scriptHashes.map((h) => ` ${h}`).join('')}`,
    `connect-src 'self'${stream}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
