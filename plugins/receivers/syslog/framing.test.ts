import { describe, expect, it } from 'vitest';
import { decodeDatagram, SyslogStreamDecoder } from './framing.js';

/** Feed `chunks` to a fresh decoder, then end it; return every message and the decoder. */
function decodeAll(chunks: Buffer[], maxMessageBytes = 1024): { messages: string[]; decoder: SyslogStreamDecoder } {
  const decoder = new SyslogStreamDecoder({ maxMessageBytes });
  const messages: string[] = [];
  for (const chunk of chunks) messages.push(...decoder.push(chunk));
  messages.push(...decoder.end());
  return { messages, decoder };
}

const octet = (msg: string): string => `${Buffer.byteLength(msg)} ${msg}`;

describe('SyslogStreamDecoder', () => {
  it('splits newline-framed messages and strips CR', () => {
    const decoder = new SyslogStreamDecoder({ maxMessageBytes: 1024 });
    expect(decoder.push(Buffer.from('<34>a\n<13>b\r\n\n\r\n<13>c'))).toStrictEqual(['<34>a', '<13>b']);
    expect(decoder.end()).toStrictEqual(['<13>c']);
    expect(decoder.end()).toStrictEqual([]);
  });

  it('reads octet-counted frames, which may hold newlines', () => {
    const stream = octet('<34>1 - h a - - - first\nline') + octet('<13>second');
    expect(decodeAll([Buffer.from(stream)]).messages).toStrictEqual(['<34>1 - h a - - - first\nline', '<13>second']);
  });

  it('drops a trailing LF or CR LF counted inside an octet frame', () => {
    expect(decodeAll([Buffer.from('4 abc\n5 abc\r\n')]).messages).toStrictEqual(['abc', 'abc']);
  });

  it('detects the framing per frame on one connection', () => {
    const stream = `${octet('<34>one')}<13>two\n${octet('three')}\n<13>four\n${octet('five')}`;
    expect(decodeAll([Buffer.from(stream)]).messages).toStrictEqual(['<34>one', '<13>two', 'three', '<13>four', 'five']);
  });

  it('reads digits not followed by a space as the start of a line', () => {
    const stream = '12abc\n0 zero\n1234567890 ten digits\n2026-11-30T10:00:00Z web01 sshd[1]: x\n42\n';
    expect(decodeAll([Buffer.from(stream)]).messages).toStrictEqual([
      '12abc',
      '0 zero',
      '1234567890 ten digits',
      '2026-11-30T10:00:00Z web01 sshd[1]: x',
      '42',
    ]);
  });

  it('gives the same messages whatever the chunk boundaries', () => {
    const stream = Buffer.from(
      `${octet('<34>1 2026-11-30T10:00:00Z web01 sshd 42 - - é😀 ok')}<13>Nov 30 10:00:00 h a: ü\r\n` +
        `${octet('multi\nline')}12x not a count\n\n${octet('x')}last without newline`,
    );
    const expected = [
      '<34>1 2026-11-30T10:00:00Z web01 sshd 42 - - é😀 ok',
      '<13>Nov 30 10:00:00 h a: ü',
      'multi\nline',
      '12x not a count',
      'x',
      'last without newline',
    ];
    expect(decodeAll([stream]).messages).toStrictEqual(expected);
    for (let a = 0; a <= stream.length; a++) {
      expect(decodeAll([stream.subarray(0, a), stream.subarray(a)]).messages, `split at ${a}`).toStrictEqual(expected);
      for (let b = a; b <= stream.length; b += 7) {
        const parts = [stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)];
        expect(decodeAll(parts).messages, `split at ${a}, ${b}`).toStrictEqual(expected);
      }
    }
    const bytes = [...stream].map((b) => Buffer.from([b]));
    expect(decodeAll(bytes).messages).toStrictEqual(expected);
  });

  it('truncates an oversized octet frame and stays in sync after it', () => {
    const stream = Buffer.from(`${octet('0123456789abcdef')}${octet('short')}`);
    for (let a = 0; a <= stream.length; a++) {
      const { messages, decoder } = decodeAll([stream.subarray(0, a), stream.subarray(a)], 8);
      expect(messages, `split at ${a}`).toStrictEqual(['01234567', 'short']);
      expect(decoder.truncated).toBe(1);
    }
  });

  it('truncates an oversized line and discards the rest until the newline', () => {
    const decoder = new SyslogStreamDecoder({ maxMessageBytes: 8 });
    expect(decoder.push(Buffer.from('<13>abcdefgh'))).toStrictEqual([]);
    expect(decoder.push(Buffer.from('ijkl'))).toStrictEqual([]);
    expect(decoder.push(Buffer.from('mnop\nok\n'))).toStrictEqual(['<13>abcd', 'ok']);
    expect(decoder.truncatedIndexes).toStrictEqual([0]);
    expect(decoder.truncated).toBe(1);
    expect(decoder.push(Buffer.from('fine\n'))).toStrictEqual(['fine']);
    expect(decoder.truncatedIndexes).toStrictEqual([]);
  });

  it('counts a message of exactly the limit, plus CR LF, as whole', () => {
    const { messages, decoder } = decodeAll([Buffer.from('12345678\r\n10 12345678\r\n')], 8);
    expect(messages).toStrictEqual(['12345678', '12345678']);
    expect(decoder.truncated).toBe(0);
  });

  it('keeps memory bounded on an endless line', () => {
    const decoder = new SyslogStreamDecoder({ maxMessageBytes: 1000 });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 1600; i++) expect(decoder.push(chunk)).toStrictEqual([]); // 100 MiB
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
    const [message] = decoder.push(Buffer.from('\n'));
    expect(message).toBe('a'.repeat(1000));
    expect(decoder.truncated).toBe(1);
  });

  it('skips a huge announced length without buffering it', () => {
    const decoder = new SyslogStreamDecoder({ maxMessageBytes: 16 });
    expect(decoder.push(Buffer.from('999999999 start'))).toStrictEqual([]);
    for (let i = 0; i < 100; i++) expect(decoder.push(Buffer.alloc(1024, 0x62))).toStrictEqual([]);
    expect(decoder.end()).toStrictEqual(['startbbbbbbbbbbb']);
    expect(decoder.truncated).toBe(1);
  });

  it('cuts on a UTF-8 character boundary', () => {
    const { messages } = decodeAll([Buffer.from('ééé\n€€\n')], 5);
    expect(messages).toStrictEqual(['éé', '€']);
    const octets = decodeAll([Buffer.from(octet('a😀b'))], 4).messages;
    expect(octets).toStrictEqual(['a']);
  });

  it('flushes a length prefix or a partial octet frame at end', () => {
    expect(decodeAll([Buffer.from('123')]).messages).toStrictEqual(['123']);
    expect(decodeAll([Buffer.from('10 abc')]).messages).toStrictEqual(['abc']);
  });

  it('rejects an invalid limit with the option name', () => {
    expect(() => new SyslogStreamDecoder({ maxMessageBytes: 0 })).toThrow(/maxMessageBytes must be a positive integer, got 0/);
    expect(() => new SyslogStreamDecoder({ maxMessageBytes: 1.5 })).toThrow(/maxMessageBytes/);
  });
});

