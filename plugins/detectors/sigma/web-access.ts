/**
 * Web server and proxy access log lines → the W3C-style fields Sigma's `webserver` and `proxy`
 * rules use (`cs-uri-query`, `c-useragent`, `sc-status`, `r-dns`…).
 *
 * Formats: NCSA common and combined log format (Apache, nginx, and anything configured like
 * them), optionally led by a virtual host (`vhost_combined`), and Squid's native access log.
 * No regular expressions: a single left-to-right scan, so a hostile line costs its length.
 *
 * Naming follows how SigmaHQ's rules use the fields rather than IIS's narrower definitions:
 * `cs-uri-query` holds the whole request target (path and query), because the rules match paths
 * in it (`cs-uri-query|endswith: '/mgmt/tm/util/bash'`); `cs-uri-stem` is the path alone and
 * `cs-uri` the target as sent. Nothing is URL-decoded: rules are written against raw logs.
 */
import type { FieldValue } from '../../../main/core/event.js';

export type AccessRecord = Record<string, FieldValue>;

const METHOD_CHARS = /^[A-Z]{3,12}$/;

/** A common/combined log line → web fields; null when the line is not in that format. */
export function parseWebAccess(line: string): AccessRecord | null {
  const scanner = new Scanner(line);
  let first = scanner.token();
  if (first === null) return null;
  let vhost: string | undefined;
  // vhost_combined: "host:port client ident user [time] …"
  if (scanner.peek() !== '[' && !scanner.lookingAtIdentUser()) {
    vhost = first;
    first = scanner.token();
    if (first === null) return null;
  }
  const ident = scanner.token();
  const user = scanner.token();
  if (ident === null || user === null) return null;
  const time = scanner.bracketed();
  if (time === null) return null;
  const request = scanner.quoted();
  if (request === null) return null;
  const status = scanner.token();
  const bytes = scanner.token();
  if (status === null || !/^\d{3}$/.test(status)) return null;
  const record: AccessRecord = { 'c-ip': first, 'cs-username': user === '-' ? '' : user, 'sc-status': Number(status) };
  if (bytes !== null) record['sc-bytes'] = bytes === '-' ? 0 : Number(bytes);
  addTime(record, time);
  addRequest(record, request);
  if (vhost !== undefined) addHost(record, vhost);
  const referer = scanner.quoted();
  if (referer !== null) {
    record['cs-referer'] = referer === '-' ? '' : referer;
    record['cs-referrer'] = record['cs-referer'] as string;
    const agent = scanner.quoted();
    if (agent !== null) {
      record['c-useragent'] = agent === '-' ? '' : agent;
      record['cs-user-agent'] = record['c-useragent'] as string;
    }
  }
  return record;
}

/**
 * A proxy access line → proxy fields: Squid's native format
 * (`time elapsed client code/status bytes method url user hierarchy/peer type`) or a combined
 * log line whose request names an absolute URL or a CONNECT target.
 */
export function parseProxyAccess(line: string): AccessRecord | null {
  const combined = parseWebAccess(line);
  if (combined !== null) {
    const uri = combined['cs-uri'];
    if (typeof uri === 'string') addUrl(combined, uri, String(combined['cs-method'] ?? ''));
    combined['src_ip'] = combined['c-ip'] as string;
    return combined;
  }
  const scanner = new Scanner(line);
  const time = scanner.token();
  const elapsed = scanner.token();
  const client = scanner.token();
  const codeStatus = scanner.token();
  const bytes = scanner.token();
  const method = scanner.token();
  const url = scanner.token();
  if (time === null || elapsed === null || client === null || codeStatus === null || bytes === null || method === null || url === null) {
    return null;
  }
  const slash = codeStatus.indexOf('/');
  if (!/^\d+(\.\d+)?$/.test(time) || slash === -1 || !METHOD_CHARS.test(method)) return null;
  const record: AccessRecord = {
    'c-ip': client,
    src_ip: client,
    'sc-status': Number(codeStatus.slice(slash + 1)),
    'sc-bytes': Number(bytes),
    'cs-method': method,
    'time-taken': Number(elapsed),
  };
  addUrl(record, url, method);
  const user = scanner.token();
  if (user !== null && user !== '-') record['cs-username'] = user;
  const hierarchy = scanner.token();
  if (hierarchy !== null) {
    const peer = hierarchy.slice(hierarchy.indexOf('/') + 1);
    if (peer !== '' && peer !== '-') record['dst_ip'] = peer;
  }
  const type = scanner.token();
  if (type !== null && type !== '-') record['cs-content-type'] = type;
  return record;
}

// ── Field helpers ───────────────────────────────────────────────────────────────────────────────

