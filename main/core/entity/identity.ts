/**
 * Entity identity: the canonical form of each entity type, and its UUID5 id.
 *
 * Follows the original's `models/entity.py` (reference §4.2): one UUID5 namespace per type and the
 * same canonical strings, so an id computed here equals the original's for the same value. The
 * `hash` type and its namespace are ours. Deliberate differences, each explained where it happens:
 * an IPv4-mapped IPv6 address is the IPv4 entity; IPv6 zone ids are dropped; the domain part of a
 * user is NFC-normalised like the name; a process may be written `name[pid]`; pids lose leading
 * zeros; values longer than MAX_ENTITY_LENGTH are refused. NUL, empty or unparsable input gives
 * `undefined`, never a throw.
 *
 * Pure: no I/O. The only state is a bounded memo of raw value → ref (see `entityRef`).
 */
import type { EntityRef, EntityType } from '../event.js';

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

/** UUID5 namespace per entity type; user…domain are the original's, hash is ours. */
export const ENTITY_NAMESPACES: Readonly<Record<EntityType, string>> = Object.freeze({
  user: 'a1b2c3d4-0001-0000-0000-000000000001',
  ip: 'a1b2c3d4-0002-0000-0000-000000000002',
  host: 'a1b2c3d4-0003-0000-0000-000000000003',
  process: 'a1b2c3d4-0004-0000-0000-000000000004',
  file: 'a1b2c3d4-0005-0000-0000-000000000005',
  domain: 'a1b2c3d4-0006-0000-0000-000000000006',
  hash: 'a1b2c3d4-0007-0000-0000-000000000007',
});

/** Longest raw value accepted, in UTF-16 units (Linux PATH_MAX); longer input is refused. */
export const MAX_ENTITY_LENGTH = 4096;

/** Entries per memo generation and type; the memo holds at most twice this per type. */
export const ENTITY_CACHE_GENERATION = 4096;

/** Raw values longer than this (UTF-16 units) are resolved without the memo, to bound its memory. */
export const MAX_CACHED_RAW_LENGTH = 128;

/**
 * The canonical string of a raw entity value (reference §4.2), or undefined when the value is
 * empty, contains NUL, is longer than MAX_ENTITY_LENGTH, or does not parse for its type. A lone
 * surrogate becomes U+FFFD, as in the UTF-8 that the id hashes.
 */
export function canonicalValue(type: EntityType, raw: string): string | undefined {
  if (raw.length === 0 || raw.length > MAX_ENTITY_LENGTH || raw.indexOf('\0') !== -1) return undefined;
  const trimmed = raw.trim();
  if (trimmed.length === 0) return undefined;
  const value = CANONICALISERS[type](trimmed);
  return value === undefined || value.length === 0 ? undefined : wellFormed(value);
}

/**
 * UUID5 of an already canonical value in its type's namespace (RFC 4122 §4.3, name as UTF-8).
 * Not memoised: hot paths use `entityRef`.
 */
export function entityId(type: EntityType, canonical: string): string {
  return uuid5(NAMESPACE_BYTES[type], canonical);
}

/** Canonical value and id of a raw value, or undefined when it has no canonical form. */
export function canonicalEntity(type: EntityType, raw: string): { value: string; id: string } | undefined {
  const ref = entityRef(type, raw);
  return ref === undefined ? undefined : { value: ref.value, id: ref.id };
}

/**
 * The entity ref of a raw value, memoised. The returned object is frozen and shared by every
 * caller that resolves the same raw value: do not mutate it.
 *
 * The memo is two generations of at most ENTITY_CACHE_GENERATION entries per type: when the
 * current generation fills, it becomes the old one and the previous old one is dropped; a hit in
 * the old generation is copied forward. So the most recently used values stay, memory is bounded
 * (≤ 2 × 4096 entries per type, keys ≤ MAX_CACHED_RAW_LENGTH units), and a hit costs one or two
 * Map lookups. Unparsable values are remembered too, so hostile repeats stay cheap.
 */
