/**
 * The address a request is counted under. By default the TCP peer; behind a trusted reverse proxy
 * (`api_trust_proxy_headers`), the left-most `X-Forwarded-For` entry, which the proxy set to the
 * client it saw. Only an entry that is an IP address is taken; anything else falls back to the
 * peer, so a malformed header cannot mint unlimited fresh keys out of arbitrary strings.
 *
 * Leaves out: the original's "public addresses only" rule (reference §11.1), which made every
 * client on a private network share the proxy's bucket.
 */
import net from 'node:net';

/** `::ffff:10.0.0.1` and `10.0.0.1` are one client; IPv6 is compared in lower case. */
export function normalizeAddress(address: string): string {
  const lower = address.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  return mapped ? mapped[1]! : lower;
}

/** One `X-Forwarded-For` entry as an IP, or undefined: accepts `[v6]`, `[v6]:port`, `v4:port`. */
function forwardedAddress(entry: string): string | undefined {
  let candidate = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(candidate);
  if (bracketed) candidate = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(candidate)) candidate = candidate.slice(0, candidate.lastIndexOf(':'));
  return net.isIP(candidate) ? normalizeAddress(candidate) : undefined;
}

/**
 * @param remoteAddress the TCP peer (`request.info.remoteAddress`)
 * @param forwardedFor the raw `X-Forwarded-For` header, if any
 * @param trustProxy `api_trust_proxy_headers`
 */
export function clientAddress(
  remoteAddress: string,
  forwardedFor: string | string[] | undefined,
  trustProxy: boolean,
): string {
  if (trustProxy && forwardedFor !== undefined) {
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
    const first = forwardedAddress(header.split(',')[0] ?? '');
    if (first) return first;
  }
  return normalizeAddress(remoteAddress);
}
