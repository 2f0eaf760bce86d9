/**
 * Matching an event against the indicator table, at line rate.
 *
 * What is looked up:
 * - ip entities: the address under every prefix length the table holds (so `10.0.0.0/8` and
 *   `10.1.2.3` both match `10.1.2.3`), IPv4 and IPv6;
 * - domain entities, and host entities with a dot: the name and each parent domain (a listed
 *   `evil.example` matches `a.b.evil.example`), case-insensitively (entity values are
 *   lowercase; IDNs are compared as punycode). The original compared exact strings. Bare
 *   top-level labels (`com`, `localhost`) are not looked up;
 * - hash entities (`md5:…`, `sha1:…`, `sha256:…`);
 * - URLs (normalised, `url-normal.ts`) from the structured fields named in `urlFields` and from
 *   the message text, with and without their query, and each URL's host as a domain or address
 *   (skipped when the event's entities already gave that name).
 *
 * Cost: nothing is allocated unless something matches or a URL is read. Each key's hash is
 * computed once (a domain's suffix hashes in one right-to-left pass), the Bloom filter answers
 * most probes, prefix lengths and domain depths the table does not hold are skipped, and a name
 * is probed once per event. Matches are deduplicated per event and capped at `maxMatches`; an
 * indicator past `valid_until` + grace at the event's time does not match.
 * Pure: no I/O; reads, never changes, the table.
 */
import { domainToASCII } from 'node:url';
import type { EntityRef, SeerflowEvent } from '../../../main/core/event.js';
import { decodeKey, KIND, writeIPv4, writeIPv6Exploded, type IndicatorType } from './indicator.js';
import { hashFinal, hashSeed, hashStep, keyHash, type IndicatorTable } from './indicator-table.js';
import { MAX_URL_LENGTH, normalizeUrl } from './url-normal.js';

export interface MatchSource {
  feed: number;
  confidence: number;
  /** Phase list index (see `IndicatorSet.phases`). */
  phases: number;
}

export interface IocMatch {
  type: IndicatorType;
  /** The value as the feed lists it (`evil.example`, `10.0.0.0/8`). */
  indicator: string;
  /** The value as the event holds it (`a.evil.example`, `10.1.2.3`, a URL). */
  observed: string;
  /** The event's entity that matched; undefined for URLs. */
  entity: EntityRef | undefined;
  /** One per feed listing it, highest confidence first. */
  sources: MatchSource[];
}

export interface MatcherOptions {
  enabledTypes: ReadonlySet<IndicatorType>;
  /** Structured fields holding URLs (`url`, `url.full`…). */
  urlFields: readonly string[];
  /** Indicators match until this long after their `valid_until`. */
  graceS: number;
  /** Matches kept per event (the original's 32). */
  maxMatches: number;
}

// Hot-path aliases: transpilers (tsx, vite-node) compile each use of an imported binding to a
// getter call on the module object; reading them once here keeps that off the per-event path.
const K = { ...KIND };
const hashKey = keyHash;
const seedOf = hashSeed;
const step = hashStep;
const final = hashFinal;
const putIPv4 = writeIPv4;
const putIPv6 = writeIPv6Exploded;

/** The most URLs read from one message. */
export const MAX_MESSAGE_URLS = 8;
/** Names remembered per event to skip repeats (more are probed, just not deduplicated). */
const MAX_NAMES_PER_EVENT = 16;
const IPV4_HOST_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** Hex digit values by char code (lowercase: identity's form), -1 for anything else. */
const HEX = Int8Array.from({ length: 128 }, (_, c) => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x61 + 10 : -1));

const NO_MATCHES: readonly IocMatch[] = Object.freeze([]);

export class Matcher {
  readonly #table: IndicatorTable;
  readonly #options: MatcherOptions;
  readonly #types: Readonly<Record<IndicatorType, boolean>>;
  /** The address or name being probed, then each probe key. */
  readonly #value = new Uint8Array(MAX_URL_LENGTH + 17);
  readonly #probe = new Uint8Array(17);
  readonly #found = new Int32Array(64);
  /** Names probed in this event. */
  readonly #names: string[] = [];

  // Per event.
  #event: SeerflowEvent | undefined;
  #eventS = -1;
  #matches: IocMatch[] | undefined;

