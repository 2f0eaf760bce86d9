/**
 * Entity extraction: the IPs, users, hosts, domains, files, processes and hashes an event names,
 * as EntityRefs (ids from `identity.ts`), read from the syslog header, the structured fields and
 * the message text, in that order.
 *
 * Follows the original's `parsing/entities.py` (reference §3.3): regexes over the message, dedup
 * per type in first-seen order (by canonical value), at most MAX_ENTITIES_PER_TYPE per type, refs
 * grouped by type in the order ip, user, host, domain, file, process, hash. Beyond the original:
 * sshd/PAM/sudo/su/useradd/auditd user forms, hashes, Windows paths, `name[pid]` and auditd
 * `comm`/`pid` processes, the structured fields listed in FIELD_SPECS (ECS, Windows/Sysmon), and
 * the syslog header's host and app/procId. Left out: the original's param/template tags (never
 * stored) and bare pids found in text (a pid alone names nothing across hosts).
 *
 * Speed: every regex is compiled once; the costlier ones run only after a cheap indexOf guard;
 * a type stops scanning once it holds its cap; ids come from the memo in `identity.ts`. The
 * scratch lists are module-level and reused (extraction is synchronous, so never re-entered).
 * Hostile input cannot make it throw or go quadratic: the message is scanned up to
 * MAX_SCAN_LENGTH, and the patterns only start at token boundaries.
 */
import type { EntityRef, EntityType, FieldValue, Fields } from '../event.js';
import { entityRef } from './identity.js';

// ── Public API ──────────────────────────────────────────────────────────────────────────────────

/** Default cap of refs per entity type and event (the original's documented 32). */
export const MAX_ENTITIES_PER_TYPE = 32;

/** Only the first this many UTF-16 units of a message are scanned (the normalizer's MAX_MESSAGE_LEN). */
export const MAX_SCAN_LENGTH = 32_768;

export interface ExtractInput {
  message: string;
  fields?: Fields;
  /** Syslog header host: a host entity, or an ip entity when it is an address. */
  host?: string;
  /** Syslog app name: with `procId`, the process `app:procId`; alone, the process `app`. */
  app?: string;
  procId?: string;
}

/**
 * Every entity an event names, grouped by type (ip, user, host, domain, file, process, hash),
 * each group deduplicated in first-seen order and capped at `maxPerType` (config
 * `parsing.max_entities_per_type`, a positive integer; default MAX_ENTITIES_PER_TYPE). The refs
 * are frozen and shared between events (see `entityRef`). Never throws.
 */
export function extractEntities(input: ExtractInput, maxPerType: number = MAX_ENTITIES_PER_TYPE): EntityRef[] {
  found.reset(maxPerType);
  addHeader(input.host, input.app, input.procId);
  if (input.fields !== undefined) addFields(input.fields);
  const message = input.message;
  if (typeof message === 'string' && message.length > 0) {
    scanMessage(message.length > MAX_SCAN_LENGTH ? message.slice(0, MAX_SCAN_LENGTH) : message, input.app);
  }
  return found.collect();
}

// ── Collection ──────────────────────────────────────────────────────────────────────────────────

const IP = 0;
const USER = 1;
const HOST = 2;
const DOMAIN = 3;
const FILE = 4;
const PROCESS = 5;
const HASH = 6;
const SLOT_TYPES: readonly EntityType[] = ['ip', 'user', 'host', 'domain', 'file', 'process', 'hash'];

/** Per-type lists of the refs found so far, reused from event to event. */
class Found {
  readonly #lists: EntityRef[][] = SLOT_TYPES.map(() => []);
  #barePid = false;
  #cap = MAX_ENTITIES_PER_TYPE;