export function entityRef(type: EntityType, raw: string): EntityRef | undefined {
  if (raw.length > MAX_CACHED_RAW_LENGTH) return resolve(type, raw); // checked first: hashing a long key costs its length
  const memo = MEMOS[type];
  const hit = memo.get(raw);
  if (hit !== undefined) return hit ?? undefined;
  const key = detach(raw);
  const ref = resolve(type, key);
  memo.set(key, ref ?? null);
  return ref;
}

/** Empties the memo (tests and cold-start benchmarks). */
export function clearEntityCache(): void {
  for (const memo of Object.values(MEMOS)) memo.clear();
}

// ── Canonical forms ─────────────────────────────────────────────────────────────────────────────

/** Each receives a trimmed, non-empty, NUL-free string. */
const CANONICALISERS: Readonly<Record<EntityType, (value: string) => string | undefined>> = {
  user: canonicalUser,
  ip: canonicalIp,
  host: canonicalHostName,
  domain: canonicalHostName,
  file: nfc,
  process: canonicalProcess,
  hash: canonicalHash,
};

/**
 * `DOMAIN\user` and `user@domain` (split at the last `@`) become `domain:user`; both parts are
 * lowercased and NFC-normalised (the original normalises only the name; for ASCII this is the same).
 */
function canonicalUser(value: string): string | undefined {
  let user = value;
  let domain = '';
  const backslash = value.indexOf('\\');
  if (backslash !== -1) {
    domain = value.slice(0, backslash);
    user = value.slice(backslash + 1);
  } else {
    const at = value.lastIndexOf('@');
    if (at !== -1) {
      user = value.slice(0, at);
      domain = value.slice(at + 1);
    }
  }
  user = nfc(user.toLowerCase());
  if (user.length === 0) return undefined;
  domain = nfc(domain.toLowerCase());
  return domain.length === 0 ? user : `${domain}:${user}`;
}

/** Host and domain: lowercased, trailing dots removed, NFC. */
function canonicalHostName(value: string): string | undefined {
  let end = value.length;
  while (end > 0 && value.charCodeAt(end - 1) === 0x2e) end--;
  return nfc((end === value.length ? value : value.slice(0, end)).toLowerCase());
}

/**
 * `name:pid`, `name[pid]`, a bare name or a bare pid. The name keeps its case (process names are
 * case-sensitive); the pid loses leading zeros so `sshd:042` and `sshd:42` are one process.
 */
function canonicalProcess(value: string): string | undefined {
  if (isDigits(value, 0, value.length)) return trimZeros(value);
  let nameEnd = -1;
  let pidStart = -1;
  let pidEnd = value.length;
  if (value.charCodeAt(value.length - 1) === 0x5d /* ] */) {
    const open = value.lastIndexOf('[');
    if (open !== -1 && isDigits(value, open + 1, value.length - 1)) {
      nameEnd = open;
      pidStart = open + 1;
      pidEnd = value.length - 1;
    }
  } else {
    const colon = value.lastIndexOf(':');
    if (colon !== -1 && isDigits(value, colon + 1, value.length)) {
      nameEnd = colon;
      pidStart = colon + 1;
    }
  }
  if (nameEnd === -1) return nfc(value);
  const rawName = value.slice(0, nameEnd);
  const name = nfc(rawName.trim());
  const pid = trimZeros(value.slice(pidStart, pidEnd));
  if (name.length === 0) return pid;
  // Already canonical (the usual `app:pid`): keep the string rather than build an equal one.
  if (name === rawName && pidEnd === value.length && pid.length === pidEnd - pidStart) return value;
  return `${name}:${pid}`;
}

const HASH_LENGTHS: Readonly<Record<string, number>> = {
  md5: 32,
  sha1: 40,
  sha256: 64,
  sha384: 96,
  sha512: 128,
  imphash: 32,
};

const ALGO_BY_LENGTH: Readonly<Record<number, string>> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 96: 'sha384', 128: 'sha512' };

/**
 * `<algo>:<lowerhex>`. Accepts `algo:hex`, `algo=hex` (Sysmon) or bare hex, whose algorithm is
 * inferred from its length. The algorithm is lowercased without dashes (`SHA-256` → `sha256`) and
 * must be known; the digest must be hex of that algorithm's length.
 */
