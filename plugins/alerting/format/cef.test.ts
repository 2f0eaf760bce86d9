import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../../test/support/make-alert.js';
import { readCef } from '../../../test/alerting/read-formats.js';
import { formatCef } from './cef.js';

const T0 = 1_796_032_800_123_456_789n;

describe('CEF', () => {
  it('writes the header and extension of an alert', () => {
    const alert = makeAlert({ timestampNs: T0, severity: 5, ruleName: 'SSH brute force', alertType: 'correlation' });
    const line = formatCef(alert);
    expect(line.startsWith('CEF:0|Seerflow|Seerflow|0.1.0|correlation:SSH brute force|SSH brute force|9|rt=1796032800123 cat=correlation ')).toBe(true);
    expect(readCef(line).ext).toMatchObject({
      rt: '1796032800123',
      externalId: alert.alertId,
      msg: 'Repeated failed SSH logins from 203.0.113.7',
      src: '203.0.113.7',
      cs3Label: 'mitreTactics',
      cs3: 'credential_access',
      cs4: 'T1110.001',
      cfp1: '0.5',
      cn1: '1',
    });
  });

  it('maps the seven severities onto 0..10', () => {
    const severities = [0, 1, 2, 3, 4, 5, 6].map((severity) => formatCef(makeAlert({ severity: severity as 0 })).split('|')[6]);
    expect(severities).toEqual(['0', '1', '3', '5', '7', '9', '10']);
  });

  it('escapes pipes and backslashes in the header, = and \\ and newlines in values, and keeps one line', () => {
    const ruleName = 'Evil | rule \\ with = signs\nand a newline';
    const description = 'a=b \\ c | d\r\nsecond line ünïcødé 🚨 key=value';
    const alert = makeAlert({ ruleName, description, entityType: 'user', entityValue: 'CORP\\alice=admin|root' });
    const line = formatCef(alert);
    expect(line).not.toMatch(/[\r\n]/);
    expect(line).toContain('|sigma:Evil \\| rule \\\\ with = signs and a newline|');
    expect(line).toContain('msg=a\\=b \\\\ c | d\\r\\nsecond line ünïcødé 🚨 key\\=value ');
    const { header, ext } = readCef(line);
    expect(header[5]).toBe('Evil | rule \\ with = signs and a newline');
    expect(ext.msg).toBe(description);
    expect(ext.suser).toBe('CORP\\alice=admin|root');
    expect(ext.cs2).toBe('CORP\\alice=admin|root');
  });

  it('cuts very long fields to the spec’s lengths without splitting an escape or a character', () => {
    const alert = makeAlert({ ruleName: '|'.repeat(2000), description: `${'='.repeat(1022)}🚨tail` });
    const { header, ext } = readCef(formatCef(alert));
    expect(header[5]).toBe('|'.repeat(512));
    expect(ext.msg).toBe('='.repeat(1022)); // the emoji would straddle the limit: left out whole
  });
});