  reset(cap: number): void {
    for (const list of this.#lists) if (list.length !== 0) list.length = 0;
    this.#barePid = false;
    this.#cap = cap;
  }

  isFull(slot: number): boolean {
    return (this.#lists[slot] as EntityRef[]).length >= this.#cap;
  }

  /** Resolves and adds a raw value; unparsable values and repeats are ignored. */
  add(slot: number, raw: string): void {
    const list = this.#lists[slot] as EntityRef[];
    if (list.length >= this.#cap) return;
    const ref = entityRef(SLOT_TYPES[slot] as EntityType, raw);
    if (ref === undefined) return;
    for (const seen of list) if (seen === ref || seen.value === ref.value) return;
    list.push(ref);
    if (slot === PROCESS && ref.value.indexOf(':') === -1 && isDigits(ref.value)) this.#barePid = true;
  }

  collect(): EntityRef[] {
    if (this.#barePid) this.#dropCoveredPids();
    const out: EntityRef[] = [];
    for (const list of this.#lists) for (const ref of list) out.push(ref);
    return out;
  }

  /** A bare pid is dropped when a `name:pid` with the same pid was found (reference §4.2). */
  #dropCoveredPids(): void {
    const list = this.#lists[PROCESS] as EntityRef[];
    const named = new Set<string>();
    for (const ref of list) {
      const colon = ref.value.lastIndexOf(':');
      if (colon !== -1) named.add(ref.value.slice(colon + 1));
    }
    const kept = list.filter((ref) => ref.value.indexOf(':') !== -1 || !named.has(ref.value));
    list.length = 0;
    list.push(...kept);
  }
}

const found = new Found();

/** Placeholder values that name nothing. */
const NIL_VALUES = new Set(['-', '?', '--', 'unknown', '(unknown)', 'unset', '(none)', 'none', 'null', 'NULL', 'n/a', 'N/A']);

function isNil(value: string): boolean {
  if (value.length === 0) return true;
  if (value.length > 9) return false;
  // Every placeholder starts with one of - ? ( u n N (or space, trimmed): skip the Set otherwise.
  const c = value.charCodeAt(0);
  if (c !== 0x2d && c !== 0x3f && c !== 0x28 && (c | 0x20) !== 0x75 && (c | 0x20) !== 0x6e && c > 0x20) return false;
  return NIL_VALUES.has(value.trim());
}

/** A host name that is really an address becomes an ip entity. */
function addHost(raw: string): void {
  const c = raw.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || raw.indexOf(':') !== -1) {
    if (entityRef('ip', raw) !== undefined) {
      found.add(IP, raw);
      return;
    }
  }
  found.add(HOST, raw);
}

// ── Syslog header ───────────────────────────────────────────────────────────────────────────────

function addHeader(host: string | undefined, app: string | undefined, procId: string | undefined): void {
  if (typeof host === 'string' && !isNil(host)) addHost(host);
  const hasPid = typeof procId === 'string' && isDigits(procId);
  if (typeof app === 'string' && !isNil(app)) found.add(PROCESS, hasPid ? `${app}:${procId}` : app);
  else if (hasPid) found.add(PROCESS, procId);
}

// ── Structured fields ───────────────────────────────────────────────────────────────────────────

type FieldSpec =
  | { kind: 'entity'; slot: number }
  /** A user name, qualified by its sibling domain field when that is set (Windows 4624 and kin). */
  | { kind: 'user'; domainKey?: string }
  /** A host name or address. */
  | { kind: 'host' }
  /** An executable path: a file, and with its sibling pid field a process `basename:pid`. */
  | { kind: 'image'; pidKey: string }
  | { kind: 'processName'; pidKey: string }
  | { kind: 'processPid'; nameKey: string }
  /** One digest; `algo` undefined means inferred from the length. */
  | { kind: 'hash'; algo?: string }
  /** Sysmon `Hashes`: `SHA1=…,MD5=…,SHA256=…,IMPHASH=…`. */
  | { kind: 'hashList' };

const ip: FieldSpec = { kind: 'entity', slot: IP };
const domain: FieldSpec = { kind: 'entity', slot: DOMAIN };
const file: FieldSpec = { kind: 'entity', slot: FILE };
const host: FieldSpec = { kind: 'host' };
const user: FieldSpec = { kind: 'user' };

/** Field names (matched exactly, then case-insensitively) and what they hold. */
const FIELD_SPECS: Readonly<Record<string, FieldSpec>> = {
  // ip
  src_ip: ip, dst_ip: ip, 'source.ip': ip, 'destination.ip': ip, 'client.ip': ip, 'server.ip': ip,
  client_ip: ip, remote_addr: ip, IpAddress: ip, SourceIp: ip, DestinationIp: ip,
  SourceAddress: ip, DestinationAddress: ip, 'c-ip': ip,
  // user
  user, username: user, 'user.name': user, User: user, SourceUser: user, TargetUser: user, 'cs-username': user,
  TargetUserName: { kind: 'user', domainKey: 'TargetDomainName' },
  SubjectUserName: { kind: 'user', domainKey: 'SubjectDomainName' },
  // host
  host, hostname: host, 'host.name': host, 'host.hostname': host, Computer: host, ComputerName: host,
  HostName: host, Workstation: host, WorkstationName: host, SourceHostname: host, DestinationHostname: host,
  'winlog.computer_name': host,
  // domain
  domain, 'url.domain': domain, 'destination.domain': domain, 'source.domain': domain,
  'dns.question.name': domain, QueryName: domain,
  // file
  'file.path': file, TargetFilename: file, 'process.executable': file, 'process.parent.executable': file,
  Image: { kind: 'image', pidKey: 'ProcessId' },
  ParentImage: { kind: 'image', pidKey: 'ParentProcessId' },
  NewProcessName: { kind: 'image', pidKey: 'NewProcessId' }, // Security 4688; its pids are hex, so no process
  ParentProcessName: file,
  // process
  'process.name': { kind: 'processName', pidKey: 'process.pid' },
  'process.pid': { kind: 'processPid', nameKey: 'process.name' },
  // hash
  Hashes: { kind: 'hashList' }, hash: { kind: 'hash' },
  md5: { kind: 'hash', algo: 'md5' }, sha1: { kind: 'hash', algo: 'sha1' }, sha256: { kind: 'hash', algo: 'sha256' },
  'file.hash.md5': { kind: 'hash', algo: 'md5' }, 'file.hash.sha1': { kind: 'hash', algo: 'sha1' },
  'file.hash.sha256': { kind: 'hash', algo: 'sha256' }, 'process.hash.md5': { kind: 'hash', algo: 'md5' },
  'process.hash.sha1': { kind: 'hash', algo: 'sha1' }, 'process.hash.sha256': { kind: 'hash', algo: 'sha256' },
};

const FIELD_SPECS_EXACT = new Map(Object.entries(FIELD_SPECS));
const FIELD_SPECS_LOWER = new Map(Object.entries(FIELD_SPECS).map(([key, spec]) => [key.toLowerCase(), spec]));

/** Containers that event exporters put around the field names above (evtx_dump, Winlogbeat). */
const FIELD_PREFIXES = ['Event.EventData.', 'Event.System.', 'winlog.event_data.'];

interface FieldMatch {
  spec: FieldSpec;
  /** The container prefix the name was found under, for sibling lookups. */
  prefix: string;
}

/**
 * Field names seen so far → their match (null: not an entity field). Names repeat from event to
 * event, so most lookups are one Map hit instead of a lowercase copy and prefix checks. Bounded:
 * emptied when it reaches FIELD_NAME_MEMO_SIZE names.
 */
const fieldNameMemo = new Map<string, FieldMatch | null>();
const FIELD_NAME_MEMO_SIZE = 4096;

function specOf(key: string): FieldMatch | undefined {
  let match = fieldNameMemo.get(key);
  if (match === undefined) {
    match = lookUpSpec(key) ?? null;
    if (key.length <= 128) {
      if (fieldNameMemo.size >= FIELD_NAME_MEMO_SIZE) fieldNameMemo.clear();
      fieldNameMemo.set(key, match);
    }
  }
  return match ?? undefined;
}

function lookUpSpec(key: string): FieldMatch | undefined {
  const spec = FIELD_SPECS_EXACT.get(key) ?? FIELD_SPECS_LOWER.get(key.toLowerCase());
  if (spec !== undefined) return { spec, prefix: '' };
  for (const prefix of FIELD_PREFIXES) {
    if (key.length > prefix.length && key.startsWith(prefix)) {
      const inner = lookUpSpec(key.slice(prefix.length));
      if (inner !== undefined) return { spec: inner.spec, prefix };
    }
  }
  return undefined;
}

function fieldText(value: FieldValue | undefined): string | undefined {
  if (typeof value === 'string') return isNil(value) ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return undefined;
}

/** A sibling field of the same container, in its canonical or lowercase spelling. */
function sibling(fields: Fields, prefix: string, key: string): string | undefined {
  return fieldText(fields[prefix + key] ?? fields[prefix + key.toLowerCase()]);
}

function addFields(fields: Fields): void {
  for (const key in fields) {
    const match = specOf(key);
    if (match === undefined) continue;
    const text = fieldText(fields[key]);
    if (text === undefined) continue;
    const { spec, prefix } = match;
    switch (spec.kind) {
      case 'entity':
        found.add(spec.slot, text);
        break;
      case 'host':
        addHost(text);
        break;
      case 'user': {
        const qualifier = spec.domainKey === undefined ? undefined : sibling(fields, prefix, spec.domainKey);
        const qualified = qualifier !== undefined && text.indexOf('\\') === -1 && text.indexOf('@') === -1;
        found.add(USER, qualified ? `${qualifier}\\${text}` : text);
        break;
      }
      case 'image': {
        found.add(FILE, text);
        const pid = sibling(fields, prefix, spec.pidKey);
        if (pid !== undefined && isDigits(pid)) found.add(PROCESS, `${baseName(text)}:${pid}`);
        break;
      }
      case 'processName': {
        const pid = sibling(fields, prefix, spec.pidKey);
        found.add(PROCESS, pid !== undefined && isDigits(pid) ? `${text}:${pid}` : text);
        break;
      }
      case 'processPid':
        if (sibling(fields, prefix, spec.nameKey) === undefined) found.add(PROCESS, text);
        break;
      case 'hash':
        found.add(HASH, spec.algo === undefined ? text : `${spec.algo}:${text}`);
        break;
      case 'hashList':
        scanHashes(text);
        break;
    }
  }
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut === -1 ? path : path.slice(cut + 1);
}

// ── Message text ────────────────────────────────────────────────────────────────────────────────

/**
 * IPv4, octets validated, not part of a longer dotted or word token (so `1.2.3.4.5` and `v1.2.3.4`
 * are not addresses). Leading-zero octets do not match, as identity refuses them.
 */
const IPV4_RE =
  /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\w|\.\d)/g;

/** IPv6 candidates (hex groups and colons, optional dotted tail and zone); identity validates. */
const IPV6_RE = /(?<![\w:.])(?:[0-9A-Fa-f]{1,4}:|:)(?:[0-9A-Fa-f]{0,4}:){1,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[\w.-]{1,32})?(?![\w:.])/g;

/** A user name in text: no spaces, quotes, brackets or separators; at most 64 characters. */
const NAME = String.raw`[^\s"'\x60,;()<>\[\]{}=]{1,64}`;

/**
 * The user forms, one alternation so a line is scanned once. Groups: 1 key and 2 quoted / 3 bare
 * value of `user=` `USER=` `acct=`…; 4 auditd `UID="x"` `AUID="x"`; 5 `for/of [invalid ]user X`;
 * 6 sshd `Failed|Accepted <method> for X from`; 7 sshd `invalid|authenticating user X`;
 * 8 PAM `by X(uid=`; 9–10 su `(to X) Y on`; 11 useradd `new user: name=X`; 12 passwd
 * `password changed for X`; 13 userdel `delete user 'X'`; 14 sudo `sudo: X : `.
 */
const USER_RE = new RegExp(
  [
    String.raw`(?<![\w.-])(user|username|user_name|acct|login)=(?:"([^"]{1,64})"|(${NAME}))`,
    String.raw`(?<![\w-])(?:a|e|s|fs|o)?uid="([^"]{1,64})"`,
    String.raw`\b(?:for|of) (?:invalid |illegal )?user (${NAME})`,
    String.raw`\b(?:failed|accepted) \S{1,40} for (?!(?:invalid|illegal) user )(${NAME}) from `,
    String.raw`\b(?:invalid|illegal|authenticating) user (${NAME})`,
    String.raw`\bby (${NAME})\(uid=`,
    String.raw`\(to (${NAME})\) (${NAME}) on `,
    String.raw`\bnew user: name=(${NAME})`,
    String.raw`\bpassword changed for (${NAME})`,
    String.raw`\bdelete user '(${NAME})'`,
    String.raw`\bsudo: +(${NAME}) : `,
  ].join('|'),
  'gi',
);

/** sudo's own line once the syslog header is gone: `  alice : TTY=pts/0 ; PWD=… ; USER=root ; …`. */
const SUDO_HEAD_RE = new RegExp(String.raw`^\s*(${NAME}) : `);

/** auditd hex-encodes a value it cannot quote: `acct=726F6F74` is "root". */
const AUDIT_HEX_RE = /^(?:[0-9A-F]{2})+$/;

/**
 * `host=`, `hostname=` and PAM's `rhost=`, quoted or not, up to a port colon; address values
 * become ip entities. Non-ASCII is allowed: internationalised names are host names too.
 */
const HOST_RE = /(?<![\w.-])(?:host|hostname|rhost)=("?)([^\s"'\x60,;:()<>[\]{}=?*|\\/][^\s"'\x60,;:()<>[\]{}=|\\/]{0,252})\1/gi;

/**
 * `label.label.tld` from a token start: not inside a path (`/x/auth.log`, `C:\x\a.dll`) or a longer
 * dotted token, not a key (`source.ip=`) or a call (`foo.bar(`). Group 1 is the name, 2 the last
 * label. Sticky: `scanDomains` finds the candidate tokens and runs it at their start.
 */
const DOMAIN_RE =
  /(?<![\w.\\-])(?<!(?<!\/)\/)((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.){1,10}([A-Za-z]{2,63}))(?![\w-]|\.[\w-]|[=(])/y;

/**
 * Last labels that are file extensions, not TLDs: the original's list plus common ones that are
 * not delegated TLDs (or are, like .so and .sh, but in logs are far more often a file).
 */
const NON_TLD = new Set([
  'conf', 'log', 'txt', 'py', 'sh', 'yml', 'yaml', 'json', 'xml', 'gz', 'bz2', 'xz', 'zst', 'tar', 'zip',
  'csv', 'ini', 'cfg', 'pid', 'sock', 'lock', 'tmp', 'bak', 'old',
  'html', 'htm', 'php', 'js', 'mjs', 'cjs', 'ts', 'css', 'jsp', 'asp', 'aspx', 'cgi', 'so', 'ko', 'deb', 'rpm',
  'pem', 'crt', 'cer', 'key', 'csr', 'exe', 'dll', 'sys', 'bat', 'cmd', 'ps1', 'psm1', 'vbs', 'msi', 'lnk',
  'jpg', 'jpeg', 'png', 'gif', 'svg', 'ico', 'toml', 'env', 'sql', 'db', 'sqlite', 'jar', 'war', 'class', 'rb',
  'java', 'cpp', 'hpp', 'swp', 'err', 'out', 'service', 'socket', 'timer', 'target', 'mount', 'slice', 'scope',
  'dat', 'bin', 'img', 'iso', 'tgz', 'rar', 'doc', 'docx', 'xls', 'xlsx', 'pdf', 'md', 'rst', 'list',
]);

/**
 * An absolute Unix path after a start, space, quote, `=`, `(`, `[` or `,`; not an HTTP request
 * target (`GET /x HTTP/1.1`). Segments hold word characters, `.-@+~%` and any non-ASCII. The
 * leading `/` comes first so the engine can skip to it.
 */
const UNIX_PATH_RE =
  /\/(?<=(?:^|[\s"'=([,])\/)(?<!(?:GET|POST|HEAD|PUT|DELETE|OPTIONS|PATCH|CONNECT|TRACE|PROPFIND) \/)(?:[\w.\-@+~%\u0080-\uffff]+\/)*[\w.\-@+~%\u0080-\uffff]+/g;

/** A Windows path: quoted (group 1, may hold spaces) or bare up to whitespace (group 2). */
const WINDOWS_PATH_RE = /"([A-Za-z]:\\[^"<>|*?\r\n]{1,4000})"|(?<![\w\\"])([A-Za-z]:\\[^\s"'<>|*?]{1,4000})/g;

/** auditd: `comm="cat"` with the record's `pid=3538` (not `ppid=`). */
const AUDIT_COMM_RE = /\bcomm="([^"]{1,64})"/;
const AUDIT_PID_RE = /(?<![\w])pid=(\d{1,10})\b/;

/** A labelled digest: `md5=…`, `SHA256:…`, `sha1 …`, Sysmon `SHA256=…,MD5=…,IMPHASH=…`. */
const HASH_RE = /(?<![\w-])(md5|sha-?1|sha-?256|sha-?384|sha-?512|imphash)(?:\s*[=:]\s*|\s+)([0-9A-Fa-f]{32,128})(?!\w)/gi;

function scanMessage(message: string, app: string | undefined): void {
  scanAll(IPV4_RE, message, IP);
  if (message.indexOf('::') !== -1 || hasColons(message, 7)) scanAll(IPV6_RE, message, IP);
  scanUsers(message, app);
  if (message.indexOf('host') !== -1 || message.indexOf('HOST') !== -1) scanHosts(message);
  if (message.indexOf('.') !== -1) scanDomains(message);
  if (message.indexOf('/') !== -1 || message.indexOf(':\\') !== -1) scanPaths(message);
  if (message.indexOf('[') !== -1) scanNamePids(message);
  if (message.indexOf('comm="') !== -1) scanAuditProcess(message);
  if (HASH_LABEL_RE.test(message)) scanHashes(message);
}

/** Adds every match of `re` until the type is full. */
function scanAll(re: RegExp, text: string, slot: number): void {
  if (found.isFull(slot)) return;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    found.add(slot, m[0]);
    if (found.isFull(slot)) break;
  }
}

