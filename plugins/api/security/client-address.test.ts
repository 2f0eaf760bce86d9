import { describe, expect, it } from 'vitest';
import { clientAddress, normalizeAddress } from './client-address.js';

describe('clientAddress', () => {
  it('is the TCP peer unless proxy headers are trusted', () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7', false)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', undefined, true)).toBe('10.0.0.5');
  });

  it('takes the left-most X-Forwarded-For entry behind a trusted proxy', () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7, 10.0.0.9', true)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', ['198.51.100.1', '10.0.0.9'], true)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.5', '192.168.1.20', true)).toBe('192.168.1.20');
  });

  it('accepts ports and bracketed IPv6 in the forwarded entry', () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7:51234', true)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '[2001:DB8::1]:443', true)).toBe('2001:db8::1');
    expect(clientAddress('10.0.0.5', '2001:db8::2', true)).toBe('2001:db8::2');
  });

  it('falls back to the peer when the forwarded entry is not an address', () => {
    expect(clientAddress('10.0.0.5', 'unknown', true)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '', true)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', ' , 203.0.113.7', true)).toBe('10.0.0.5');
  });
});

describe('normalizeAddress', () => {
  it('folds IPv4-mapped IPv6 and case', () => {
    expect(normalizeAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(normalizeAddress('FE80::1')).toBe('fe80::1');
    expect(normalizeAddress('127.0.0.1')).toBe('127.0.0.1');
  });
});
