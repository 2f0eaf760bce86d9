/**
 * DNS-rebinding guard. A hostile page can point its own DNS name at 127.0.0.1 and then call the
 * API "same-origin"; the browser still sends that name in `Host`. So the API answers only to the
 * names it is known by: the bound address, the loopback names, and `api_allowed_hosts`.
 *
 * When bound to every interface (`0.0.0.0`, `::`) any IP-literal Host is accepted as well: the
 * machine's addresses are not known in advance, and an IP literal cannot be rebound (its origin
 * is the address itself). A request without `Host` (HTTP/1.0 tools) does not come from a browser
 * and is let through.
 */
import net from 'node:net';
import type { SeerflowConfig } from '../../../main/config/types.js';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_ADDRESSES = new Set(['0.0.0.0', '::']);

/**
 * The name part of a Host header: lower case, port, IPv6 brackets and a trailing dot removed.
 * Undefined when the header is not a host name at all.
 */
export function hostName(header: string): string | undefined {
  const value = header.trim().toLowerCase();
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d+)?$/.exec(value);
  if (bracketed) return bracketed[1];
  const plain = /^([a-z0-9_.-]+?)\.?(?::\d+)?$/.exec(value);
  return plain?.[1];
}

export interface HostPolicy {
  /** Whether a request with this Host header may be answered. */
  allows(hostHeader: string | undefined): boolean;
  /** The names accepted, for the refusal message. */
  readonly names: readonly string[];
}

export function hostPolicy(config: Pick<SeerflowConfig, 'health_bind_address' | 'api_allowed_hosts'>): HostPolicy {
  const bound = config.health_bind_address.toLowerCase();
  const anyInterface = WILDCARD_ADDRESSES.has(bound);
  const names = new Set([...LOOPBACK_NAMES, ...(anyInterface ? [] : [bound])]);
  for (const host of config.api_allowed_hosts) names.add(hostName(host) ?? host.toLowerCase());
  return {
    names: [...names],
    allows(hostHeader) {
      if (hostHeader === undefined || hostHeader === '') return true;
      const name = hostName(hostHeader);
      if (name === undefined) return false;
      return names.has(name) || (anyInterface && net.isIP(name) !== 0);
    },
  };
}