function scanUsers(message: string, app: string | undefined): void {
  if (app === 'sudo') {
    const head = SUDO_HEAD_RE.exec(message);
    if (head?.[1] !== undefined) addUser(head[1]);
  }
  USER_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = USER_RE.exec(message)) !== null) {
    if (m[1] !== undefined) {
      let value = m[2] ?? m[3];
      // Unquoted auditd acct is hex-encoded.
      if (value !== undefined && m[2] === undefined && m[1].length === 4 && m[1].toLowerCase() === 'acct') {
        value = AUDIT_HEX_RE.test(value) ? decodeHex(value) : undefined;
      }
      if (value !== undefined) addUser(value);
    } else {
      for (let g = 4; g < m.length; g++) {
        const value = m[g];
        if (value !== undefined) addUser(value);
      }
    }
    if (found.isFull(USER)) break;
  }
}

/** Trailing sentence punctuation is not part of a name (`… of user alice.`). */
function addUser(raw: string): void {
  let end = raw.length;
  while (end > 0) {
    const c = raw.charCodeAt(end - 1);
    if (c !== 0x2e && c !== 0x3a && c !== 0x21) break; // . : !
    end--;
  }
  const value = end === raw.length ? raw : raw.slice(0, end);
  if (!isNil(value)) found.add(USER, value);
}

