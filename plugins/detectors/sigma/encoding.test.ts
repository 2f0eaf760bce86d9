import { describe, expect, it } from 'vitest';
import { MAX_WINDASH_VARIANTS, base64, base64Offsets, flagDashPositions, textOf, utf16be, utf16bom, utf16le, windashVariants } from './encoding.js';

const text = (value: string) => ({ kind: 'text' as const, text: value });

describe('encodings', () => {
  it('base64 and the three base64 offsets', () => {
    expect(textOf(base64(text('http://')))).toBe('aHR0cDovLw==');
    expect(base64Offsets(text('/bin/bash')).map(textOf)).toEqual(['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
  });

  it('each offset form appears in the encoding of the value at that offset', () => {
    const [zero, one, two] = base64Offsets(text('secret')).map(textOf);
    expect(Buffer.from('secret!!').toString('base64')).toContain(zero);
    expect(Buffer.from('xsecret!!').toString('base64')).toContain(one);
    expect(Buffer.from('xxsecret!!').toString('base64')).toContain(two);
  });

  it('utf16 forms', () => {
    expect(textOf(utf16le(text('cmd')))).toBe('c\u0000m\u0000d\u0000');
    expect(textOf(utf16be(text('cmd')))).toBe('\u0000c\u0000m\u0000d');
    expect(textOf(utf16bom(text('cmd')))).toBe('\u00ff\u00fec\u0000m\u0000d\u0000');
  });
});

describe('windash', () => {
  it('varies only dashes and slashes that start a flag', () => {
    // Like pySigma's \B[-/]\b: a dash or slash after a non-word character and before a word one.
    expect(flagDashPositions(' -enc /c a-b C:/x -')).toEqual([1, 6, 15]);
    expect(windashVariants(' -a')).toEqual([' -a', ' /a', ' \u2013a', ' \u2014a', ' \u2015a']);
    expect(windashVariants(' -a /b')).toHaveLength(25);
    expect(windashVariants('no flags')).toEqual(['no flags']);
  });

  it('refuses a value that would expand too far', () => {
    const many = Array.from({ length: 8 }, (_, i) => ` -f${i}`).join('');
    expect(5 ** 8).toBeGreaterThan(MAX_WINDASH_VARIANTS);
    expect(windashVariants(many)).toBeUndefined();
  });
});
