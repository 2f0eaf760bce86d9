import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EntityType } from '../event.js';
import {
  canonicalEntity,
  canonicalValue,
  clearEntityCache,
  ENTITY_CACHE_GENERATION,
  ENTITY_NAMESPACES,
  entityId,
  entityRef,
  MAX_ENTITY_LENGTH,
} from './identity.js';

/** UUID5 per RFC 4122 §4.3, computed with node:crypto's SHA-1, independently of identity.ts. */
function referenceUuid5(namespace: string, name: string): string {
  const digest = createHash('sha1').update(Buffer.from(namespace.replace(/-/g, ''), 'hex')).update(name, 'utf8').digest();
  digest[6] = (digest[6]! & 0x0f) | 0x50;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const NS_USER = 'a1b2c3d4-0001-0000-0000-000000000001';
const NS_IP = 'a1b2c3d4-0002-0000-0000-000000000002';

beforeEach(() => clearEntityCache());

describe('namespaces', () => {
  it('are the original per-type namespaces, plus ours for hashes', () => {
    expect(ENTITY_NAMESPACES).toEqual({
      user: 'a1b2c3d4-0001-0000-0000-000000000001',
      ip: 'a1b2c3d4-0002-0000-0000-000000000002',
      host: 'a1b2c3d4-0003-0000-0000-000000000003',
      process: 'a1b2c3d4-0004-0000-0000-000000000004',
      file: 'a1b2c3d4-0005-0000-0000-000000000005',
      domain: 'a1b2c3d4-0006-0000-0000-000000000006',
      hash: 'a1b2c3d4-0007-0000-0000-000000000007',
    });
  });
});

describe('reference §18 vectors', () => {
  it('ip 10.0.0.1 is uuid5(NS_IP, "10.0.0.1")', () => {
    expect(canonicalEntity('ip', '10.0.0.1')).toEqual({
      value: '10.0.0.1',
      id: referenceUuid5(NS_IP, '10.0.0.1'),
    });
    // Literal from Python: uuid.uuid5(UUID('a1b2c3d4-0002-…'), '10.0.0.1').
    expect(entityId('ip', '10.0.0.1')).toBe('6df9e3ad-af86-5520-8743-84dc81c690c2');
  });

  it('users: CORP\\Alice → corp:alice, bob@x.com → x.com:bob, root → root', () => {
    expect(canonicalEntity('user', 'CORP\\Alice')).toEqual({
      value: 'corp:alice',
      id: referenceUuid5(NS_USER, 'corp:alice'),
    });
    expect(canonicalEntity('user', 'bob@x.com')).toEqual({ value: 'x.com:bob', id: referenceUuid5(NS_USER, 'x.com:bob') });
    expect(canonicalEntity('user', 'root')).toEqual({ value: 'root', id: referenceUuid5(NS_USER, 'root') });
    // Literals from Python's uuid.uuid5.
    expect(entityId('user', 'corp:alice')).toBe('ed35bbb7-013d-5850-8875-130f03660b49');
    expect(entityId('user', 'x.com:bob')).toBe('87c26bf9-440c-594d-ab45-c7c6760fe8ec');
    expect(entityId('user', 'root')).toBe('efdd41e8-5ae9-5166-a9b5-ff6b48ca0c88');
  });
});

describe('entityId', () => {
  it('matches Python uuid5 for every type', () => {
    // Literals computed with Python's uuid.uuid5 and the namespaces above.
    const expected: Array<[EntityType, string, string]> = [
      ['host', 'web01', '75b6b73e-c367-548e-a4e7-abd64c1ff775'],
      ['process', 'sshd:4242', '9794c4c3-7ee5-5624-8ff9-e2720f844c3d'],
      ['file', '/etc/passwd', '577af02a-e36c-5a68-9563-8e3b94656be3'],
      ['domain', 'example.com', '8b22b68f-4317-5756-8bda-7e00236738e1'],
      ['hash', 'md5:d41d8cd98f00b204e9800998ecf8427e', '5fc9e93d-e696-59e1-8253-64582333f419'],
      ['ip', '2001:0db8:0000:0000:0000:0000:0000:0001', '7ce6b030-c79a-548a-b767-ba44673316ef'],
      ['ip', '203.0.113.7', '00cd565b-0e19-52b5-9029-45d1ae8929be'],
      ['user', 'jörg', 'dd26ef14-3305-5037-83c0-00059ac7aaa1'],
      ['file', `/var/log/${'x'.repeat(100)}`, 'a6794a82-e862-5f85-b1d0-69ec37e674b6'],
    ];
    for (const [type, value, id] of expected) expect(entityId(type, value), `${type} ${value}`).toBe(id);
  });

  it('agrees with node:crypto SHA-1 across lengths, block boundaries and non-ASCII names', () => {
    const names: string[] = [''];
    // 16 namespace bytes + name: 39/40 and 103/104 bytes are where SHA-1 padding needs another block.
    for (let length = 1; length <= 140; length++) names.push('a'.repeat(length));
    names.push('é', 'ünïcødé:42', '😀 emoji', 'ρ'.repeat(40), '中文/路径/文件.txt', 'x'.repeat(5000));
    for (const type of Object.keys(ENTITY_NAMESPACES) as EntityType[]) {
      for (const name of names) {
        expect(entityId(type, name), `${type} ${name.length}`).toBe(referenceUuid5(ENTITY_NAMESPACES[type], name));
      }
    }
  });

  it('agrees with the uuid package (given the namespace as bytes: its parser refuses version 0)', () => {
    for (const type of Object.keys(ENTITY_NAMESPACES) as EntityType[]) {
      const namespace = Buffer.from(ENTITY_NAMESPACES[type].replace(/-/g, ''), 'hex');
      for (const name of ['10.0.0.1', 'corp:alice', 'sshd:4242', 'ünï', 'x'.repeat(300)]) {
        expect(entityId(type, name)).toBe(uuidv5(new TextEncoder().encode(name), namespace));
      }
    }
  });
});

describe('canonical forms', () => {
  it('user: strip, split domain, lowercase, NFC', () => {
    expect(canonicalValue('user', '  Alice  ')).toBe('alice');
    expect(canonicalValue('user', 'CORP\\Alice')).toBe('corp:alice');
    expect(canonicalValue('user', 'NT AUTHORITY\\SYSTEM')).toBe('nt authority:system');
    expect(canonicalValue('user', 'first.last@Sub.Example.COM')).toBe('sub.example.com:first.last');
    expect(canonicalValue('user', 'a@b@c.org')).toBe('c.org:a@b'); // split at the last @
    expect(canonicalValue('user', 'alice@')).toBe('alice');
    expect(canonicalValue('user', 'J\u006f\u0308rg')).toBe('j\u00f6rg'); // decomposed ö → composed
    expect(canonicalValue('user', 'CORP\\')).toBeUndefined();
    expect(canonicalValue('user', '@example.com')).toBeUndefined();
  });

  it('ip: dotted quad, exploded IPv6, mapped IPv4, invalid refused', () => {
    const cases: Array<[string, string | undefined]> = [
      ['10.0.0.1', '10.0.0.1'],
      [' 192.168.1.100\n', '192.168.1.100'],
      ['0.0.0.0', '0.0.0.0'],
      ['255.255.255.255', '255.255.255.255'],
      // Expected IPv6 values are Python's ipaddress.ip_address(x).exploded.
      ['2001:db8::1', '2001:0db8:0000:0000:0000:0000:0000:0001'],
      ['::1', '0000:0000:0000:0000:0000:0000:0000:0001'],
      ['::', '0000:0000:0000:0000:0000:0000:0000:0000'],
      ['2001:DB8:0:0:8:800:200C:417A', '2001:0db8:0000:0000:0008:0800:200c:417a'],
      ['1:2:3:4:5:6:7::', '0001:0002:0003:0004:0005:0006:0007:0000'],
      ['::10.0.0.1', '0000:0000:0000:0000:0000:0000:0a00:0001'],
      ['64:ff9b::192.0.2.33', '0064:ff9b:0000:0000:0000:0000:c000:0221'],
      // Ours: the zone is dropped, and an IPv4-mapped address is its IPv4 peer.
      ['fe80::1%eth0', 'fe80:0000:0000:0000:0000:0000:0000:0001'],
      ['::ffff:10.0.0.1', '10.0.0.1'],
      ['::FFFF:0a00:0001', '10.0.0.1'],
      // Python refuses all of these.
      ['1.2.3', undefined],
      ['01.2.3.4', undefined],
      ['256.1.1.1', undefined],
      ['1.2.3.4.5', undefined],
      ['2001:db8::1::1', undefined],
      ['12345::', undefined],
      ['1:2:3:4:5:6:7:8:9', undefined],
      [':1:2::', undefined],
      ['gggg::1', undefined],
      ['fe80::1%', undefined],
      ['::ffff:1.2.3.256', undefined],
      ['web01', undefined],
    ];
    for (const [raw, expected] of cases) expect(canonicalValue('ip', raw), raw).toBe(expected);
  });

  it('host and domain: lowercase, trailing dots removed, NFC', () => {
    expect(canonicalValue('host', ' Web01.Example.COM. ')).toBe('web01.example.com');
    expect(canonicalValue('domain', 'Example.com..')).toBe('example.com');
    expect(canonicalValue('domain', 'Bu\u0308cher.example')).toBe('b\u00fccher.example');
    expect(canonicalValue('host', '...')).toBeUndefined();
  });

  it('file: stripped, NFC, case kept', () => {
    expect(canonicalValue('file', '  /var/log/Auth.log ')).toBe('/var/log/Auth.log');
    expect(canonicalValue('file', 'C:\\Windows\\System32\\cmd.exe')).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(canonicalValue('file', '/tmp/cafe\u0301')).toBe('/tmp/caf\u00e9');
  });

  it('process: name:pid, name[pid], bare name, bare pid', () => {
    expect(canonicalValue('process', 'sshd:4242')).toBe('sshd:4242');
    expect(canonicalValue('process', 'sshd[4242]')).toBe('sshd:4242');
    expect(canonicalValue('process', 'sshd:004242')).toBe('sshd:4242');
    expect(canonicalValue('process', 'postfix/smtpd:77')).toBe('postfix/smtpd:77');
    expect(canonicalValue('process', 'CRON')).toBe('CRON');
    expect(canonicalValue('process', '4242')).toBe('4242');
    expect(canonicalValue('process', '0')).toBe('0');
    expect(canonicalValue('process', ':4242')).toBe('4242');
    expect(canonicalValue('process', '[4242]')).toBe('4242');
    expect(canonicalValue('process', 'java:main')).toBe('java:main');
  });

  it('hash: <algo>:<lowerhex>, algorithm known and length right', () => {
    const md5 = 'D41D8CD98F00B204E9800998ECF8427E';
    expect(canonicalValue('hash', `MD5=${md5}`)).toBe(`md5:${md5.toLowerCase()}`);
    expect(canonicalValue('hash', `md5:${md5}`)).toBe(`md5:${md5.toLowerCase()}`);
    expect(canonicalValue('hash', md5)).toBe(`md5:${md5.toLowerCase()}`);
    expect(canonicalValue('hash', 'SHA-256:' + 'AB'.repeat(32))).toBe('sha256:' + 'ab'.repeat(32));
    expect(canonicalValue('hash', 'a'.repeat(40))).toBe('sha1:' + 'a'.repeat(40));
    expect(canonicalValue('hash', 'IMPHASH=' + 'F'.repeat(32))).toBe('imphash:' + 'f'.repeat(32));
    expect(canonicalValue('hash', 'sha1:' + 'a'.repeat(32))).toBeUndefined(); // wrong length
    expect(canonicalValue('hash', 'crc32:deadbeef')).toBeUndefined();
    expect(canonicalValue('hash', 'md5:' + 'g'.repeat(32))).toBeUndefined();
    expect(canonicalValue('hash', 'a'.repeat(33))).toBeUndefined();
  });

  it('refuses empty, blank, NUL and overlong values for every type', () => {
    for (const type of Object.keys(ENTITY_NAMESPACES) as EntityType[]) {
      expect(canonicalEntity(type, ''), type).toBeUndefined();
      expect(canonicalEntity(type, '   '), type).toBeUndefined();
      expect(canonicalEntity(type, 'ro\0ot'), type).toBeUndefined();
      expect(canonicalEntity(type, '\0'), type).toBeUndefined();
      expect(canonicalEntity(type, '/'.repeat(MAX_ENTITY_LENGTH + 1)), type).toBeUndefined();
    }
    expect(canonicalValue('file', '/' + 'a'.repeat(MAX_ENTITY_LENGTH - 1))).toHaveLength(MAX_ENTITY_LENGTH);
  });

  it('turns a lone surrogate into U+FFFD, so the value and its id agree', () => {
    const ref = canonicalEntity('file', '/tmp/\ud800x');
    expect(ref).toEqual({ value: '/tmp/\ufffdx', id: referenceUuid5(ENTITY_NAMESPACES.file, '/tmp/\ufffdx') });
  });
});

describe('entityRef memo', () => {
  it('returns one frozen ref per raw value, equal to the uncached computation', () => {
    const first = entityRef('user', 'CORP\\Alice');
    expect(first).toEqual({ type: 'user', value: 'corp:alice', id: referenceUuid5(NS_USER, 'corp:alice') });
    expect(entityRef('user', 'CORP\\Alice')).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(entityRef('user', 'corp\\alice')).toEqual(first); // another raw form, the same entity
    expect(entityRef('ip', '999.1.1.1')).toBeUndefined();
    expect(entityRef('ip', '999.1.1.1')).toBeUndefined(); // remembered as unparsable
  });

  it('is bounded: a value unused for two generations is recomputed, a value in use is kept', () => {
    const dropped = entityRef('host', 'dropped.example')!;
    const kept = entityRef('host', 'kept.example')!;
    for (let i = 0; i < 2 * ENTITY_CACHE_GENERATION + 10; i++) {
      entityRef('host', `filler-${i}`);
      if (i % 1000 === 0) expect(entityRef('host', 'kept.example')).toBe(kept);
    }
    expect(entityRef('host', 'kept.example')).toBe(kept);
    const again = entityRef('host', 'dropped.example');
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
  });

  it('does not memoise values longer than its key bound, but still resolves them', () => {
    const long = `/srv/${'d'.repeat(300)}`;
    const a = entityRef('file', long);
    const b = entityRef('file', long);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
  });
});