function decodeHex(hex: string): string {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return HEX_DECODER.decode(bytes);
}

const HEX_DECODER = new TextDecoder();

function scanHosts(message: string): void {
  if (found.isFull(HOST)) return;
  HOST_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HOST_RE.exec(message)) !== null) {
    const value = m[2] as string;
    // `rhost=2001:db8::1` stops at the colon: an IPv6 address, found by the IPv6 pass.
    if (m[1] === '' && message.charCodeAt(HOST_RE.lastIndex) === 0x3a && value.length <= 4 && HEX_GROUP_RE.test(value)) continue;
    if (!isNil(value)) addHost(value);
    if (found.isFull(HOST)) break;
  }
}

const HEX_GROUP_RE = /^[0-9A-Fa-f]+$/;

/**
 * Domains start at the token holding a `alnum.letter` dot. Driving the sticky regex from the dots
 * is several times faster than letting it try every word start, and each token is visited once.
 */
function scanDomains(message: string): void {
  if (found.isFull(DOMAIN)) return;
  const end = message.length;
  let dot = message.indexOf('.', 1);
  while (dot !== -1 && dot < end - 2) {
    let next = dot + 1;
    if (isAlnum(message.charCodeAt(dot - 1)) && isAlpha(message.charCodeAt(dot + 1))) {
      let start = dot - 1;
      while (start > 0 && isLabelChar(message.charCodeAt(start - 1))) start--;
      DOMAIN_RE.lastIndex = start;
      // After a non-ASCII letter the token is a tail of a word (`bücher.example`), not a name.
      const m = start > 0 && message.charCodeAt(start - 1) >= 0x80 ? null : DOMAIN_RE.exec(message);
      if (m !== null) {
        if (isTld(m[2] as string)) found.add(DOMAIN, m[1] as string);
        if (found.isFull(DOMAIN)) return;
        next = DOMAIN_RE.lastIndex;
      } else {
        while (next < end && isTokenChar(message.charCodeAt(next))) next++;
      }
    }
    dot = message.indexOf('.', next);
  }
}

