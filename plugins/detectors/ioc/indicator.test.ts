import { describe, expect, it } from 'vitest';
import { canonicalIndicator, decodeKey, detectIndicator, encodeKey, parseCidr, type IndicatorType } from './indicator.js';
import { normalizeUrl } from './url-normal.js';

describe('indicator values', () => {
  it('gives addresses and CIDRs the entity form, host bits cleared', () => {
    expect(parseCidr('10.1.2.3/8')?.canonical).toBe('10.0.0.0/8');
    expect(parseCidr('10.1.2.3/32')?.canonical).toBe('10.1.2.3');
    expect(parseCidr('2001:db8::1/32')?.canonical).toBe('2001:0db8:0000:0000:0000:0000:0000:0000/32');
    expect(parseCidr('::ffff:192.0.2.1')?.canonical).toBe('192.0.2.1');
    expect(parseCidr('10.0.0.0/33')).toBeUndefined();
    expect(parseCidr('010.0.0.1')).toBeUndefined();
    expect(parseCidr('10.0.0.0/x')).toBeUndefined();
    expect(canonicalIndicator('ipv6', '10.0.0.1')).toBeUndefined();
  });

  it('lowercases domains, drops trailing dots and turns IDNs into punycode', () => {
    expect(canonicalIndicator('domain', 'WWW.Example.COM.')).toBe('www.example.com');
    expect(canonicalIndicator('domain', 'bücher.example')).toBe('xn--bcher-kva.example');
    expect(canonicalIndicator('domain', 'bad_label-.example')).toBeUndefined();
    expect(canonicalIndicator('domain', 'a b.example')).toBeUndefined();
    expect(canonicalIndicator('sha1', 'DA39A3EE5E6B4B0D3255BFEF95601890AFD80709')).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(canonicalIndicator('md5', 'da39a3ee5e6b4b0d3255bfef95601890afd80709')).toBeUndefined();
  });

  it('normalises URLs so that one resource has one spelling', () => {
    expect(normalizeUrl('HTTPS://User:Pw@Evil.Example.:443/a/./b/../c%2f%7E%41?q=1#top')).toBe('https://evil.example/a/c%2F~A?q=1');
    expect(normalizeUrl('http://evil.example')).toBe('http://evil.example/');
    expect(normalizeUrl('http://evil.example:8080/x')).toBe('http://evil.example:8080/x');
    expect(normalizeUrl('http://bücher.example/ü')).toBe('http://xn--bcher-kva.example/%C3%BC');
    expect(normalizeUrl('javascript:alert(1)')).toBeUndefined();
    expect(normalizeUrl('evil.example/path')).toBeUndefined();
  });

  it('detects the type of a blocklist token', () => {
    const cases: Array<[string, IndicatorType | undefined, string?]> = [
      ['203.0.113.7', 'ipv4'],
      ['203.0.113.0/24', 'ipv4'],
      ['203.0.113.7:8443', 'ipv4', '203.0.113.7'],
      ['2001:db8::7', 'ipv6', '2001:0db8:0000:0000:0000:0000:0000:0007'],
      ['Evil.Example', 'domain', 'evil.example'],
      ['https://evil.example/x', 'url', 'https://evil.example/x'],
      ['d41d8cd98f00b204e9800998ecf8427e', 'md5'],
      ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'sha1'],
      ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256'],
      ['localhost', undefined],
      ['1.2.3', undefined],
      ['deadbeef', undefined],
      ['java.lang.String', 'domain'],
      ['not an indicator', undefined],
    ];
    for (const [token, type, value] of cases) {
      const detected = detectIndicator(token);
      expect(detected?.type, token).toBe(type);
      if (type !== undefined) expect(detected?.value, token).toBe(value ?? token.toLowerCase());
    }
  });

  it('encodes table keys compactly and decodes them back', () => {
    const out = new Uint8Array(4096);
    const round = (type: IndicatorType, value: string) => {
      const len = encodeKey(type, value, out);
      return { len, back: decodeKey(type, out.slice(0, len)) };
    };
    expect(round('ipv4', '10.0.0.0/8')).toEqual({ len: 5, back: '10.0.0.0/8' });
    expect(round('ipv4', '192.0.2.1')).toEqual({ len: 5, back: '192.0.2.1' });
    expect(round('ipv6', '2001:0db8:0000:0000:0000:0000:0000:0001')).toEqual({ len: 17, back: '2001:0db8:0000:0000:0000:0000:0000:0001' });
    expect(round('sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855').len).toBe(32);
    expect(round('domain', 'evil.example')).toEqual({ len: 12, back: 'evil.example' });
    expect(encodeKey('md5', 'zz', out)).toBe(-1);
    expect(encodeKey('domain', 'bücher', out)).toBe(-1);
  });
});

describe('URL normalisation fast path', () => {
  it('agrees with WHATWG parsing wherever it answers', async () => {
    const { plainHttpUrl, whatwgNormalizeUrl } = await import('./url-normal.js');
    const urls = [
      'http://evil.example/payload.exe', 'HTTP://EVIL.Example/Payload.EXE', 'https://a.example:443/x', 'https://a.example:8443/x',
      'http://a.example:80', 'http://a.example', 'http://a.example?x=1', 'http://a.example/p?', 'http://a.example/p?a?', 'http://a.example/p#frag',
      'http://a.example/p?q=1&r=a:b@c,d;e+f*g(h)!$', 'http://a-b.c-d.example/~user/_x-y.z', "http://a.example/it's?q='x'", 'http://a.example/a/./b',
      'http://a.example/a/../b', 'http://a.example/%7euser', 'http://a.example/a b', 'http://a.example./x', 'http://.a.example/', 'http://a..example/',
      'http://127.0.0.1/x', 'http://0x7f.1/x', 'http://a.123/x', 'http://a.example:080/x', 'http://a.example:/x', 'http://a.example:99999/x',
      'http://a.example:8080x', 'http://xn--bcher-kva.example/', 'http://xn--zz.example/', 'http://user@a.example/', 'http://a_b.example/',
      'http://a.example\\x', 'http://a.example/[x]', 'http://a.example/ü', 'https://a.example/{x}', 'https://a.example/"x"', 'http:/a.example/',
      'ftp://a.example/x', 'https://A.EXAMPLE:443', 'http://a.example/.hidden', 'http://a.example/x?y=/./z', 'http://XN--bcher-kva.example/',
      'http://a-b.example/x#y', 'HTTP://a.example/x',
    ];
    let fast = 0;
    for (const url of urls) {
      const quick = plainHttpUrl(url);
      if (quick === undefined) continue;
      fast++;
      expect(quick, url).toBe(whatwgNormalizeUrl(url));
    }
    expect(fast).toBe(15);
    expect(plainHttpUrl('http://127.0.0.1/x')).toBeUndefined();
    expect(plainHttpUrl('http://a.example/%7euser')).toBeUndefined();
  });
});
