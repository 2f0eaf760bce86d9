/**
 * Whether an IP entity is internal to the site: private (RFC 1918, unique-local), CGNAT,
 * loopback, link-local or unspecified. Everything else, documentation ranges included, is
 * external, which is what a rule with `entity_scope: external` wants (a beacon's destination).
 */
import net from 'node:net';

const INTERNAL = new net.BlockList();
for (const [address, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) {
  INTERNAL.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10]] as const) INTERNAL.addSubnet(address, prefix, 'ipv6');

export function isInternalAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 0) return false;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}
