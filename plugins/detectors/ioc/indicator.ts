/**
 * Indicator values: the seven types the detector matches, their canonical string forms, the
 * compact binary keys the indicator table stores, and type auto-detection for plain feeds.
 *
 * Canonical forms agree with the event's entity values (`main/core/entity/identity.ts`), so a
 * match is a comparison of equal strings: IPv4 dotted quad, IPv6 fully exploded (an IPv4-mapped
 * IPv6 address is the IPv4 address), a CIDR as its network address and `/len` (the host bits
 * cleared; `/32` and `/128` are plain addresses), domains lowercased, trailing dots removed and
 * IDNs as punycode, URLs per `url-normal.ts`, hashes as lowercase hex.
 *
 * Pure: no I/O.
 */
import { domainToASCII } from 'node:url';
import { canonicalValue } from '../../../main/core/entity/identity.js';
import { MAX_URL_LENGTH, normalizeUrl } from './url-normal.js';

export { MAX_URL_LENGTH };

export const INDICATOR_TYPES = ['ipv4', 'ipv6', 'domain', 'url', 'md5', 'sha1', 'sha256'] as const;
export type IndicatorType = (typeof INDICATOR_TYPES)[number];

/** Numeric kind of each type in the table; 0 marks a free entry. */
export const KIND: Readonly<Record<IndicatorType, number>> = { ipv4: 1, ipv6: 2, domain: 3, url: 4, md5: 5, sha1: 6, sha256: 7 };
export const TYPE_OF_KIND: readonly (IndicatorType | undefined)[] = [undefined, ...INDICATOR_TYPES];

export const HASH_BYTES: Readonly<Record<'md5' | 'sha1' | 'sha256', number>> = { md5: 16, sha1: 20, sha256: 32 };

/** Longest domain accepted as an indicator (RFC 1035). */
export const MAX_DOMAIN_LENGTH = 253;

/** The canonical value of `raw` as an indicator of `type`, or undefined when it is not one. */
export function canonicalIndicator(type: IndicatorType, raw: string): string | undefined {
  const text = raw.trim();
  if (text.length === 0) return undefined;
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const cidr = parseCidr(text);
      return cidr !== undefined && cidr.type === type ? cidr.canonical : undefined;
    }
    case 'domain':
      return canonicalDomain(text);
    case 'url':
      return normalizeUrl(text);
    default: {
      const hex = text.toLowerCase();
      return hex.length === HASH_BYTES[type] * 2 && HEX_RE.test(hex) ? hex : undefined;
    }
  }
}

export interface DetectedIndicator {
  type: IndicatorType;
  value: string;
}

/**
 * The type and canonical value of one token of a blocklist: a URL (has `://`), an IPv4 or IPv6
 * address or CIDR (also `1.2.3.4:443`, as ThreatFox lists them), an MD5/SHA-1/SHA-256 digest (by
 * length), or a domain with at least one dot and a letter in its last label. Undefined otherwise.
 */
export function detectIndicator(token: string): DetectedIndicator | undefined {
  const text = token.trim();
  if (text.length === 0) return undefined;
  if (text.includes('://')) return ofType('url', normalizeUrl(text));
  const cidr = parseCidr(text);
  if (cidr !== undefined) return { type: cidr.type, value: cidr.canonical };
  const port = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  if (port) return ofType('ipv4', canonicalIndicator('ipv4', port[1] as string));
  if (HEX_RE.test(text)) {
    const type = HASH_BY_LENGTH[text.length];
    return type === undefined ? undefined : { type, value: text.toLowerCase() };
  }
  const domain = canonicalDomain(text);
  return domain !== undefined && /\.[a-z][a-z0-9-]*$|\.xn--[a-z0-9-]+$/.test(domain) ? { type: 'domain', value: domain } : undefined;
}

function ofType(type: IndicatorType, value: string | undefined): DetectedIndicator | undefined {
  return value === undefined ? undefined : { type, value };
}

const HEX_RE = /^[0-9a-fA-F]+$/;
const HASH_BY_LENGTH: Readonly<Record<number, IndicatorType>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
const LABEL_RE = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lowercase, no trailing dot, IDN labels as punycode; each label 1–63 of [a-z0-9_-]; not numeric at the end. */
export function canonicalDomain(raw: string): string | undefined {
  const lowered = canonicalValue('domain', raw);
  if (lowered === undefined) return undefined;
  const ascii = /^[\x21-\x7e]*$/.test(lowered) ? lowered : domainToASCII(lowered);
  if (ascii.length === 0 || ascii.length > MAX_DOMAIN_LENGTH) return undefined;
  const labels = ascii.split('.');
  // A numeric last label is an address (or garbage), never a top-level domain.
  if (/^\d+$/.test(labels[labels.length - 1] as string)) return undefined;
  return labels.every((label) => LABEL_RE.test(label)) ? ascii : undefined;
}

// ── Addresses and CIDRs ─────────────────────────────────────────────────────────────────────────

export interface Cidr {
  type: 'ipv4' | 'ipv6';
  /** Network bytes (4 or 16), host bits cleared. */
  bytes: Uint8Array;
  prefix: number;
  /** `a.b.c.d`, `a.b.c.0/24`, exploded IPv6 with `/len` below 128. */
  canonical: string;
}

