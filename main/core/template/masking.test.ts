import { describe, expect, it } from 'vitest';
import { TemplateOptionError } from './errors.js';
import { DEFAULT_MASKS, Masker } from './masking.js';

const masker = new Masker();
const mask = (text: string): string => masker.mask(text);

describe('default masks', () => {
  it('lists paths, UUIDs, IPv6, IPv4, hex and numbers, in that order, frozen', () => {
    expect(DEFAULT_MASKS.map((rule) => rule.replacement)).toEqual(['<PATH>', '<UUID>', '<IP>', '<IP>', '<HEX>', '<NUM>']);
    expect(Object.isFrozen(DEFAULT_MASKS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_MASKS[0])).toBe(true);
  });

  it('masks IPv4 with valid octets and an optional port', () => {
    expect(mask('Failed password for root from 183.62.140.253 port 33034 ssh2')).toBe(
      'Failed password for root from <IP> port <NUM> ssh2',
    );
    expect(mask('connect to 10.0.0.1:8080 [172.16.5.4] ip=192.168.1.1.')).toBe('connect to <IP> [<IP>] ip=<IP>.');
    expect(mask('not addresses: 256.1.1.1 1.2.3.4.5 v10.0.0.1')).toBe('not addresses: 256.1.1.1 1.2.3.4.5 v10.0.0.1');
  });

  it('masks IPv6, compressed, full, with an IPv4 tail or a zone', () => {
    expect(mask('from ::1 and fe80::1%eth0 and 2001:db8:0:0:0:0:2:1 and ::ffff:10.1.2.3')).toBe(
      'from <IP> and <IP> and <IP> and <IP>',
    );
    expect(mask('[2001:db8::7]:443')).toBe('[<IP>]:<NUM>');
    // Times, MACs, C++ scopes and a bare :: are not addresses
    expect(mask('at 12:34:56 mac 00:1a:2b:3c:4d:5e std::string ::')).toBe('at <NUM>:<NUM>:<NUM> mac <NUM>:1a:2b:3c:4d:5e std::string ::');
  });

  it('masks UUIDs in any case', () => {
    expect(mask('request 123e4567-E89B-12d3-a456-426614174000 done')).toBe('request <UUID> done');
  });

  it('masks 0x values and long hex runs mixing letters and digits, not plain words or numbers', () => {
    expect(mask('addr 0x1F at 0xdeadBEEF, commit 3f2a9c1b4d5e, sha 9f86d081884c7d659a2feaa0c55ad015')).toBe(
      'addr <HEX> at <HEX>, commit <HEX>, sha <HEX>',
    );
    expect(mask('deadbeef facade 12345678 ab12')).toBe('deadbeef facade <NUM> ab12');
  });

  it('masks absolute paths that start a token or follow =, a quote or a bracket', () => {
    expect(mask('open /var/log/syslog failed path=/etc/ssh/sshd_config file "/tmp/x/y.log" C:\\Windows\\System32')).toBe(
      'open <PATH> failed path=<PATH> file "<PATH>" <PATH>',
    );
    expect(mask('/srv/data/123e4567-e89b-12d3-a456-426614174000/part-0001')).toBe('<PATH>');
    // One segment, a relative path, a URL, a protocol version
    expect(mask('cd /tmp read/write https://example.com/a/b GET HTTP/1.1')).toBe(
      'cd /tmp read/write https://example.com/a/b GET HTTP/<NUM>',
    );
  });

  it('masks standalone numbers, signed and decimal, not digits inside words or versions', () => {
    expect(mask('sshd[24200]: took 1.5 s, delta -3, x=5 on 2024-01-15')).toBe(
      'sshd[<NUM>]: took <NUM> s, delta <NUM>, x=<NUM> on <NUM>-<NUM>-<NUM>',
    );
    expect(mask('eth0 ssh2 user9 v1.2.3 1.2.3 10ms')).toBe('eth0 ssh2 user9 v1.2.3 1.2.3 10ms');
  });

  it('leaves a line with nothing to mask as it is', () => {
    expect(mask('Connection closed by remote host')).toBe('Connection closed by remote host');
    expect(mask('')).toBe('');
  });
});

describe('configured masks', () => {
  it('replace the defaults entirely, apply in order and may use group references', () => {
    const custom = new Masker([
      { pattern: 'blk_-?\\d+', replacement: '<BLK>' },
      { pattern: 'user=(\\w+)', replacement: 'user=<$1>' },
    ]);
    expect(custom.mask('blk_-123 from 10.0.0.1 user=bob')).toBe('<BLK> from 10.0.0.1 user=<bob>');
  });

  it('mask nothing when the list is empty', () => {
    expect(new Masker([]).mask('from 10.0.0.1 port 22')).toBe('from 10.0.0.1 port 22');
  });

  it('run the built-in pre-checks when the config lists a built-in rule', () => {
    const copy = new Masker(DEFAULT_MASKS.map((rule) => ({ ...rule })));
    expect(copy.mask('from 10.0.0.1 port 22')).toBe('from <IP> port <NUM>');
  });

  it.each([
    [[{ pattern: '(', replacement: 'x' }], /masks\[0\]\.pattern: does not compile/],
    [[{ pattern: 'a', replacement: 'x' }, { pattern: 'x*', replacement: 'y' }], /masks\[1\]\.pattern: matches the empty string/],
    [[{ pattern: '', replacement: 'x' }], /masks\[0\]\.pattern: must be a non-empty/],
    [[{ pattern: 'a' }], /masks\[0\]\.replacement: must be a string/],
    [[null], /masks\[0\]: must be \{ pattern, replacement \}/],
  ])('reject %j naming the rule', (rules, message) => {
    const build = () => new Masker(rules as never);
    expect(build).toThrow(TemplateOptionError);
    expect(build).toThrow(message);
  });
});