  constructor(table: IndicatorTable, options: MatcherOptions) {
    this.#table = table;
    this.#options = options;
    const types = {} as Record<IndicatorType, boolean>;
    for (const type of Object.keys(KIND) as IndicatorType[]) types[type] = options.enabledTypes.has(type);
    this.#types = types;
  }

  /** The indicators `event` mentions (an empty frozen array when none). */
  match(event: SeerflowEvent): readonly IocMatch[] {
    const table = this.#table;
    if (table.size === 0) return NO_MATCHES;
    this.#event = event;
    this.#eventS = -1;
    this.#matches = undefined;
    this.#names.length = 0;
    let hosts = false;
    for (const entity of event.entities) {
      switch (entity.type) {
        case 'ip':
          this.#probeAddress(entity.value, entity);
          break;
        case 'domain':
          this.#probeName(entity.value, entity);
          break;
        case 'host':
          hosts = true;
          break;
        case 'hash':
          this.#probeHash(entity.value, entity);
          break;
        default:
          break;
      }
    }
    // Hosts after domains: a name that is both is matched (and reported) as the domain.
    if (hosts) {
      for (const entity of event.entities) {
        if (entity.type === 'host' && entity.value.indexOf('.') !== -1) this.#probeName(entity.value, entity);
      }
    }
    this.#probeUrls(event);
    const matches = this.#matches;
    this.#event = undefined;
    this.#matches = undefined;
    return matches ?? NO_MATCHES;
  }

  // ── Probes ───────────────────────────────────────────────────────────────────────────────────

  #probeAddress(value: string, entity: EntityRef | undefined): void {
    const v6 = value.indexOf(':') !== -1;
    const kind = v6 ? K.ipv6 : K.ipv4;
    if (this.#table.countOf(kind) === 0 || !this.#types[v6 ? 'ipv6' : 'ipv4']) return;
    const size = v6 ? 16 : 4;
    const address = this.#value;
    if (!(v6 ? putIPv6(value, address, 0) : putIPv4(value, address, 0))) return;
    const probe = this.#probe;
    for (const prefix of this.#table.prefixLengths(kind)) {
      const whole = prefix >>> 3;
      for (let i = 0; i < size; i++) probe[i] = i < whole ? (address[i] as number) : 0;
      if ((prefix & 7) !== 0) probe[whole] = (address[whole] as number) & (0xff << (8 - (prefix & 7)));
      probe[size] = prefix;
      this.#lookup(v6 ? 'ipv6' : 'ipv4', probe, 0, size + 1, hashKey(kind, probe, 0, size + 1), value, entity);
    }
  }

  /** A name once per event (an event often holds one name as a host, a domain and a URL host). */
  #probeName(value: string, entity: EntityRef | undefined): void {
    if (this.#table.countOf(K.domain) === 0 || !this.#types.domain) return;
    const names = this.#names;
    for (let i = 0; i < names.length; i++) if (names[i] === value) return;
    if (names.length < MAX_NAMES_PER_EVENT) names.push(value);
    this.#probeDomain(value, entity);
  }