/** [A-Za-z0-9] */
function isAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || isAlpha(c);
}

/** [A-Za-z] */
function isAlpha(c: number): boolean {
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** [A-Za-z0-9.-]: what a domain token may hold. */
function isLabelChar(c: number): boolean {
  return isAlnum(c) || c === 0x2e || c === 0x2d;
}

/** [A-Za-z0-9._-]: what a token that failed as a domain is skipped over by. */
function isTokenChar(c: number): boolean {
  return isLabelChar(c) || c === 0x5f;
}

/** Not a file extension, and one case throughout (`java.lang.String` is a class, not a domain). */
function isTld(label: string): boolean {
  const lower = label.toLowerCase();
  if (NON_TLD.has(lower)) return false;
  return label === lower || label === label.toUpperCase();
}

/** Unix then Windows paths; sentence punctuation after a bare path is not part of it. */
function scanPaths(message: string): void {
  if (found.isFull(FILE)) return;
  UNIX_PATH_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = UNIX_PATH_RE.exec(message)) !== null) {
    found.add(FILE, trimSentenceDot(m[0]));
    if (found.isFull(FILE)) return;
  }
  if (message.indexOf(':\\') === -1) return;
  WINDOWS_PATH_RE.lastIndex = 0;
  while ((m = WINDOWS_PATH_RE.exec(message)) !== null) {
    const quoted = m[1];
    if (quoted !== undefined) found.add(FILE, quoted);
    else found.add(FILE, trimTrailing(m[2] as string, '.,;:)]'));
    if (found.isFull(FILE)) break;
  }
}

