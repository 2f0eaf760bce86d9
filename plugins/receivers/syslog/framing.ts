/**
 * Syslog message framing: bytes from a TCP connection or a UDP datagram → message strings.
 *
 * TCP follows RFC 6587: each frame is either octet-counted (`MSG-LEN SP MSG`, §3.4.1, MSG-LEN a
 * non-zero digit then up to 8 more digits) or non-transparent, ended by LF with a trailing CR
 * dropped (§3.4.2). The choice is made per frame from its first bytes, so one connection may mix
 * both. A frame that starts with digits not followed by a space is a newline-framed line that
 * happens to start with digits (a PRI-less `2026-11-30T…` line). Empty lines are skipped.
 *
 * UDP follows RFC 5426 §3.1: one message per datagram, never split on inner newlines.
 *
 * Memory is bounded: no more than `maxMessageBytes` (+2 for a CR LF) of one message is held.
 * A longer message is cut there (at a UTF-8 character boundary) and counted, and the rest of its
 * frame is read and discarded. Leaves out: TLS (RFC 5425) and the socket itself.
 */

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;
const SP = 0x20;
const ZERO = 0x30;
/** MSG-LEN digits we accept: 9 allows ~1 GB, far beyond any sane limit. */
const MAX_LENGTH_DIGITS = 9;
/** Room kept past the limit for a trailing CR LF, which is stripped before the limit applies. */
const SLACK = 2;

export interface StreamDecoderOptions {
  /** Longest message kept, in bytes; longer ones are truncated and counted. Positive integer. */
  maxMessageBytes: number;
}

const State = {
  /** At a frame boundary, nothing pending. */
  FrameStart: 0,
  /** Reading what may be an octet count. */
  Length: 1,
  /** Inside an octet-counted message. */
  Octets: 2,
  /** Inside a newline-terminated message. */
  Line: 3,
} as const;
type State = (typeof State)[keyof typeof State];

const NO_INDEXES: readonly number[] = Object.freeze([]);

/**
 * Decodes one TCP connection's byte stream into syslog messages. Use one instance per
 * connection; call `push` for each chunk and `end` when the peer closes.
 */
export class SyslogStreamDecoder {
  readonly #maxBytes: number;
  #state: State = State.FrameStart;
  /** Bytes of the current frame held across chunks (copies, at most maxBytes + SLACK). */
  #parts: Buffer[] = [];
  #pendingBytes = 0;
  /** The current frame lost bytes past the limit. */
  #overflow = false;
  #length = 0;
  #lengthDigits = 0;
  #remaining = 0;
  #truncated = 0;
  #truncatedIndexes: readonly number[] = NO_INDEXES;

  constructor(options: StreamDecoderOptions) {
    const max = options.maxMessageBytes;
    if (!Number.isSafeInteger(max) || max < 1) {
      throw new RangeError(`SyslogStreamDecoder: maxMessageBytes must be a positive integer, got ${String(max)}`);
    }
    this.#maxBytes = max;
  }

  /** Messages cut at `maxMessageBytes` since this decoder was made. */
  get truncated(): number {
    return this.#truncated;
  }

  /** Indexes, into the array the last `push` or `end` returned, of the messages that were cut. */
  get truncatedIndexes(): readonly number[] {
    return this.#truncatedIndexes;
  }

