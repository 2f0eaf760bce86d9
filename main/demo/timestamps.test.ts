import { describe, expect, it } from 'vitest';
import { lineTimeMs, shiftLine } from './timestamps.js';

const HOUR = 3_600_000;

describe('demo timestamps', () => {
  it('reads and moves an RFC 5424 header time, keeping the rest of the line', () => {
    const line = '<38>1 2026-11-30T09:38:10.250Z bastion sshd 4242 - - Failed password for root from 203.0.113.45 port 40000 ssh2';
    expect(lineTimeMs(line)).toBe(Date.UTC(2026, 10, 30, 9, 38, 10, 250));
    expect(shiftLine(line, 26 * HOUR)).toBe(
      '<38>1 2026-12-01T11:38:10.250Z bastion sshd 4242 - - Failed password for root from 203.0.113.45 port 40000 ssh2',
    );
  });

  it('reads and moves a combined-log time, whatever its zone, written back in UTC', () => {
    const line = '203.0.113.77 - - [30/Nov/2026:10:48:07 +0100] "GET /.git/config HTTP/1.1" 403 153 "-" "Nikto"';
    expect(lineTimeMs(line)).toBe(Date.UTC(2026, 10, 30, 9, 48, 7));
    expect(shiftLine(line, -10 * HOUR)).toBe('203.0.113.77 - - [29/Nov/2026:23:48:07 +0000] "GET /.git/config HTTP/1.1" 403 153 "-" "Nikto"');
  });

  it('leaves a line without a time it knows alone', () => {
    expect(lineTimeMs('Nov 30 09:38:10 bastion sshd[1]: hello')).toBeNaN();
    expect(shiftLine('plain text', HOUR)).toBe('plain text');
  });
});