/** An address or `address/len` (host bits are cleared: `10.1.2.3/8` is `10.0.0.0/8`). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  const canonical = canonicalValue('ip', address);
  if (canonical === undefined) return undefined;
  const v4 = canonical.indexOf(':') === -1;
  // A `::ffff:a.b.c.d/len` prefix counts the mapped bits: keep it IPv6 rather than guess.
  if (v4 && address.indexOf(':') !== -1 && slash !== -1) return undefined;
  const max = v4 ? 32 : 128;
  let prefix = max;
  if (slash !== -1) {
    const digits = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(digits)) return undefined;
    prefix = Number(digits);
    if (prefix > max) return undefined;
  }
  const bytes = new Uint8Array(v4 ? 4 : 16);
  if (v4) writeIPv4(canonical, bytes, 0);
  else writeIPv6Exploded(canonical, bytes, 0);
  maskBytes(bytes, 0, bytes.length, prefix);
  const base = v4 ? bytesToIPv4(bytes, 0) : bytesToIPv6(bytes, 0);
  return { type: v4 ? 'ipv4' : 'ipv6', bytes, prefix, canonical: prefix === max ? base : `${base}/${prefix}` };
}

/** Writes a dotted quad's 4 bytes at `at`; false when `text` is not a canonical dotted quad. */
export function writeIPv4(text: string, out: Uint8Array, at: number): boolean {
  let octet = 0;
  let digits = 0;
  let index = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || index === 3) return false;
      out[at + index++] = octet;
      octet = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39 && digits < 3) {
      octet = octet * 10 + (c - 0x30);
      if (octet > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  if (digits === 0 || index !== 3) return false;
  out[at + 3] = octet;
  return true;
}

/** Writes the 16 bytes of a fully exploded IPv6 address (`xxxx:…:xxxx`, identity's form). */
export function writeIPv6Exploded(text: string, out: Uint8Array, at: number): boolean {
  if (text.length !== 39) return false;
  for (let group = 0; group < 8; group++) {
    let value = 0;
    for (let d = 0; d < 4; d++) {
      const nibble = hexValue(text.charCodeAt(group * 5 + d));
      if (nibble < 0) return false;
      value = (value << 4) | nibble;
    }
    if (group < 7 && text.charCodeAt(group * 5 + 4) !== 0x3a) return false;
    out[at + group * 2] = value >> 8;
    out[at + group * 2 + 1] = value & 0xff;
  }
  return true;
}

/** Clears every bit after the first `prefix` bits of `bytes[start, end)`. */
export function maskBytes(bytes: Uint8Array, start: number, end: number, prefix: number): void {
  for (let i = start; i < end; i++) {
    const bit = (i - start) * 8;
    if (bit >= prefix) bytes[i] = 0;
    else if (bit + 8 > prefix) bytes[i] = (bytes[i] as number) & (0xff << (8 - (prefix - bit)));
  }
}

export function bytesToIPv4(bytes: Uint8Array, at: number): string {
  return `${bytes[at]}.${bytes[at + 1]}.${bytes[at + 2]}.${bytes[at + 3]}`;
}

export function bytesToIPv6(bytes: Uint8Array, at: number): string {
  let out = '';
  for (let group = 0; group < 8; group++) {
    const value = ((bytes[at + group * 2] as number) << 8) | (bytes[at + group * 2 + 1] as number);
    out += (group === 0 ? '' : ':') + value.toString(16).padStart(4, '0');
  }
  return out;
}

/** 0–15 for a hex digit's char code, -1 otherwise. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

// ── Table keys ──────────────────────────────────────────────────────────────────────────────────

/** Longest key in bytes (a URL). */
export const MAX_KEY_BYTES = MAX_URL_LENGTH;

/**
 * Writes the table key of a canonical value into `out` (at 0) and returns its length, or -1 when
 * the value is not canonical for its type. Addresses: network bytes then the prefix length;
 * domains and URLs: their ASCII; digests: binary.
 */
export function encodeKey(type: IndicatorType, canonical: string, out: Uint8Array): number {
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const slash = canonical.indexOf('/');
      const address = slash === -1 ? canonical : canonical.slice(0, slash);
      const size = type === 'ipv4' ? 4 : 16;
      const ok = type === 'ipv4' ? writeIPv4(address, out, 0) : writeIPv6Exploded(address, out, 0);
      if (!ok) return -1;
      out[size] = slash === -1 ? size * 8 : Number(canonical.slice(slash + 1));
      return size + 1;
    }
    case 'domain':
    case 'url': {
      if (canonical.length > out.length) return -1;
      for (let i = 0; i < canonical.length; i++) {
        const c = canonical.charCodeAt(i);
        if (c > 0x7e) return -1;
        out[i] = c;
      }
      return canonical.length;
    }
    default: {
      const size = HASH_BYTES[type];
      if (canonical.length !== size * 2) return -1;
      for (let i = 0; i < size; i++) {
        const high = hexValue(canonical.charCodeAt(i * 2));
        const low = hexValue(canonical.charCodeAt(i * 2 + 1));
        if (high < 0 || low < 0) return -1;
        out[i] = (high << 4) | low;
      }
      return size;
    }
  }
}

/** The canonical value a table key stands for (the inverse of `encodeKey`). */
export function decodeKey(type: IndicatorType, key: Uint8Array): string {
  switch (type) {
    case 'ipv4':
    case 'ipv6': {
      const size = type === 'ipv4' ? 4 : 16;
      const base = type === 'ipv4' ? bytesToIPv4(key, 0) : bytesToIPv6(key, 0);
      const prefix = key[size] as number;
      return prefix === size * 8 ? base : `${base}/${prefix}`;
    }
    case 'domain':
    case 'url':
      return String.fromCharCode(...key);
    default:
      return Array.from(key, (byte) => byte.toString(16).padStart(2, '0')).join('');
  }
}
