import { describe, expect, it } from 'vitest';
import { hostName, hostPolicy } from './host-check.js';

describe('hostName', () => {
  it('drops port, brackets, trailing dot and case', () => {
    expect(hostName('localhost:8080')).toBe('localhost');
    expect(hostName('Seerflow.Example.:443')).toBe('seerflow.example');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('[::1]:8080')).toBe('::1');
    expect(hostName('[::1]')).toBe('::1');
  });

  it('rejects what is not a host', () => {
    expect(hostName('::1')).toBeUndefined();
    expect(hostName('a b:80')).toBeUndefined();
    expect(hostName('evil.example@localhost')).toBeUndefined();
    expect(hostName('[evil]:80')).toBeUndefined();
    expect(hostName('')).toBeUndefined();
  });
});

describe('hostPolicy', () => {
  const loopback = hostPolicy({ health_bind_address: '127.0.0.1', api_allowed_hosts: ['seerflow.lan'] });

  it('answers to loopback names, the bound address and allowed hosts', () => {
    for (const host of ['localhost', 'localhost:8080', '127.0.0.1:8080', '[::1]:8080', 'seerflow.lan', 'SEERFLOW.LAN:8080']) {
      expect(loopback.allows(host), host).toBe(true);
    }
    expect(hostPolicy({ health_bind_address: '10.1.2.3', api_allowed_hosts: [] }).allows('10.1.2.3:8080')).toBe(true);
  });

  it('refuses a rebound DNS name and other addresses', () => {
    for (const host of ['evil.example', 'evil.example:8080', 'localhost.evil.example', '10.1.2.3:8080', '[::1']) {
      expect(loopback.allows(host), host).toBe(false);
    }
  });

  it('lets a request without Host through (not a browser)', () => {
    expect(loopback.allows(undefined)).toBe(true);
  });

  it('accepts any IP literal when bound to every interface, but still no unknown name', () => {
    const any = hostPolicy({ health_bind_address: '0.0.0.0', api_allowed_hosts: [] });
    expect(any.allows('192.168.1.40:8080')).toBe(true);
    expect(any.allows('[fe80::1]:8080')).toBe(true);
    expect(any.allows('0.0.0.0:8080')).toBe(true);
    expect(any.allows('evil.example')).toBe(false);
    expect(any.names).toEqual(['localhost', '127.0.0.1', '::1']);
  });
});
