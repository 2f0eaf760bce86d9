import { describe, expect, it } from 'vitest';
import { compileRegex, minimumLength, requiredLiteral, requiredLiterals } from './regex.js';

const flags = { ignoreCase: false, multiline: false, dotAll: false };

describe('compileRegex', () => {
  it('matches with RE2 semantics and rejects what RE2 cannot do', () => {
    const regex = compileRegex('sekurlsa::\\w+', flags);
    expect(regex.test('x sekurlsa::logonpasswords', 'x sekurlsa::logonpasswords')).toBe(true);
    expect(() => compileRegex('(a)\\1', flags)).toThrow();
    expect(() => compileRegex('(?=a)', flags)).toThrow();
    expect(() => compileRegex('x'.repeat(9000), flags)).toThrow(/longer than/);
  });

  it('stays linear on catastrophic patterns', () => {
    const regex = compileRegex('^(a|aa)+$', flags);
    const input = `${'a'.repeat(200_000)}b`;
    const start = performance.now();
    expect(regex.test(input, input)).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('literals and minimum length', () => {
  it('finds texts every match contains', () => {
    expect(requiredLiterals('\\\\Windows\\\\Temp\\\\[a-z]+\\.exe')).toEqual(['\\windows\\temp\\', '.exe']);
    expect(requiredLiteral('cmd.{0,5}(?:/c|/r).+powershell')).toBe('powershell');
    expect(requiredLiteral('(?i)\\.exe\\s+werfaultsecure\\.exe')).toBe('werfaultsecure.exe');
    expect(requiredLiterals('ab?c')).toEqual(['a', 'c']);
    expect(requiredLiteral('abc+d')).toBe('abc');
    expect(requiredLiteral('a|b')).toBe('');
    expect(requiredLiteral('(?s)x')).toBe('x');
    expect(requiredLiteral('(?P<n>abc)')).toBe('');
  });

  it('bounds the length of any match from below', () => {
    expect(minimumLength('.{1000,}')).toBe(1000);
    expect(minimumLength('ab(c|de)?f+')).toBe(3);
    expect(minimumLength('^(?:abc|d)$')).toBe(1);
    expect(minimumLength('[a-z]{2,3}\\d*\\b')).toBe(2);
    expect(minimumLength('(?i)abc')).toBe(3);
    expect(minimumLength('a)')).toBe(0);
  });
});
