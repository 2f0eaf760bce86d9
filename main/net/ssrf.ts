/**
 * SSRF guard for every outbound URL (threat-intel feeds, alert webhooks): a URL may only reach
 * public unicast addresses, unless its config sets `allow_private_addresses`.
 *
 * Refused (IANA special-purpose registries): "this network", private (RFC 1918), CGNAT
 * (100.64/10), loopback, link-local, IETF protocol assignments, documentation, benchmarking,
 * 6to4 relay anycast, multicast, reserved and broadcast for IPv4; unspecified, loopback,
 * IPv4-mapped/-compatible and NAT64 forms of a refused IPv4 address, discard-only, IETF
 * protocol assignments (incl. documentation 2001:db8::/32), 6to4 of a refused IPv4 address,
 * unique-local, link-local, site-local and multicast for IPv6.
 *
 * Checking happens where the connection is made, not before: `guardedLookup` is the DNS lookup
 * the HTTP agent connects with, so the address checked is the address used (no DNS-rebinding
 * window between a check and a second resolution). A host that resolves to several addresses is
 * refused if any of them is refused. IP literals never reach a lookup, so `checkUrl` refuses
 * them up front. The original (reference §9) resolved once at startup and pinned IPv4 only.
 */
import dns from 'node:dns';
import net from 'node:net';

export class SsrfError extends Error {
  override name = 'SsrfError';
  readonly code = 'ssrf_refused';
}

const V4_BLOCKED: ReadonlyArray<[string, number]> = [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
];

const V6_BLOCKED: ReadonlyArray<[string, number]> = [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10],
  ['fec0::', 10], ['ff00::', 8],
];

const BLOCKED = new net.BlockList();
for (const [address, prefix] of V4_BLOCKED) BLOCKED.addSubnet(address, prefix, 'ipv4');
for (const [address, prefix] of V6_BLOCKED) BLOCKED.addSubnet(address, prefix, 'ipv6');

/** True when `address` (an IPv4 or IPv6 literal) is a public unicast address. */
export function isPublicAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return !BLOCKED.check(address, 'ipv4');
  if (family !== 6) return false;
  const embedded = embeddedIPv4(address);
  if (embedded !== undefined) return isPublicAddress(embedded);
  return !BLOCKED.check(address, 'ipv6');
}

/**
 * The IPv4 address an IPv6 address stands for: IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible
 * `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002:AABB:CCDD::/16`.
 */
function embeddedIPv4(address: string): string | undefined {
  const groups = expandIPv6(address);
  if (groups === undefined) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((g) => g === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (zeros(0, 6) && (groups[6]! !== 0 || groups[7]! > 1)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

function expandIPv6(address: string): number[] | undefined {
  let text = address.split('%')[0] as string;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) !== -1) {
    const octets = text.slice(lastColon + 1).split('.').map(Number);
    text = `${text.slice(0, lastColon + 1)}${(((octets[0] ?? 0) << 8) | (octets[1] ?? 0)).toString(16)}:${(((octets[2] ?? 0) << 8) | (octets[3] ?? 0)).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** An outbound URL's policy: https unless insecure is allowed, no user:password, no refused literal. */
export function checkUrl(url: URL, options: { allowInsecure: boolean; allowPrivate: boolean }): void {
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && options.allowInsecure)) {
    throw new SsrfError(`${url.protocol}// is not allowed; use https (or set allow_insecure for http)`);
  }
  if (url.username !== '' || url.password !== '') {
    throw new SsrfError('URLs must not carry user:password; pass credentials in headers or through environment variables');
  }
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (!options.allowPrivate && net.isIP(host) !== 0 && !isPublicAddress(host)) {
    throw new SsrfError(`${host} is a private, loopback or reserved address; set allow_private_addresses to allow it`);
  }
}

/** The guard's refusal behind a connection failure (undici wraps it a few causes deep), if it was one. */
export function ssrfRefusal(error: unknown): SsrfError | undefined {
  let cause: unknown = error;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause instanceof SsrfError) return cause;
    cause = cause.cause;
  }
  return undefined;
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/**
 * A `net.connect` lookup that resolves with the system resolver and refuses the connection when
 * any resolved address is not public. `resolve` is injectable for tests.
 */
export function guardedLookup(resolve: typeof dns.lookup = dns.lookup) {
  return (hostname: string, options: dns.LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '');
      const list = addresses as dns.LookupAddress[];
      const refused = list.find((entry) => !isPublicAddress(entry.address));
      if (refused !== undefined || list.length === 0) {
        const failure = new SsrfError(
          `${hostname} resolves to ${refused?.address ?? 'nothing'}, a private, loopback or reserved address; set allow_private_addresses to allow it`,
        );
        return callback(failure as unknown as NodeJS.ErrnoException, '');
      }
      if (options.all) return callback(null, list);
      const first = list[0] as dns.LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