function addTime(record: AccessRecord, time: string): void {
  // 10/Oct/2000:13:55:36 -0700
  const colon = time.indexOf(':');
  if (colon === -1) return;
  record['date'] = time.slice(0, colon);
  record['time'] = time.slice(colon + 1, time.indexOf(' ') === -1 ? undefined : time.indexOf(' '));
}

function addRequest(record: AccessRecord, request: string): void {
  const first = request.indexOf(' ');
  if (first === -1) {
    record['cs-uri'] = request;
    return;
  }
  const method = request.slice(0, first);
  const last = request.lastIndexOf(' ');
  const target = last > first && request.startsWith('HTTP/', last + 1) ? request.slice(first + 1, last) : request.slice(first + 1);
  if (last > first && request.startsWith('HTTP/', last + 1)) record['cs-version'] = request.slice(last + 1);
  record['cs-method'] = method;
  record['cs-uri'] = target;
  record['cs-uri-query'] = target;
  const question = target.indexOf('?');
  record['cs-uri-stem'] = question === -1 ? target : target.slice(0, question);
}

function addHost(record: AccessRecord, hostPort: string): void {
  const colon = hostPort.lastIndexOf(':');
  if (colon !== -1 && /^\d+$/.test(hostPort.slice(colon + 1))) {
    record['cs-host'] = hostPort.slice(0, colon);
    record['s-port'] = Number(hostPort.slice(colon + 1));
  } else {
    record['cs-host'] = hostPort;
  }
}

/** Splits an absolute URL (or a CONNECT host:port) into the proxy fields. */
function addUrl(record: AccessRecord, url: string, method: string): void {
  record['c-uri'] = url;
  record['cs-uri'] = url;
  let host = '';
  let path = '';
  const scheme = url.indexOf('://');
  if (scheme !== -1) {
    const rest = url.slice(scheme + 3);
    const slash = rest.indexOf('/');
    host = slash === -1 ? rest : rest.slice(0, slash);
    path = slash === -1 ? '/' : rest.slice(slash);
  } else if (method === 'CONNECT') {
    host = url;
  } else {
    path = url;
  }
  const at = host.lastIndexOf('@');
  if (at !== -1) host = host.slice(at + 1);
  const port = host.lastIndexOf(':');
  if (port !== -1 && !host.endsWith(']')) host = host.slice(0, port);
  if (host !== '') {
    record['cs-host'] = host;
    record['r-dns'] = host;
  }
  const question = path.indexOf('?');
  const stem = question === -1 ? path : path.slice(0, question);
  record['c-uri-stem'] = stem;
  record['cs-uri-stem'] = stem;
  record['c-uri-query'] = question === -1 ? '' : path.slice(question + 1);
  const file = stem.slice(stem.lastIndexOf('/') + 1);
  const dot = file.lastIndexOf('.');
  record['c-uri-extension'] = dot === -1 ? '' : file.slice(dot + 1);
}

// ── Scanner ─────────────────────────────────────────────────────────────────────────────────────

class Scanner {
  #at = 0;

  constructor(private readonly text: string) {}

  #skipSpaces(): void {
    while (this.#at < this.text.length && this.text.charCodeAt(this.#at) === 0x20) this.#at++;
  }

  peek(): string | undefined {
    this.#skipSpaces();
    return this.text[this.#at];
  }

  /** True when the next two tokens look like `ident user [` (so the token before was the client). */
  lookingAtIdentUser(): boolean {
    const save = this.#at;
    const a = this.token();
    const b = this.token();
    const next = this.peek();
    this.#at = save;
    return a !== null && b !== null && next === '[';
  }

  token(): string | null {
    this.#skipSpaces();
    if (this.#at >= this.text.length) return null;
    const start = this.#at;
    while (this.#at < this.text.length && this.text.charCodeAt(this.#at) !== 0x20) this.#at++;
    return this.text.slice(start, this.#at);
  }

  bracketed(): string | null {
    this.#skipSpaces();
    if (this.text[this.#at] !== '[') return null;
    const end = this.text.indexOf(']', this.#at + 1);
    if (end === -1) return null;
    const value = this.text.slice(this.#at + 1, end);
    this.#at = end + 1;
    return value;
  }

  /** A double-quoted field; `\"` inside stays as written (servers escape quotes that way). */
  quoted(): string | null {
    this.#skipSpaces();
    if (this.text[this.#at] !== '"') return null;
    let i = this.#at + 1;
    while (i < this.text.length) {
      const char = this.text[i];
      if (char === '\\') i += 2;
      else if (char === '"') break;
      else i++;
    }
    if (i >= this.text.length) return null;
    const value = this.text.slice(this.#at + 1, i);
    this.#at = i + 1;
    return value;
  }
}
