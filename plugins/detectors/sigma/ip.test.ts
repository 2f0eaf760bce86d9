import { describe, expect, it } from 'vitest';
import { cidrContains, parseCidr, parseIp } from './ip.js';

const inRange = (cidr: string, ip: string) => {
  const range = parseCidr(cidr);
  const address = parseIp(ip);
  return range !== undefined && address !== undefined && cidrContains(range, address);
};

describe('ip', () => {
  it('parses IPv4, IPv6, compressed and embedded forms', () => {
    expect([...(parseIp('10.1.2.3') ?? [])]).toEqual([10, 1, 2, 3]);
    expect(parseIp('::1')?.length).toBe(16);
    expect([...(parseIp('::ffff:10.1.2.3') ?? [])]).toEqual([10, 1, 2, 3]);
    expect(parseIp('fe80::1%eth0')?.[0]).toBe(0xfe);
    for (const bad of ['256.1.1.1', '1.2.3', '1.2.3.4.5', 'a::b::c', '12345::', 'x', '', '1:2:3:4:5:6:7:8:9']) expect(parseIp(bad), bad).toBeUndefined();
  });

  it('tests CIDR membership', () => {
    expect(inRange('10.0.0.0/8', '10.255.0.1')).toBe(true);
    expect(inRange('10.0.0.0/8', '11.0.0.1')).toBe(false);
    expect(inRange('192.168.1.0/25', '192.168.1.127')).toBe(true);
    expect(inRange('192.168.1.0/25', '192.168.1.128')).toBe(false);
    expect(inRange('0.0.0.0/0', '8.8.8.8')).toBe(true);
    expect(inRange('1.2.3.4', '1.2.3.4')).toBe(true);
    expect(inRange('2001:db8::/32', '2001:db8:ffff::1')).toBe(true);
    expect(inRange('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(inRange('fe80::/10', 'febf::1')).toBe(true);
    expect(inRange('fe80::/10', 'fec0::1')).toBe(false);
    expect(inRange('10.0.0.0/8', '::1')).toBe(false);
    expect(inRange('::ffff:10.0.0.0/104', '10.1.1.1')).toBe(true);
  });

  it('rejects invalid ranges', () => {
    for (const bad of ['10.0.0.0/33', '10.0.0.0/x', '::/129', 'x/8']) expect(parseCidr(bad), bad).toBeUndefined();
  });
});