  /** The name and each parent domain with at least two labels (a bare TLD is never a listing). */
  #probeDomain(value: string, entity: EntityRef | undefined): void {
    const bytes = this.#value;
    let n = writeLowerAscii(value, bytes);
    if (n < 0) {
      const ascii = value.length <= 253 ? domainToASCII(value) : '';
      n = ascii === '' ? -1 : writeLowerAscii(ascii, bytes);
      if (n < 0) return;
    }
    while (n > 0 && bytes[n - 1] === 0x2e) n--;
    // One pass from the right: at each label start, the hash of that suffix is complete.
    // Suffixes of a label count the table holds no domain of are skipped.
    const table = this.#table;
    let h = seedOf(K.domain);
    let labels = 1;
    for (let i = n - 1; i >= 0; i--) {
      const c = bytes[i] as number;
      h = step(h, c);
      if (c === 0x2e) labels++;
      else if (labels > 1 && (i === 0 || bytes[i - 1] === 0x2e) && table.holdsDomainLabels(labels)) {
        this.#lookup('domain', bytes, i, n - i, final(h, n - i), value, entity);
      }
    }
  }

  #probeHash(value: string, entity: EntityRef | undefined): void {
    // `md5:` + 32, `sha1:` + 40, `sha256:` + 64 hex digits (identity's canonical form).
    const type: IndicatorType | undefined = value.length === 71 ? 'sha256' : value.length === 45 ? 'sha1' : value.length === 36 ? 'md5' : undefined;
    if (type === undefined || !this.#types[type]) return;
    const kind = K[type];
    if (this.#table.countOf(kind) === 0) return;
    const start = value.length === 71 ? 7 : value.length === 45 ? 5 : 4;
    if (value.charCodeAt(start - 1) !== 0x3a) return;
    const size = (value.length - start) >>> 1;
    const bytes = this.#value;
    for (let i = 0; i < size; i++) {
      const high = HEX[value.charCodeAt(start + i * 2) & 0x7f] as number;
      const low = HEX[value.charCodeAt(start + i * 2 + 1) & 0x7f] as number;
      if ((high | low) < 0) return;
      bytes[i] = (high << 4) | low;
    }
    this.#lookup(type, bytes, 0, size, hashKey(kind, bytes, 0, size), value, entity);
  }

  /**
   * URLs in the URL fields are read when the table holds URLs, or names or addresses for their
   * hosts (structured fields do not give those entities). URLs in the message only when it holds
   * URLs: the message's hosts are its own domain and ip entities already.
   */
  #probeUrls(event: SeerflowEvent): void {
    const table = this.#table;
    const urls = this.#types.url && table.countOf(K.url) > 0;
    const hosts = table.countOf(K.domain) + table.countOf(K.ipv4) + table.countOf(K.ipv6) > 0;
    if (!urls && !hosts) return;
    const fields = event.fields;
    for (const name of this.#options.urlFields) {
      const value = fields[name];
      if (typeof value === 'string' && value.indexOf('://') !== -1) this.#probeUrl(value, urls, hosts);
    }
    if (!urls) return;
    const message = event.message;
    let from = 0;
    for (let seen = 0; seen < MAX_MESSAGE_URLS; seen++) {
      const found = nextUrl(message, from);
      if (found === undefined) break;
      from = found.end;
      this.#probeUrl(message.slice(found.start, found.end), true, hosts);
    }
  }

  #probeUrl(raw: string, urls: boolean, hosts: boolean): void {
    const normal = normalizeUrl(raw);
    if (normal === undefined) return;
    const hostStart = normal.indexOf('//') + 2;
    if (urls) {
      const query = this.#probeNormalUrl(normal, raw);
      if (query !== -1) this.#probeNormalUrl(normal.slice(0, query), raw);
    }
    if (!hosts) return;
    // The host, as the domain or address it is (an event's own entities may not include it).
    const pathStart = normal.indexOf('/', hostStart);
    let host = normal.slice(hostStart, pathStart === -1 ? undefined : pathStart);
    if (host.startsWith('[')) {
      host = host.slice(1, host.indexOf(']'));
      this.#probeAddress(exploded(host), this.#entity('ip', host));
      return;
    }
    const colon = host.lastIndexOf(':');
    if (colon !== -1) host = host.slice(0, colon);
    if (IPV4_HOST_RE.test(host)) this.#probeAddress(host, this.#entity('ip', host));
    else if (!this.#names.includes(host)) this.#probeName(host, this.#entity('domain', host));
  }

  /** Looks a normalised URL up; returns the index of its query's `?`, or -1. */
  #probeNormalUrl(normal: string, raw: string): number {
    const n = normal.length;
    if (n > this.#value.length) return -1;
    // Written and hashed in one pass from the right, as the table hashes keys.
    const bytes = this.#value;
    let h = seedOf(K.url);
    let query = -1;
    for (let i = n - 1; i >= 0; i--) {
      const c = normal.charCodeAt(i);
      if (c > 0x7e) return -1;
      if (c === 0x3f) query = i;
      bytes[i] = c;
      h = step(h, c);
    }
    this.#lookup('url', bytes, 0, n, final(h, n), raw, undefined);
    return query;
  }

  // ── Results ──────────────────────────────────────────────────────────────────────────────────

  #lookup(type: IndicatorType, key: Uint8Array, start: number, len: number, hash: number, observed: string, entity: EntityRef | undefined): void {
    const table = this.#table;
    const found = this.#found;
    const n = table.lookup(K[type], key, start, len, hash, found);
    if (n === 0) return;
    const eventS = this.#eventSeconds();
    const sources: MatchSource[] = [];
    for (let i = 0; i < n; i++) {
      const id = found[i] as number;
      const until = table.validUntilOf(id);
      if (until !== 0 && until + this.#options.graceS < eventS) continue;
      const feed = table.feedOf(id);
      const confidence = table.confidenceOf(id);
      const held = sources.find((source) => source.feed === feed);
      if (held === undefined) sources.push({ feed, confidence, phases: table.phasesOf(id) });
      else if (confidence > held.confidence) {
        held.confidence = confidence;
        held.phases = table.phasesOf(id);
      }
    }
    if (sources.length === 0) return;
    sources.sort((a, b) => b.confidence - a.confidence);
    const indicator = decodeKey(type, key.subarray(start, start + len));
    const matches = (this.#matches ??= []);
    if (matches.length >= this.#options.maxMatches) return;
    if (matches.some((match) => match.type === type && match.indicator === indicator)) return;
    matches.push({ type, indicator, observed, entity, sources });
  }

  #eventSeconds(): number {
    if (this.#eventS < 0) this.#eventS = Number((this.#event as SeerflowEvent).timestampNs / 1_000_000_000n);
    return this.#eventS;
  }

  #entity(type: 'ip' | 'domain', value: string): EntityRef | undefined {
    return this.#event?.entities.find((entity) => entity.type === type && entity.value === value);
  }
}