describe('decodeDatagram', () => {
  it('returns one message and strips the trailing newline', () => {
    expect(decodeDatagram(Buffer.from('<34>1 - h a - - - x\n'), 8192)).toStrictEqual({
      lines: ['<34>1 - h a - - - x'],
      truncated: false,
    });
    expect(decodeDatagram(Buffer.from('<13>a\r\n\u0000'), 8192).lines).toStrictEqual(['<13>a']);
  });

  it('keeps inner newlines: one datagram is one message (RFC 5426)', () => {
    expect(decodeDatagram(Buffer.from('<13>a\nb\n'), 8192).lines).toStrictEqual(['<13>a\nb']);
  });

  it('truncates at maxBytes on a character boundary', () => {
    expect(decodeDatagram(Buffer.from('<13>ab€'), 7)).toStrictEqual({ lines: ['<13>ab'], truncated: true });
    expect(decodeDatagram(Buffer.from('<13>abc\n'), 7)).toStrictEqual({ lines: ['<13>abc'], truncated: false });
  });

  it('returns no message for an empty datagram', () => {
    expect(decodeDatagram(new Uint8Array(0), 8192)).toStrictEqual({ lines: [], truncated: false });
    expect(decodeDatagram(Buffer.from('\n'), 8192)).toStrictEqual({ lines: [], truncated: false });
  });

  it('reads a view into a larger buffer', () => {
    const pool = Buffer.from('xxxx<13>hi\nyyyy');
    expect(decodeDatagram(pool.subarray(4, 11), 100).lines).toStrictEqual(['<13>hi']);
  });
});