function canonicalHash(value: string): string | undefined {
  let separator = value.indexOf(':');
  if (separator === -1) separator = value.indexOf('=');
  let algo: string | undefined;
  let hex = value;
  if (separator !== -1) {
    algo = value.slice(0, separator).trim().toLowerCase().replace(/-/g, '');
    hex = value.slice(separator + 1).trim();
  } else {
    algo = ALGO_BY_LENGTH[value.length];
  }
  if (algo === undefined || HASH_LENGTHS[algo] !== hex.length || !HEX_RE.test(hex)) return undefined;
  return `${algo}:${hex.toLowerCase()}`;
}

const HEX_RE = /^[0-9a-fA-F]+$/;

/**
 * IPv4 as a dotted quad, IPv6 in the fully exploded form (Python's `ipaddress` `exploded`).
 * Like Python, octets with leading zeros are refused (ambiguous: octal or decimal?). Unlike it, an
 * IPv4-mapped address (`::ffff:a.b.c.d`) is the IPv4 entity, since it is the same peer as seen by a
 * dual-stack socket, and a zone id (`%eth0`) is dropped, since it names a local interface, not the
 * peer.
 */
function canonicalIp(value: string): string | undefined {
  if (value.indexOf(':') === -1) return isIPv4(value, 0, value.length) ? value : undefined;
  const groups = parseIPv6(value);
  if (groups === undefined) return undefined;
  if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
    const high = groups[6] ?? 0;
    const low = groups[7] ?? 0;
    return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  let out = '';
  for (let i = 0; i < 8; i++) out += (i === 0 ? '' : ':') + (groups[i] ?? 0).toString(16).padStart(4, '0');
  return out;
}

/** True when `text[start, end)` is a dotted quad of decimal octets 0–255 without leading zeros. */
function isIPv4(text: string, start: number, end: number): boolean {
  let octets = 0;
  let i = start;
  while (octets < 4) {
    let digits = 0;
    let octet = 0;
    const first = i;
    while (i < end && digits < 4) {
      const c = text.charCodeAt(i);
      if (c < 0x30 || c > 0x39) break;
      octet = octet * 10 + (c - 0x30);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || octet > 255 || (digits > 1 && text.charCodeAt(first) === 0x30)) return false;
    octets++;
    if (octets < 4) {
      if (i >= end || text.charCodeAt(i) !== 0x2e) return false;
      i++;
    }
  }
  return i === end;
}

/** Eight 16-bit groups, or undefined. Accepts `::` once, a trailing dotted quad and a zone id. */
function parseIPv6(text: string): number[] | undefined {
  let s = text;
  const percent = s.indexOf('%');
  if (percent !== -1) {
    if (percent === s.length - 1) return undefined;
    s = s.slice(0, percent);
  }
  // A trailing dotted quad stands for the last two groups.
  const lastColon = s.lastIndexOf(':');
  if (s.indexOf('.', lastColon) !== -1) {
    if (!isIPv4(s, lastColon + 1, s.length)) return undefined;
    const octets = s.slice(lastColon + 1).split('.').map(Number);
    const high = ((octets[0] ?? 0) << 8) | (octets[1] ?? 0);
    const low = ((octets[2] ?? 0) << 8) | (octets[3] ?? 0);
    s = `${s.slice(0, lastColon + 1)}${high.toString(16)}:${low.toString(16)}`;
  }
  const gap = s.indexOf('::');
  let head: string[];
  let tail: string[] = [];
  if (gap === -1) {
    head = s.split(':');
    if (head.length !== 8) return undefined;
  } else {
    if (s.indexOf('::', gap + 1) !== -1) return undefined; // a second gap, or ':::'
    head = gap === 0 ? [] : s.slice(0, gap).split(':');
    tail = gap + 2 === s.length ? [] : s.slice(gap + 2).split(':');
    if (head.length + tail.length > 7) return undefined;
  }
  const groups: number[] = [];
  for (const part of head) {
    const group = parseGroup(part);
    if (group === undefined) return undefined;
    groups.push(group);
  }
  for (let i = head.length + tail.length; i < 8; i++) groups.push(0);
  for (const part of tail) {
    const group = parseGroup(part);
    if (group === undefined) return undefined;
    groups.push(group);
  }
  return groups;
}

