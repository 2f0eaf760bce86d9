import { describe, expect, it } from 'vitest';
import { Severity } from '../severity.js';
import { parseSyslogLine } from './syslog.js';

/** ns since the epoch of a UTC wall-clock time, through Date.UTC (month 1-based). */
function utcNs(year: number, month: number, day: number, h = 0, m = 0, s = 0): bigint {
  return BigInt(Date.UTC(year, month - 1, day, h, m, s)) * 1_000_000n;
}

const NOW = utcNs(2026, 11, 30, 12); // 2026-11-30T12:00:00Z

describe('parseSyslogLine: RFC 5424', () => {
  it('parses the sshd vector from the issue', () => {
    const line =
      '<34>1 2026-11-30T10:00:00.123456Z web01 sshd 4242 - - Failed password for root from 203.0.113.7 port 22 ssh2';
    expect(utcNs(2026, 11, 30, 10) + 123_456_000n).toBe(1_796_032_800_123_456_000n);
    expect(parseSyslogLine(line, NOW)).toStrictEqual({
      message: 'Failed password for root from 203.0.113.7 port 22 ssh2',
      timestampNs: 1_796_032_800_123_456_000n,
      severity: Severity.CRITICAL,
      facility: 4,
      syslogSeverity: 2,
      rfc: '5424',
      host: 'web01',
      app: 'sshd',
      procId: '4242',
    });
  });

  it('parses the RFC 5424 §6.5 example with structured data and a BOM', () => {
    const line =
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 ' +
      '[exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"]' +
      '[examplePriority@32473 class="high"] \uFEFFAn application event log entry...';
    expect(parseSyslogLine(line, NOW)).toStrictEqual({
      message: 'An application event log entry...',
      timestampNs: utcNs(2003, 10, 11, 22, 14, 15) + 3_000_000n,
      severity: Severity.NOTICE,
      facility: 20,
      syslogSeverity: 5,
      rfc: '5424',
      host: 'mymachine.example.com',
      app: 'evntslog',
      msgId: 'ID47',
      fields: {
        'exampleSDID@32473.iut': '3',
        'exampleSDID@32473.eventSource': 'Application',
        'exampleSDID@32473.eventID': '1011',
        'examplePriority@32473.class': 'high',
      },
    });
  });

  it('maps PRI to facility and severity', () => {
    const info = parseSyslogLine('<134>1 - - - - - - hello', NOW);
    expect(info).toMatchObject({ facility: 16, syslogSeverity: 6, severity: Severity.INFORMATIONAL });
    expect(parseSyslogLine('<11>1 - - - - - - x', NOW)).toMatchObject({ facility: 1, syslogSeverity: 3, severity: Severity.ERROR });
    expect(parseSyslogLine('<0>1 - - - - - - x', NOW)).toMatchObject({ facility: 0, syslogSeverity: 0, severity: Severity.FATAL });
    expect(parseSyslogLine('<191>1 - - - - - - x', NOW)).toMatchObject({ facility: 23, syslogSeverity: 7, severity: Severity.TRACE });
  });

  it('treats every nil value as absent', () => {
    expect(parseSyslogLine('<13>1 - - - - - -', NOW)).toStrictEqual({
      message: '',
      severity: Severity.NOTICE,
      facility: 1,
      syslogSeverity: 5,
      rfc: '5424',
    });
    expect(parseSyslogLine('<13>1 - - - - - - ', NOW)?.message).toBe('');
  });

  it('applies numeric offsets', () => {
    const plus = parseSyslogLine('<13>1 2026-11-30T12:00:00+02:00 h a - - - m', NOW);
    expect(plus?.timestampNs).toBe(utcNs(2026, 11, 30, 10));
    const minus = parseSyslogLine('<13>1 2026-11-30T22:30:00.5-05:30 h a - - - m', NOW);
    expect(minus?.timestampNs).toBe(utcNs(2026, 12, 1, 4) + 500_000_000n);
  });

  it('keeps all nine fraction digits exactly', () => {
    const rec = parseSyslogLine('<13>1 2026-11-30T10:00:00.123456789Z h a - - - m', NOW);
    expect(rec?.timestampNs).toBe(1_796_032_800_123_456_789n);
    const one = parseSyslogLine('<13>1 2026-11-30T10:00:00.1Z h a - - - m', NOW);
    expect(one?.timestampNs).toBe(1_796_032_800_100_000_000n);
    const leadingZeros = parseSyslogLine('<13>1 2026-11-30T10:00:00.000000001Z h a - - - m', NOW);
    expect(leadingZeros?.timestampNs).toBe(1_796_032_800_000_000_001n);
  });

  it('handles times before 1970 and the leap day', () => {
    expect(parseSyslogLine('<13>1 1969-12-31T23:59:59.5Z h a - - - m', NOW)?.timestampNs).toBe(-500_000_000n);
    expect(parseSyslogLine('<13>1 2028-02-29T00:00:00Z h a - - - m', NOW)?.timestampNs).toBe(utcNs(2028, 2, 29));
  });

  it('unescapes \\" \\\\ and \\] in SD values and keeps other backslashes', () => {
    const line = String.raw`<13>1 - h a - - [x@1 q="say \"hi\"" b="C:\\dir" r="[a\]" o="\n" e=""] msg`;
    expect(parseSyslogLine(line, NOW)?.fields).toStrictEqual({
      'x@1.q': 'say "hi"',
      'x@1.b': 'C:\\dir',
      'x@1.r': '[a]',
      'x@1.o': '\\n',
      'x@1.e': '',
    });
  });

  it('accepts SD with no message and an SD-ID without params', () => {
    const rec = parseSyslogLine('<13>1 - h a - - [timeQuality tzKnown="1"][empty@1]', NOW);
    expect(rec?.message).toBe('');
    expect(rec?.fields).toStrictEqual({ 'timeQuality.tzKnown': '1' });
  });

  it('falls back to the text after PRI when the header is malformed', () => {
    const cases = [
      '1 2026-13-30T10:00:00Z h a - - - m', // month 13
      '1 2026-02-30T10:00:00Z h a - - - m', // no Feb 30
      '1 2026-11-30T24:00:00Z h a - - - m',
      '1 2026-11-30T10:00:60Z h a - - - m', // leap second
      '1 2026-11-30T10:00:00 h a - - - m', // no zone
      '1 2026-11-30T10:00:00.1234567890Z h a - - - m', // 10 fraction digits
      '1 2026-11-30T10:00:00.Z h a - - - m',
      '1 2026-11-30T10:00:00+2:00 h a - - - m',
      '1 - h a - - [unterminated x="1" m',
      '1 - h a - - [x a="1] m',
      '1 - h a - - [x a=1] m',
      '1 - h a - - [=x] m',
      '1 - h a - - x m', // SD neither - nor [
      '1 - h a - -', // no SD
      '1 - h  a - - - m', // empty field
      '1 - h a - - -m',
    ];
    for (const rest of cases) {
      expect(parseSyslogLine(`<34>${rest}`, NOW), rest).toStrictEqual({
        message: rest,
        severity: Severity.CRITICAL,
        facility: 4,
        syslogSeverity: 2,
        rfc: '5424',
      });
    }
  });
});

