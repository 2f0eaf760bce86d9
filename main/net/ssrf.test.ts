import type dns from 'node:dns';
import { describe, expect, it } from 'vitest';
import { checkUrl, guardedLookup, isPublicAddress, SsrfError } from './ssrf.js';

describe('SSRF guard', () => {
  it('tells public unicast addresses from private, loopback and reserved ones', () => {
    const refused = [
      '0.0.0.0', '10.1.2.3', '100.64.0.1', '127.0.0.1', '169.254.169.254', '172.16.5.4', '172.31.255.255', '192.0.0.8', '192.0.2.1',
      '192.168.1.1', '198.18.0.1', '198.51.100.1', '203.0.113.1', '224.0.0.1', '240.0.0.1', '255.255.255.255',
      '::', '::1', 'fe80::1', 'fc00::1', 'fd12::1', 'ff02::1', '2001:db8::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1',
      '64:ff9b::a00:1', '2002:c0a8:0101::1', 'not-an-ip',
    ];
    const allowed = ['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2002:0808:0808::1'];
    for (const address of refused) expect(isPublicAddress(address), address).toBe(false);
    for (const address of allowed) expect(isPublicAddress(address), address).toBe(true);
  });

  it('checks an outbound URL before any connection', () => {
    const policy = { allowInsecure: false, allowPrivate: false };
    expect(() => checkUrl(new URL('https://feeds.example/taxii2/'), policy)).not.toThrow();
    expect(() => checkUrl(new URL('http://feeds.example/'), policy)).toThrow(/use https/);
    expect(() => checkUrl(new URL('http://feeds.example/'), { ...policy, allowInsecure: true })).not.toThrow();
    expect(() => checkUrl(new URL('https://u:p@feeds.example/'), policy)).toThrow(/user:password/);
    expect(() => checkUrl(new URL('https://127.0.0.1/'), policy)).toThrow(SsrfError);
    expect(() => checkUrl(new URL('https://[::1]/'), policy)).toThrow(/allow_private_addresses/);
    expect(() => checkUrl(new URL('https://127.0.0.1/'), { ...policy, allowPrivate: true })).not.toThrow();
  });

  it('refuses a name that resolves to a refused address, at connect time', async () => {
    const answers: Record<string, dns.LookupAddress[]> = {
      'public.example': [{ address: '93.184.216.34', family: 4 }],
      'rebind.example': [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }],
    };
    const resolve = ((host: string, _options: unknown, callback: (e: Error | null, a: dns.LookupAddress[]) => void) =>
      callback(null, answers[host] ?? [])) as unknown as typeof dns.lookup;
    const lookup = guardedLookup(resolve);
    const ask = (host: string, all: boolean) =>
      new Promise<unknown>((resolvePromise, reject) =>
        lookup(host, { all }, (error, address, family) => (error ? reject(error) : resolvePromise(all ? address : [address, family]))),
      );
    await expect(ask('public.example', false)).resolves.toEqual(['93.184.216.34', 4]);
    await expect(ask('public.example', true)).resolves.toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(ask('rebind.example', false)).rejects.toThrow(/resolves to 127.0.0.1/);
    await expect(ask('nothing.example', false)).rejects.toThrow(/resolves to nothing/);
  });
});
