import { describe, expect, it } from 'vitest';
import { parseDnsLog } from './dns-log.js';

describe('parseDnsLog', () => {
  it('reads dnsmasq query, reply and forward lines', () => {
    expect(parseDnsLog('query[TXT] x.evil.example from 192.168.1.5')).toEqual({ query: 'x.evil.example', record_type: 'TXT', src_ip: '192.168.1.5' });
    expect(parseDnsLog('dnsmasq[1]: reply x.evil.example is 1.2.3.4')).toEqual({ query: 'x.evil.example', answer: '1.2.3.4' });
    expect(parseDnsLog('forwarded x.evil.example to 8.8.8.8')).toEqual({ query: 'x.evil.example', dst_ip: '8.8.8.8' });
  });

  it('reads a BIND query log line', () => {
    expect(parseDnsLog('client @0x7f1 10.0.0.5#53211 (pool.minexmr.com): query: pool.minexmr.com IN A +E(0)K (10.0.0.1)')).toEqual({
      query: 'pool.minexmr.com', record_type: 'A', src_ip: '10.0.0.5',
    });
  });

  it('returns null for other lines', () => {
    expect(parseDnsLog('kernel: eth0 up')).toBeNull();
  });
});