describe('parseSyslogLine: RFC 3164', () => {
  it('parses the RFC 3164 §5.4 example (TAG:)', () => {
    const line = "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8";
    expect(parseSyslogLine(line, NOW)).toStrictEqual({
      message: "'su root' failed for lonvick on /dev/pts/8",
      timestampNs: utcNs(2026, 10, 11, 22, 14, 15),
      severity: Severity.CRITICAL,
      facility: 4,
      syslogSeverity: 2,
      rfc: '3164',
      host: 'mymachine',
      app: 'su',
    });
  });

  it('parses TAG[PID]: and the space-padded day', () => {
    expect(parseSyslogLine('<86>Nov  3 09:05:01 web01 CRON[2231]: pam_unix(cron:session): session opened', NOW)).toStrictEqual({
      message: 'pam_unix(cron:session): session opened',
      timestampNs: utcNs(2026, 11, 3, 9, 5, 1),
      severity: Severity.INFORMATIONAL,
      facility: 10,
      syslogSeverity: 6,
      rfc: '3164',
      host: 'web01',
      app: 'CRON',
      procId: '2231',
    });
    expect(parseSyslogLine('<13>Nov 3 09:05:01 web01 kernel: x', NOW)?.timestampNs).toBe(utcNs(2026, 11, 3, 9, 5, 1));
  });

  it('parses the PRI-less auth.log form with default facility and severity', () => {
    expect(parseSyslogLine('Nov 30 10:00:00 web01 sshd[123]: msg', NOW)).toStrictEqual({
      message: 'msg',
      timestampNs: utcNs(2026, 11, 30, 10),
      severity: Severity.NOTICE,
      facility: 1,
      syslogSeverity: 5,
      rfc: '3164',
      host: 'web01',
      app: 'sshd',
      procId: '123',
    });
  });

  it('parses rsyslog high-precision timestamps in a BSD header', () => {
    const rec = parseSyslogLine('2026-11-30T10:00:00.123456+01:00 web01 sshd[9]: Accepted publickey', NOW);
    expect(rec).toMatchObject({ rfc: '3164', host: 'web01', app: 'sshd', procId: '9', message: 'Accepted publickey' });
    expect(rec?.timestampNs).toBe(utcNs(2026, 11, 30, 9) + 123_456_000n);
  });

  it('keeps a fraction on a BSD timestamp', () => {
    expect(parseSyslogLine('<13>Nov 30 10:00:00.250 h a: m', NOW)?.timestampNs).toBe(utcNs(2026, 11, 30, 10) + 250_000_000n);
  });

  it('takes the previous year when the date would be more than a day ahead', () => {
    const newYear = utcNs(2027, 1, 1, 0, 5);
    expect(parseSyslogLine('<13>Dec 31 23:59:00 h a: m', newYear)?.timestampNs).toBe(utcNs(2026, 12, 31, 23, 59));
    expect(parseSyslogLine('<13>Jan  1 00:04:00 h a: m', newYear)?.timestampNs).toBe(utcNs(2027, 1, 1, 0, 4));
    // Less than a day ahead (clock skew) stays in this year.
    expect(parseSyslogLine('<13>Dec  1 08:00:00 h a: m', NOW)?.timestampNs).toBe(utcNs(2026, 12, 1, 8));
    expect(parseSyslogLine('<13>Dec  2 08:00:00 h a: m', NOW)?.timestampNs).toBe(utcNs(2025, 12, 2, 8));
  });

  it('follows nowNs across calls', () => {
    expect(parseSyslogLine('<13>Mar  1 00:00:00 h a: m', utcNs(2024, 6, 1))?.timestampNs).toBe(utcNs(2024, 3, 1));
    expect(parseSyslogLine('<13>Mar  1 00:00:00 h a: m', utcNs(2031, 6, 1))?.timestampNs).toBe(utcNs(2031, 3, 1));
    expect(parseSyslogLine('<13>Feb 29 00:00:00 h a: m', utcNs(2028, 6, 1))?.timestampNs).toBe(utcNs(2028, 2, 29));
  });

  it('reads a first token that is a tag as a missing host', () => {
    expect(parseSyslogLine('<13>Nov 30 10:00:00 sshd[1]: x', NOW)).toMatchObject({ app: 'sshd', procId: '1', message: 'x' });
    expect(parseSyslogLine('<13>Nov 30 10:00:00 kernel: x', NOW)).toMatchObject({ app: 'kernel', message: 'x' });
    expect(parseSyslogLine('<13>Nov 30 10:00:00 kernel: x', NOW)?.host).toBeUndefined();
  });

  it('keeps the message whole when there is no tag', () => {
    const rec = parseSyslogLine('<13>Nov 30 10:00:00 web01 last message repeated 3 times', NOW);
    expect(rec).toMatchObject({ host: 'web01', message: 'last message repeated 3 times' });
    expect(rec?.app).toBeUndefined();
    expect(parseSyslogLine('<13>Nov 30 10:00:00 web01 see http://x/y', NOW)?.message).toBe('see http://x/y');
    expect(parseSyslogLine('<13>Nov 30 10:00:00 web01 postfix/smtpd[77]: NOQUEUE', NOW)).toMatchObject({
      app: 'postfix/smtpd',
      procId: '77',
      message: 'NOQUEUE',
    });
  });

  it('falls back to the text after PRI when the header is malformed', () => {
    for (const rest of ['garbage', 'Nov 31 10:00:00 h a: m', 'Nov 30 25:00:00 h a: m', 'Nov 30 10:00 h a: m', 'Feb 29 10:00:00 h a: m', '']) {
      expect(parseSyslogLine(`<34>${rest}`, NOW), rest).toStrictEqual({
        message: rest,
        severity: Severity.CRITICAL,
        facility: 4,
        syslogSeverity: 2,
        rfc: '3164',
      });
    }
  });
});