  /** Feed one chunk; returns the messages it completed, in order (possibly none). */
  push(chunk: Buffer): string[] {
    const out: string[] = [];
    this.#truncatedIndexes = NO_INDEXES;
    const n = chunk.length;
    let i = 0;
    while (i < n) {
      switch (this.#state) {
        case State.FrameStart: {
          const b = chunk[i] as number;
          if (b >= ZERO + 1 && b <= ZERO + 9) {
            this.#state = State.Length;
            this.#length = b - ZERO;
            this.#lengthDigits = 1;
            i++;
          } else if (b === LF) {
            i++; // an empty line between frames
          } else {
            this.#state = State.Line;
          }
          break;
        }

        case State.Length: {
          const b = chunk[i] as number;
          if (b >= ZERO && b <= ZERO + 9 && this.#lengthDigits < MAX_LENGTH_DIGITS) {
            this.#length = this.#length * 10 + (b - ZERO);
            this.#lengthDigits++;
            i++;
          } else if (b === SP) {
            this.#state = State.Octets;
            this.#remaining = this.#length;
            i++;
          } else {
            // Not an octet count: the digits begin a newline-framed line.
            this.#appendDigits();
            this.#state = State.Line;
          }
          break;
        }

        case State.Octets: {
          const take = Math.min(this.#remaining, n - i);
          const end = i + take;
          this.#remaining -= take;
          if (this.#remaining > 0) {
            this.#append(chunk, i, end);
          } else if (this.#parts.length === 0) {
            this.#emit(chunk, i, end, true, out); // the whole message is in this chunk
          } else {
            this.#append(chunk, i, end);
            this.#emitPending(true, out);
          }
          if (this.#remaining === 0) this.#state = State.FrameStart;
          i = end;
          break;
        }

        case State.Line: {
          const newline = chunk.indexOf(LF, i);
          if (newline < 0) {
            this.#append(chunk, i, n);
            i = n;
          } else {
            if (this.#parts.length === 0) {
              this.#emit(chunk, i, newline, false, out);
            } else {
              this.#append(chunk, i, newline);
              this.#emitPending(false, out);
            }
            this.#state = State.FrameStart;
            i = newline + 1;
          }
          break;
        }
      }
    }
    return out;
  }

  /** The peer closed: flush an unterminated last message (or a partial octet-counted one). */
  end(): string[] {
    const out: string[] = [];
    this.#truncatedIndexes = NO_INDEXES;
    if (this.#state === State.Length) this.#appendDigits();
    if (this.#state !== State.FrameStart) this.#emitPending(this.#state === State.Octets, out);
    this.#state = State.FrameStart;
    return out;
  }

  #appendDigits(): void {
    const digits = Buffer.from(String(this.#length), 'latin1');
    this.#append(digits, 0, digits.length);
  }

  /** Keep [start, end) of `buf` for the current frame, up to the limit; drop and flag the rest. */
  #append(buf: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const room = this.#maxBytes + SLACK - this.#pendingBytes;
    const take = Math.min(room, end - start);
    if (take < end - start) this.#overflow = true;
    if (take <= 0) return;
    // A copy: a view would pin the caller's whole chunk for a few pending bytes.
    this.#parts.push(Buffer.from(buf.subarray(start, start + take)));
    this.#pendingBytes += take;
  }

  #emitPending(isOctetCounted: boolean, out: string[]): void {
    const frame = this.#parts.length === 1 ? (this.#parts[0] as Buffer) : Buffer.concat(this.#parts, this.#pendingBytes);
    this.#parts = [];
    this.#pendingBytes = 0;
    this.#emit(frame, 0, frame.length, isOctetCounted, out);
  }

  /** Strip the line ending, apply the limit, decode, and reset the per-frame flag. */
  #emit(buf: Buffer, start: number, end: number, isOctetCounted: boolean, out: string[]): void {
    let isCut = this.#overflow;
    this.#overflow = false;
    if (!isCut) {
      // Senders often end octet-counted messages with LF too; the count includes it.
      if (isOctetCounted && end > start && buf[end - 1] === LF) end--;
      if (end > start && buf[end - 1] === CR) end--;
    }
    if (end - start > this.#maxBytes) {
      end = start + this.#maxBytes;
      isCut = true;
    }
    if (isCut) {
      end = utf8Boundary(buf, start, end);
      this.#truncated++;
      this.#truncatedIndexes =
        this.#truncatedIndexes === NO_INDEXES ? [out.length] : [...this.#truncatedIndexes, out.length];
    } else if (end === start) {
      return;
    }
    out.push(buf.toString('utf8', start, end));
  }
}

/** What one UDP datagram holds. */
export interface Datagram {
  /** The message, or none for an empty datagram (RFC 5426: never more than one). */
  lines: string[];
  /** The message was cut at `maxBytes`. */
  truncated: boolean;
}

/**
 * Decode one UDP datagram (RFC 5426): trailing LF, CR and NUL bytes that some senders append
 * are dropped; inner newlines stay (one datagram is one message); the message is cut at
 * `maxBytes` on a UTF-8 character boundary.
 */
export function decodeDatagram(buf: Uint8Array, maxBytes: number): Datagram {
  let end = buf.length;
  while (end > 0) {
    const b = buf[end - 1];
    if (b !== LF && b !== CR && b !== NUL) break;
    end--;
  }
  let truncated = false;
  if (end > maxBytes) {
    end = utf8Boundary(buf, 0, Math.max(0, maxBytes));
    truncated = true;
  }
  if (end === 0) return { lines: [], truncated };
  return { lines: [Buffer.from(buf.buffer, buf.byteOffset, end).toString('utf8')], truncated };
}

/** Move `end` back so that [start, end) does not finish inside a UTF-8 multi-byte sequence. */
function utf8Boundary(buf: Uint8Array, start: number, end: number): number {
  let lead = end - 1;
  while (lead >= start && end - lead < 4 && ((buf[lead] as number) & 0xc0) === 0x80) lead--;
  if (lead < start) return end;
  const b = buf[lead] as number;
  const size = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return end - lead >= size ? end : lead;
}