function parseGroup(part: string): number | undefined {
  if (part.length === 0 || part.length > 4 || !HEX_RE.test(part)) return undefined;
  return parseInt(part, 16);
}

// ── UUID5 ───────────────────────────────────────────────────────────────────────────────────────

/*
 * UUID5 = the first 16 bytes of SHA-1(namespace ‖ UTF-8 name), with version 5 and the RFC 4122
 * variant stamped in (RFC 4122 §4.3; SHA-1 per RFC 3174). Computed here rather than with the
 * `uuid` package because a new process entity (`app:pid`) is a memo miss on most syslog lines, and
 * uuid's v5 (node:crypto createHash plus copies) costs ~1.9 µs a call against ~0.4 µs here,
 * where the buffers are reused and nothing but the result string is allocated. The tests check it
 * against node:crypto, the uuid package and Python's uuid5.
 */

const SHA1_WORDS = new Int32Array(80);
/** Reused message buffer for names up to 4 KiB of UTF-8 (MAX_ENTITY_LENGTH); longer ones get their own. */
const SHA1_BUFFER = new Uint8Array(16 + MAX_ENTITY_LENGTH * 3 + 72);

function uuid5(namespace: Uint8Array, name: string): string {
  // Message: namespace, UTF-8 name, 0x80, zeros, 64-bit big-endian bit length; whole 64-byte blocks.
  const room = 16 + name.length * 3 + 72;
  const buffer = room <= SHA1_BUFFER.length ? SHA1_BUFFER : new Uint8Array(room);
  buffer.set(namespace, 0);
  let length = 16;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c >= 0x80) {
      length = 16 + ENCODER.encodeInto(name, buffer.subarray(16)).written;
      break;
    }
    buffer[length++] = c;
  }
  const total = (Math.floor((length + 8) / 64) + 1) * 64;
  buffer.fill(0, length, total);
  buffer[length] = 0x80;
  const bits = length * 8;
  buffer[total - 4] = bits >>> 24;
  buffer[total - 3] = (bits >>> 16) & 0xff;
  buffer[total - 2] = (bits >>> 8) & 0xff;
  buffer[total - 1] = bits & 0xff;

  const w = SHA1_WORDS;
  let h0 = 0x67452301;
  let h1 = 0xefcdab89 | 0;
  let h2 = 0x98badcfe | 0;
  let h3 = 0x10325476;
  let h4 = 0xc3d2e1f0 | 0;
  for (let block = 0; block < total; block += 64) {
    for (let t = 0; t < 16; t++) {
      const o = block + t * 4;
      w[t] = ((buffer[o] as number) << 24) | ((buffer[o + 1] as number) << 16) | ((buffer[o + 2] as number) << 8) | (buffer[o + 3] as number);
    }
    for (let t = 16; t < 80; t++) {
      const x = (w[t - 3] as number) ^ (w[t - 8] as number) ^ (w[t - 14] as number) ^ (w[t - 16] as number);
      w[t] = (x << 1) | (x >>> 31);
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    // The four 20-round stages, each with its own function and constant (RFC 3174 §5).
    let t = 0;
    for (; t < 20; t++) {
      const next = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    for (; t < 40; t++) {
      const next = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    for (; t < 60; t++) {
      const next = (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + (0x8f1bbcdc | 0) + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    for (; t < 80; t++) {
      const next = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + (0xca62c1d6 | 0) + (w[t] as number)) | 0;
      e = d;
      d = c;
      c = (b << 30) | (b >>> 2);
      b = a;
      a = next;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
  }
  // Version 5 in the high nibble of byte 6, variant 10 in the top bits of byte 8.
  h1 = (h1 & ~0xf000) | 0x5000;
  h2 = (h2 & 0x3fffffff) | 0x80000000;
  return formatUuid(h0, h1, h2, h3);
}

const HEX_CODES = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
/** The 36 character codes of the uuid being formatted; the dashes stay in place. */
const UUID_CODES = Array.from({ length: 36 }, () => 0x2d);

/** xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx from four 32-bit words, in one string allocation. */
function formatUuid(h0: number, h1: number, h2: number, h3: number): string {
  const codes = UUID_CODES;
  putHex(codes, h0, 0, 8);
  putHex(codes, h1 >>> 16, 9, 4);
  putHex(codes, h1, 14, 4);
  putHex(codes, h2 >>> 16, 19, 4);
  putHex(codes, h2, 24, 4);
  putHex(codes, h3, 28, 8);
  return String.fromCharCode.apply(null, codes);
}

/** Writes the low `digits` hex digits of `value` at `at`. */
function putHex(codes: number[], value: number, at: number, digits: number): void {
  let v = value;
  for (let k = at + digits - 1; k >= at; k--) {
    codes[k] = HEX_CODES[v & 15] as number;
    v >>>= 4;
  }
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

const ENCODER = new TextEncoder();
const DECODER = new TextDecoder();

/**
 * The namespaces as bytes. Parsed here, not with uuid's `parse`, which refuses them: their version
 * nibble is 0, which RFC 4122 names never carry but any 16 bytes may serve as a namespace.
 */
const NAMESPACE_BYTES = Object.fromEntries(
  Object.entries(ENTITY_NAMESPACES).map(([type, namespace]) => [type, uuidBytes(namespace)]),
) as Record<EntityType, Uint8Array>;

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const bytes = new Uint8Array(16);
  for (let i = 0; i < 16; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** Anything but printable ASCII, where NFC cannot change a thing. */
const NOT_PLAIN_ASCII_RE = /[^\t\n\r\x20-\x7e]/;
const SURROGATE_RE = /[\ud800-\udfff]/;

function nfc(value: string): string {
  return NOT_PLAIN_ASCII_RE.test(value) ? value.normalize('NFC') : value;
}

function isDigits(text: string, start: number, end: number): boolean {
  if (start >= end) return false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

function trimZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 0x30) i++;
  return i === 0 ? digits : digits.slice(i);
}

/**
 * A copy of a string that shares no memory with the string it may have been cut from. V8 keeps a
 * substring of 13 units or more as a view into its parent, so a memo key cut from a message would
 * keep the whole (up to 32 KiB) message alive. Concatenating makes a new string, and slicing it
 * flattens that into fresh memory; the view it returns points into the copy, one unit longer.
 */
function detach(value: string): string {
  return value.length < 13 ? value : (' ' + value).slice(1);
}

/** Lone surrogates become U+FFFD, as the UTF-8 the id hashes has them. */
function wellFormed(value: string): string {
  return SURROGATE_RE.test(value) ? DECODER.decode(ENCODER.encode(value)) : value;
}

function resolve(type: EntityType, raw: string): EntityRef | undefined {
  const canonical = canonicalValue(type, raw);
  if (canonical === undefined) return undefined;
  const value = canonical === raw ? raw : detach(canonical);
  return Object.freeze({ type, value, id: entityId(type, value) });
}

/** Two-generation memo (see `entityRef`); `null` remembers a value without a canonical form. */
class GenerationMemo {
  #current = new Map<string, EntityRef | null>();
  #previous = new Map<string, EntityRef | null>();

  get(key: string): EntityRef | null | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(key);
    if (old !== undefined) this.set(detach(key), old); // still in use: carry it into the current generation
    return old;
  }

  set(key: string, value: EntityRef | null): void {
    if (this.#current.size >= ENTITY_CACHE_GENERATION) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }
}

const MEMOS: Readonly<Record<EntityType, GenerationMemo>> = {
  ip: new GenerationMemo(),
  user: new GenerationMemo(),
  host: new GenerationMemo(),
  domain: new GenerationMemo(),
  file: new GenerationMemo(),
  process: new GenerationMemo(),
  hash: new GenerationMemo(),
};
