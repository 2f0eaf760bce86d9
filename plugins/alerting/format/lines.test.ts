import { describe, expect, it } from 'vitest';
import { makeAlert } from '../../../test/support/make-alert.js';
import { formatHuman, formatJsonLine } from './lines.js';

describe('line formats', () => {
  it('shows an alert on one human line, with controls (and terminal escapes) made visible', () => {
    const alert = makeAlert({ timestampNs: 1_796_032_800_000_000_000n, severity: 5, description: 'two\nlines \u001b[31mred\u001b[0m\u009b' });
    expect(formatHuman(alert)).toBe(
      `2026-11-30T10:00:00.000Z CRITICAL sigma "SSH brute force" ip 203.0.113.7 risk=0.50 two\\nlines \\x1b[31mred\\x1b[0m\\x9b [${alert.alertId}]`,
    );
  });

  it('writes the API’s alert object as one line of JSON', () => {
    const alert = makeAlert({ description: 'a\nb', details: { windowNs: 1n } });
    const line = formatJsonLine(alert);
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({ alert_id: alert.alertId, message: 'a\nb', timestamp_ns: '1796032800000000000', details: { windowNs: '1' } });
  });
});