describe('parseSyslogLine: PRI and shape', () => {
  it('falls back to user.notice for PRI > 191 and digits that are no PRI', () => {
    for (const line of ['<192>x', '<999>x', '<>x', '<1234>x']) {
      expect(parseSyslogLine(line, NOW), line).toStrictEqual({
        message: 'x',
        severity: Severity.NOTICE,
        facility: 1,
        syslogSeverity: 5,
        rfc: '3164',
      });
    }
  });

  it('returns undefined for lines without a syslog shape', () => {
    const lines = [
      '',
      'hello world',
      '<html><body>',
      '<12',
      '<12345678901234>x',
      '2026-11-30T10:00:00Z INFO server started', // application log: no TAG:
      '2026-11-30T10:00:00.123Z ERROR worker: job failed', // application log: a level, not a host
      'Nov 30 10:00:00 WARN disk: almost full',
      'Nov 30 10:00:00',
      'Nov 30 10:00:00 ',
      'Novel 30 10:00:00 web01 x: y',
      '{"level":"info"}',
    ];
    for (const line of lines) expect(parseSyslogLine(line, NOW), line).toBeUndefined();
  });

  it('never throws on hostile input', () => {
    const hostile = [
      '<34>1 ' + 'x'.repeat(1_000_000),
      '<34>1 - h a - - ' + '['.repeat(100_000),
      '<34>1 - h a - - [x ' + 'a="b" '.repeat(50_000),
      '<34>Nov 30 10:00:00 ' + 'sshd['.repeat(50_000),
      'Nov 30 10:00:00 h ' + '\u0000\u0001\u001b[31m'.repeat(1000),
      '<34>1 - h\u0000 a\uD800 - - - \uFFFF\uD83D\uDE00',
      '<34>1 9999-12-31T23:59:59.999999999+23:59 h a - - - m',
      '<34>1 0000-01-01T00:00:00-23:59 h a - - - m',
      '\uFEFF<34>x',
    ];
    for (const line of hostile) expect(() => parseSyslogLine(line, NOW)).not.toThrow();
    expect(parseSyslogLine('<34>1 - h\u0000 a\uD800 - - - \uFFFF', NOW)).toMatchObject({ host: 'h\u0000', app: 'a\uD800', message: '\uFFFF' });
  });

  it('never throws on random input around valid lines', () => {
    const seeds = [
      '<34>1 2026-11-30T10:00:00.123456Z web01 sshd 4242 ID1 [a@1 k="v\\"w"] msg',
      '<13>Nov  3 09:05:01 web01 CRON[2231]: x',
      'Nov 30 10:00:00 web01 sshd[123]: msg',
    ];
    const alphabet = '<>[]"\\= -:.0123456789TZ+abcNov\uFEFF\n\u0000é😀';
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed % n;
    };
    let parsed = 0;
    for (let i = 0; i < 20_000; i++) {
      const base = seeds[i % seeds.length] as string;
      const at = random(base.length + 1);
      const mutated = base.slice(0, at) + alphabet[random(alphabet.length)] + base.slice(at + random(3));
      // A throw fails the test.
      if (parseSyslogLine(mutated.slice(0, random(mutated.length + 1)), NOW) !== undefined) parsed++;
    }
    expect(parsed).toBeGreaterThan(10_000);
  });
});
