/**
 * The value transformations of the modifiers appendix (specification 2.1.0): base64,
 * base64offset, utf16le / wide, utf16be, utf16 (with byte order mark) and windash.
 *
 * Encodings work on bytes: a text becomes UTF-8 bytes unless a utf16 modifier produced bytes
 * before. A byte string that is matched without a following base64 is compared as Latin-1 text
 * (one character per byte), which is how such a value appears in a decoded log field.
 */

/** A value between transformations: text, or bytes from a utf16 modifier. */
export type Encoded = { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Uint8Array };

export function bytesOf(value: Encoded): Uint8Array {
  return value.kind === 'bytes' ? value.bytes : new Uint8Array(Buffer.from(value.text, 'utf8'));
}

export function textOf(value: Encoded): string {
  return value.kind === 'text' ? value.text : Buffer.from(value.bytes).toString('latin1');
}

export function base64(value: Encoded): Encoded {
  return { kind: 'text', text: Buffer.from(bytesOf(value)).toString('base64') };
}

/**
 * The three forms a value takes inside a longer base64 text, one per byte offset modulo 3.
 * Each is the encoding of the value shifted by 0, 1 or 2 bytes, with the leading characters
 * that depend on the preceding bytes and the trailing ones that depend on the following bytes
 * cut off, so what remains appears verbatim whatever surrounds the value.
 */
export function base64Offsets(value: Encoded): Encoded[] {
  const bytes = bytesOf(value);
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.set(bytes, shift);
    const encoded = Buffer.from(padded).toString('base64');
    // Characters fully determined by the value's own bits.
    const start = [0, 2, 3][shift] as number;
    const tail = (bytes.length + shift) % 3;
    const cut = [0, 3, 2][tail] as number;
    out.push(encoded.slice(start, encoded.length - cut));
  }
  return [...new Set(out)].filter((text) => text !== '').map((text) => ({ kind: 'text', text }));
}

export function utf16le(value: Encoded): Encoded {
  return { kind: 'bytes', bytes: new Uint8Array(Buffer.from(textOf(value), 'utf16le')) };
}

export function utf16be(value: Encoded): Encoded {
  const le = Buffer.from(textOf(value), 'utf16le');
  const be = new Uint8Array(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    be[i] = le[i + 1] as number;
    be[i + 1] = le[i] as number;
  }
  return { kind: 'bytes', bytes: be };
}

/** UTF-16 little endian with its byte order mark (FF FE), as Windows writes it. */
export function utf16bom(value: Encoded): Encoded {
  const le = Buffer.from(textOf(value), 'utf16le');
  const out = new Uint8Array(le.length + 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.set(le, 2);
  return { kind: 'bytes', bytes: out };
}

/** The characters a Windows command line accepts where a flag starts. */
export const WINDASH_CHARS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

/** Upper bound on the variants one windash value may expand to. */
export const MAX_WINDASH_VARIANTS = 3125;

function isWordCode(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || code === 0x5f;
}

/**
 * Positions of flag dashes in `text`: a `-` or `/` that starts a word (not preceded by a word
 * character, followed by one), e.g. both in `-enc` and ` /c`, but not in `a-b` or `C:/x`.
 */
export function flagDashPositions(text: string): number[] {
  const positions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== '-' && char !== '/') continue;
    const before = i === 0 ? -1 : text.charCodeAt(i - 1);
    const after = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
    if ((before === -1 || !isWordCode(before)) && after !== -1 && isWordCode(after)) positions.push(i);
  }
  return positions;
}

/** Every variant of `text` with each flag dash replaced by each windash character. */
export function windashVariants(text: string): string[] | undefined {
  const positions = flagDashPositions(text);
  if (positions.length === 0) return [text];
  if (WINDASH_CHARS.length ** positions.length > MAX_WINDASH_VARIANTS) return undefined;
  let variants = [''];
  let last = 0;
  for (const position of positions) {
    const chunk = text.slice(last, position);
    variants = variants.flatMap((prefix) => WINDASH_CHARS.map((dash) => prefix + chunk + dash));
    last = position + 1;
  }
  const rest = text.slice(last);
  return variants.map((prefix) => prefix + rest);
}
