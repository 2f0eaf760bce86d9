import { describe, expect, it } from 'vitest';
import { MAX_PATTERN_LENGTH, parseStixPattern, StixPatternError } from './stix-pattern.js';

function failure(pattern: string): StixPatternError {
  try {
    parseStixPattern(pattern);
  } catch (error) {
    if (error instanceof StixPatternError) return error;
    throw error;
  }
  throw new Error(`parsed: ${pattern}`);
}

describe('parseStixPattern', () => {
  it('reads each supported observable in its canonical form', () => {
    expect(parseStixPattern("[ipv4-addr:value = '198.51.100.7']").observables).toEqual([{ type: 'ipv4', value: '198.51.100.7' }]);
    expect(parseStixPattern("[ipv4-addr:value = '198.51.100.77/24']").observables).toEqual([{ type: 'ipv4', value: '198.51.100.0/24' }]);
    expect(parseStixPattern("[ipv6-addr:value = '2001:DB8::1']").observables).toEqual([
      { type: 'ipv6', value: '2001:0db8:0000:0000:0000:0000:0000:0001' },
    ]);
    expect(parseStixPattern("[domain-name:value = 'Evil.Example.']").observables).toEqual([{ type: 'domain', value: 'evil.example' }]);
    expect(parseStixPattern("[url:value = 'HTTP://Evil.Example:80/a/../b%7e?x=1#frag']").observables).toEqual([
      { type: 'url', value: 'http://evil.example/b~?x=1' },
    ]);
    const hashes = parseStixPattern(
      "[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E'] OR [file:hashes.'SHA-1' = 'da39a3ee5e6b4b0d3255bfef95601890afd80709'] OR " +
        "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'] OR [artifact:hashes.SHA256 = " +
        "'0000000000000000000000000000000000000000000000000000000000000001']",
    );
    expect(hashes.observables).toEqual([
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      { type: 'sha256', value: '0000000000000000000000000000000000000000000000000000000000000001' },
    ]);
    expect(hashes.composite).toBe(false);
  });

  it('takes CIDRs from ISSUBSET, sets from IN, and addresses or names from network-traffic refs', () => {
    expect(parseStixPattern("[ipv4-addr:value ISSUBSET '10.0.0.0/8']").observables).toEqual([{ type: 'ipv4', value: '10.0.0.0/8' }]);
    expect(parseStixPattern("[domain-name:value IN ('a.example', 'B.example', 'a.example')]").observables).toEqual([
      { type: 'domain', value: 'a.example' },
      { type: 'domain', value: 'b.example' },
    ]);
    expect(parseStixPattern("[network-traffic:dst_ref.value = '203.0.113.9' OR network-traffic:src_ref.value = 'c2.example']").observables).toEqual([
      { type: 'ipv4', value: '203.0.113.9' },
      { type: 'domain', value: 'c2.example' },
    ]);
  });

  it('flattens composite patterns, noting AND, FOLLOWEDBY and qualifiers', () => {
    const parsed = parseStixPattern(
      "([ipv4-addr:value = '203.0.113.1'] AND [domain-name:value = 'x.example']) FOLLOWEDBY [url:value = 'https://x.example/p'] " +
        "WITHIN 600 SECONDS REPEATS 2 TIMES START t'2024-01-01T00:00:00Z' STOP t'2024-02-01T00:00:00.5Z'",
    );
    expect(parsed.observables.map((o) => o.value)).toEqual(['203.0.113.1', 'x.example', 'https://x.example/p']);
    expect(parsed.composite).toBe(true);
    expect(parsed.qualifiers).toEqual(['WITHIN', 'REPEATS', 'START']);
    expect(parseStixPattern("[ipv4-addr:value = '1.2.3.4' and ipv4-addr:value != '1.2.3.5']").composite).toBe(true);
  });

  it('parses but does not keep other objects, negations and non-equality operators', () => {
    const parsed = parseStixPattern(
      "[process:name = 'evil.exe'] OR [ipv4-addr:value != '1.1.1.1'] OR [domain-name:value NOT = 'x.example'] OR " +
        "[url:value LIKE 'http://%.example/'] OR [file:size > 1024] OR [file:hashes.'SHA-512' = 'ab'] OR [x-custom:extensions.'x'[*].y MATCHES '^a'] " +
        "OR [file:name = 'a' AND file:size >= -1.5 AND file:flag = true AND file:bin = h'00ff' AND file:b64 = b'AAAA']",
    );
    expect(parsed.observables).toEqual([]);
    expect(parsed.unsupported).toBe(12);
    expect(parseStixPattern('[EXISTS file:name]').unsupported).toBe(1);
  });

  it('refuses malformed patterns with a code and the 1-based column', () => {
    expect(failure("[ipv4-addr:value = '1.2.3.4'")).toMatchObject({ code: 'syntax', column: 29 });
    expect(failure("ipv4-addr:value = '1.2.3.4'")).toMatchObject({ code: 'syntax', column: 1 });
    expect(failure("[ipv4-addr:value '1.2.3.4']")).toMatchObject({ code: 'syntax', column: 18 });
    expect(failure("[ipv4-addr:value = '1.2.3.4'] AND")).toMatchObject({ code: 'syntax', column: 34 });
    expect(failure("[ipv4-addr:value = '1.2.3.4']] ")).toMatchObject({ code: 'syntax', column: 30 });
    expect(failure("[ipv4-addr:value = '1.2.3.4] ")).toMatchObject({ code: 'unterminated_string', column: 20 });
    expect(failure("[domain-name:value = 'a\\qb']")).toMatchObject({ code: 'syntax', column: 24 });
    expect(failure("[ipv4-addr:value = '1.2.3.4'] WITHIN 5 MINUTES")).toMatchObject({ code: 'syntax', column: 40 });
    expect(failure("[ipv4-addr:value = '1.2.3.4'] START t'yesterday' STOP t'2024-01-01T00:00:00Z'")).toMatchObject({ code: 'syntax', column: 37 });
    expect(failure('[ipv4-addr:value = @]')).toMatchObject({ code: 'syntax', column: 20 });
    expect(failure('   ')).toMatchObject({ code: 'empty', column: 1 });
    expect(failure("[ipv4-addr:value = '1.2.3.4'] OR").message).toBe(
      "expected '[' or '(' but found end of pattern (column 33); an observation is written [object-type:property = value]",
    );
  });

  it('refuses values that are not of the observable type', () => {
    expect(failure("[ipv4-addr:value = '999.1.1.1']")).toMatchObject({ code: 'invalid_value', column: 20 });
    expect(failure("[ipv6-addr:value = '1.2.3.4']")).toMatchObject({ code: 'invalid_value' });
    expect(failure("[file:hashes.MD5 = 'abc']")).toMatchObject({ code: 'invalid_value', column: 20 });
    expect(failure("[domain-name:value = 'bad domain']")).toMatchObject({ code: 'invalid_value' });
    expect(failure("[url:value = 'not a url']")).toMatchObject({ code: 'invalid_value' });
    expect(failure('[ipv4-addr:value = 42]')).toMatchObject({ code: 'invalid_value', column: 20 });
  });

  it('refuses oversized and too deeply nested patterns', () => {
    const long = `[domain-name:value = '${'a'.repeat(MAX_PATTERN_LENGTH)}.example']`;
    expect(failure(long)).toMatchObject({ code: 'too_long', column: MAX_PATTERN_LENGTH + 1 });
    const exactly = `[url:value = 'http://x.example/${'a'.repeat(MAX_PATTERN_LENGTH - 33)}']`;
    expect(exactly.length).toBe(MAX_PATTERN_LENGTH);
    expect(() => parseStixPattern(exactly)).toThrow(/not a valid url/); // parsed to the end; the URL is over 2048
    const deep = `${'('.repeat(70)}[ipv4-addr:value = '1.2.3.4']${')'.repeat(70)}`;
    expect(failure(deep)).toMatchObject({ code: 'too_deep' });
  });
});
