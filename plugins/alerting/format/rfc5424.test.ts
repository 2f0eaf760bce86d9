import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../../test/support/make-alert.js';
import { formatRfc5424, headerField, octetCounted } from './rfc5424.js';

const header = { facility: 1, hostname: 'seerflow-01', appName: 'seerflow', procId: '4242', bom: true };

describe('RFC 5424', () => {
  it('computes PRI from the facility and the inverse severity map, and stamps the alert’s time', () => {
    const alert = makeAlert({ timestampNs: 1_796_032_800_123_456_789n, severity: 5 });
    expect(formatRfc5424(alert, 'CEF:0|x', header)).toBe('<10>1 2026-11-30T10:00:00.123Z seerflow-01 seerflow 4242 sigma - \uFEFFCEF:0|x');
    const pri = [0, 1, 2, 3, 4, 5, 6].map((severity) => formatRfc5424(makeAlert({ severity: severity as 0 }), 'm', { ...header, facility: 13 }).match(/^<(\d+)>/)![1]);
    expect(pri).toEqual(['111', '110', '109', '108', '107', '106', '105']);
    expect(formatRfc5424(alert, 'm', { ...header, bom: false }).endsWith(' - m')).toBe(true);
  });

  it('keeps header fields printable ASCII and bounded, `-` when empty', () => {
    expect(headerField('host name\twith ünï', 255)).toBe('hostnamewithn');
    expect(headerField('üï ', 255)).toBe('-');
    expect(headerField('a'.repeat(60), 48)).toHaveLength(48);
  });

  it('frames for TCP by octet count, not character count', () => {
    expect(octetCounted('<14>1 - - - - - - é').toString('utf8')).toBe('20 <14>1 - - - - - - é');
  });
});