/**
 * Writes `text` as ASCII into `out` (lowercasing A–Z unless `lower` is false); -1 when it holds
 * a non-ASCII character or does not fit.
 */
function writeLowerAscii(text: string, out: Uint8Array, lower = true): number {
  if (text.length > out.length) return -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7e) return -1;
    out[i] = lower && c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  }
  return text.length;
}

/** A bracketed URL host (`::1`) in identity's exploded form, '' when it is not an address. */
function exploded(host: string): string {
  const groups = host.split('::');
  if (groups.length > 2) return '';
  const head = groups[0] === '' ? [] : (groups[0] as string).split(':');
  const tail = groups.length === 2 && groups[1] !== '' ? (groups[1] as string).split(':') : [];
  const fill = groups.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill('0'), ...tail];
  return all.length === 8 ? all.map((g) => g.padStart(4, '0')).join(':') : '';
}


/** Characters that end a URL in running text: whitespace, quotes, angle brackets, backtick. */
const URL_END = new Uint8Array(128);
for (const c of ' \t\r\n\f\v"\'<>`') URL_END[c.charCodeAt(0)] = 1;
/** Trailing punctuation that belongs to the sentence, not the URL. */
const URL_TRAILING = new Uint8Array(128);
for (const c of '.,;:!?)]}') URL_TRAILING[c.charCodeAt(0)] = 1;
const SCHEMES = ['http', 'https', 'ftp', 'ws', 'wss'];

/**
 * The next `scheme://…` in `text` from `from`: an http(s), ftp or ws(s) scheme starting at a word
 * boundary, up to whitespace, a quote, `<`, `>` or a backtick, without trailing punctuation.
 */
function nextUrl(text: string, from: number): { start: number; end: number } | undefined {
  let at = text.indexOf('://', from);
  while (at !== -1) {
    let start = at;
    while (start > 0 && start > at - 5 && isLetter(text.charCodeAt(start - 1))) start--;
    const boundary = start === 0 || !isWordChar(text.charCodeAt(start - 1));
    if (boundary && start < at && SCHEMES.includes(text.slice(start, at).toLowerCase())) {
      let end = at + 3;
      while (end < text.length) {
        const c = text.charCodeAt(end);
        if (c < 128 && URL_END[c] === 1) break;
        end++;
      }
      while (end > at + 3 && text.charCodeAt(end - 1) < 128 && URL_TRAILING[text.charCodeAt(end - 1)] === 1) end--;
      if (end > at + 3) return { start, end };
    }
    at = text.indexOf('://', at + 3);
  }
  return undefined;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isWordChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}