/** `name[pid]`, found from each `[` followed by a digit (cheaper than a regex at every letter). */
function scanNamePids(message: string): void {
  let open = message.indexOf('[', 1);
  while (open !== -1 && !found.isFull(PROCESS)) {
    let close = open + 1;
    while (close < message.length && close - open <= 10 && isDigitCode(message.charCodeAt(close))) close++;
    if (close > open + 1 && message.charCodeAt(close) === 0x5d /* ] */) {
      let start = open;
      while (start > 0 && open - start < 64 && isProcessNameChar(message.charCodeAt(start - 1))) start--;
      // The name starts with a letter or `_` and is a whole token.
      while (start < open && !isNameStart(message.charCodeAt(start))) start++;
      if (start < open && (start === 0 || !isProcessNameChar(message.charCodeAt(start - 1)))) {
        found.add(PROCESS, `${message.slice(start, open)}:${message.slice(open + 1, close)}`);
      }
    }
    open = message.indexOf('[', open + 1);
  }
}

/** [\w./-] */
function isProcessNameChar(c: number): boolean {
  return isTokenChar(c) || c === 0x2f;
}

/** [A-Za-z_] */
function isNameStart(c: number): boolean {
  return isAlpha(c) || c === 0x5f;
}

function isDigitCode(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function scanAuditProcess(message: string): void {
  const comm = AUDIT_COMM_RE.exec(message)?.[1];
  if (comm === undefined) return;
  const pid = AUDIT_PID_RE.exec(message)?.[1];
  found.add(PROCESS, pid === undefined ? comm : `${comm}:${pid}`);
}

function scanHashes(text: string): void {
  if (found.isFull(HASH)) return;
  HASH_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HASH_RE.exec(text)) !== null) {
    found.add(HASH, `${m[1] as string}:${m[2] as string}`);
    if (found.isFull(HASH)) break;
  }
}

/** A hash label (md5, sha…, imphash) in any case: one pass, not six indexOf scans. */
const HASH_LABEL_RE = /md5|sha|imphash/i;

// ── Helpers ─────────────────────────────────────────────────────────────────────────────────────

function hasColons(text: string, count: number): boolean {
  let at = -1;
  for (let n = 0; n < count; n++) {
    at = text.indexOf(':', at + 1);
    if (at === -1) return false;
  }
  return true;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** `/var/log/auth.log.` at the end of a sentence; `/tmp/.` and `/..` keep their dots. */
function trimSentenceDot(path: string): string {
  const n = path.length;
  if (n < 3 || path.charCodeAt(n - 1) !== 0x2e) return path;
  const before = path.charCodeAt(n - 2);
  return before === 0x2e || before === 0x2f ? path : path.slice(0, n - 1);
}

function trimTrailing(text: string, chars: string): string {
  let end = text.length;
  while (end > 0 && chars.indexOf(text.charAt(end - 1)) !== -1) end--;
  return end === text.length ? text : text.slice(0, end);
}
