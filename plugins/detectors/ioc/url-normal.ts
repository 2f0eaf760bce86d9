/**
 * URL normalisation for matching: the same resource written two ways gives one string.
 *
 * WHATWG URL parsing (as browsers do) lowercases the scheme and host, turns IDNs into punycode,
 * drops a default port, resolves `.` and `..` path segments and gives an empty path as `/`. On
 * top of that (RFC 3986 §6.2.2): percent-escapes of unreserved characters are decoded and the
 * remaining escapes upper-cased; the fragment and any user:password are dropped (neither reaches
 * the server). The query is kept. Only http, https, ftp, ws and wss URLs are accepted.
 *
 * Pure: no I/O.
 */
/** Longest URL accepted as an indicator or probe (after normalisation); longer ones are refused. */
export const MAX_URL_LENGTH = 2048;

const SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);

/** The normalised URL, or undefined when `raw` is not an absolute URL of an accepted scheme. */
export function normalizeUrl(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > MAX_URL_LENGTH * 2) return undefined;
  const fast = plainHttpUrl(text);
  if (fast !== undefined) return fast.length <= MAX_URL_LENGTH ? fast : undefined;
  return whatwgNormalizeUrl(text);
}

/** `normalizeUrl` by WHATWG parsing alone (what `plainHttpUrl` must agree with). */
export function whatwgNormalizeUrl(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (!SCHEMES.has(url.protocol) || url.hostname.length === 0) return undefined;
  let host = url.host;
  if (host.endsWith('.')) host = host.slice(0, -1);
  else if (url.hostname.endsWith('.')) host = host.replace(/\.(?=:\d+$)/, '');
  let rest = url.pathname + url.search;
  if (rest.indexOf('%') !== -1) rest = rest.replace(ESCAPE_RE, normalizeEscape);
  const normal = `${url.protocol}//${host}${rest}`;
  return normal.length <= MAX_URL_LENGTH ? normal : undefined;
}

const ESCAPE_RE = /%([0-9a-fA-F]{2})/g;

function normalizeEscape(_match: string, hex: string): string {
  const code = parseInt(hex, 16);
  const unreserved =
    (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x2e || code === 0x5f || code === 0x7e;
  return unreserved ? String.fromCharCode(code) : `%${hex.toUpperCase()}`;
}

// ── The common case without a URL object ────────────────────────────────────────────────────────

/** Path and query characters that WHATWG parsing leaves as they are (no `%`, `\\`, `#`, `'`). */
const PLAIN_REST = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&()*+,;=:@/?') PLAIN_REST[c.charCodeAt(0)] = 1;

/**
 * `http(s)://host[:port][/path][?query][#fragment]` with a plain host name (letters, digits,
 * hyphens, inner dots; not ending in a number, which WHATWG would read as an IPv4 address), a
 * port without leading zeros, and a path and query of characters WHATWG keeps as they are and
 * no dot segments: normalised here exactly as `normalizeUrl`'s WHATWG path would, about five
 * times faster. Anything else is undefined, for the WHATWG path.
 */
export function plainHttpUrl(text: string): string | undefined {
  let i: number;
  let https: boolean;
  if (startsWithIgnoreCase(text, 'http://')) {
    i = 7;
    https = false;
  } else if (startsWithIgnoreCase(text, 'https://')) {
    i = 8;
    https = true;
  } else return undefined;
  // Host.
  const hostStart = i;
  let lower = true;
  let lastLabelStart = i;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (i === lastLabelStart) return undefined; // empty label, or a leading dot
      lastLabelStart = i + 1;
    } else if (c >= 0x41 && c <= 0x5a) lower = false;
    else if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d)) break;
  }
  const hostEnd = i;
  if (hostEnd === hostStart || lastLabelStart === hostEnd) return undefined; // no host, or a trailing dot
  const lastLabel = text.charCodeAt(lastLabelStart);
  if (lastLabel >= 0x30 && lastLabel <= 0x39) return undefined; // an IPv4 form, for WHATWG to read
  const punycode = text.indexOf('-', hostStart);
  if (punycode !== -1 && punycode < hostEnd && /xn--/i.test(text.slice(hostStart, hostEnd))) return undefined; // WHATWG validates punycode
  // Port.
  let port = '';
  if (text.charCodeAt(i) === 0x3a) {
    const portStart = ++i;
    while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    if (i === portStart || text.charCodeAt(portStart) === 0x30 || i - portStart > 5) return undefined;
    const number = Number(text.slice(portStart, i));
    if (number > 65_535) return undefined;
    if (number !== (https ? 443 : 80)) port = `:${number}`;
  }
  // Path and query, up to a fragment.
  const restStart = i;
  let end = text.length;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x23) {
      end = i;
      break;
    }
    if (c >= 128 || PLAIN_REST[c] === 0) return undefined;
    if (c === 0x2e && text.charCodeAt(i - 1) === 0x2f) return undefined; // a possible dot segment
  }
  if (restStart < end && text.charCodeAt(restStart) !== 0x2f && text.charCodeAt(restStart) !== 0x3f) return undefined;
  const bareQuery = end > restStart && text.charCodeAt(end - 1) === 0x3f && text.indexOf('?', restStart) === end - 1;
  // Already normal (the usual case): the text itself, without building a new string.
  if (lower && hostEnd === restStart && !bareQuery && text.charCodeAt(restStart) === 0x2f) {
    const schemeLower = text.charCodeAt(0) === 0x68 && text.charCodeAt(1) === 0x74 && text.charCodeAt(2) === 0x74 && text.charCodeAt(3) === 0x70 && (!https || text.charCodeAt(4) === 0x73);
    if (schemeLower) return end === text.length ? text : text.slice(0, end);
  }
  const host = lower ? text.slice(hostStart, hostEnd) : text.slice(hostStart, hostEnd).toLowerCase();
  let rest = text.slice(restStart, bareQuery ? end - 1 : end);
  if (rest.length === 0 || rest.charCodeAt(0) === 0x3f) rest = `/${rest}`;
  return `${https ? 'https' : 'http'}://${host}${port}${rest}`;
}

/** `prefix` is lowercase. */
function startsWithIgnoreCase(text: string, prefix: string): boolean {
  if (text.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    const c = text.charCodeAt(i);
    const p = prefix.charCodeAt(i);
    if (c !== p && !(p >= 0x61 && p <= 0x7a && c === p - 0x20)) return false;
  }
  return true;
}
