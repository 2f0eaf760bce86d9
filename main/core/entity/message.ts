/**
 * Entities from an event's message text: IPv4 and IPv6 addresses, users, `host=` values, domains,
 * Unix and Windows paths, `name[pid]` and auditd `comm`/`pid` processes, and labelled hashes.
 *
 * Follows the original's `parsing/entities.py` (reference §3.3): regexes over the message, in the
 * order ip, user, host, domain, file, process, hash. Beyond the original: the sshd/PAM/sudo/su/
 * useradd/auditd user forms, hashes, Windows paths, and `name[pid]` and auditd `comm`/`pid`
 * processes. Left out: bare pids found in text (a pid alone names nothing across hosts).
 *
 * Speed: every regex is compiled once; the costlier ones run only after a cheap indexOf guard
 * (see `scanMessage`); a type stops scanning once it holds its cap. Hostile input cannot make a
 * scan throw or go quadratic: the caller bounds the text (MAX_SCAN_LENGTH in `extract.ts`), and
 * the patterns only start at token boundaries.
 */
import { DOMAIN, FILE, HASH, HOST, IP, PROCESS, USER, addHost, isNil, type Found } from './found.js';

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

/** Adds the entities named in `message` (already bounded by the caller) to `found`. */
export function scanMessage(found: Found, message: string, app: string | undefined): void {
  scanAll(found, IPV4_RE, message, IP);
  if (message.indexOf('::') !== -1 || hasColons(message, 7)) scanAll(found, IPV6_RE, message, IP);
  scanUsers(found, message, app);
  if (message.indexOf('host') !== -1 || message.indexOf('HOST') !== -1) scanHosts(found, message);
  if (message.indexOf('.') !== -1) scanDomains(found, message);
  if (message.indexOf('/') !== -1 || message.indexOf(':\\') !== -1) scanPaths(found, message);
  if (message.indexOf('[') !== -1) scanNamePids(found, message);
  if (message.indexOf('comm="') !== -1) scanAuditProcess(found, message);
  if (HASH_LABEL_RE.test(message)) scanHashes(found, message);
}

/** Adds every match of `re` until the type is full. */
function scanAll(found: Found, re: RegExp, text: string, slot: number): void {
  if (found.isFull(slot)) return;
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    found.add(slot, m[0]);
    if (found.isFull(slot)) break;
  }
}

function scanUsers(found: Found, message: string, app: string | undefined): void {
  if (app === 'sudo') {
    const head = SUDO_HEAD_RE.exec(message);
    if (head?.[1] !== undefined) addUser(found, head[1]);
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
      if (value !== undefined) addUser(found, value);
    } else {
      for (let g = 4; g < m.length; g++) {
        const value = m[g];
        if (value !== undefined) addUser(found, value);
      }
    }
    if (found.isFull(USER)) break;
  }
}

/** Trailing sentence punctuation is not part of a name (`… of user alice.`). */
function addUser(found: Found, raw: string): void {
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

function scanHosts(found: Found, message: string): void {
  if (found.isFull(HOST)) return;
  HOST_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = HOST_RE.exec(message)) !== null) {
    const value = m[2] as string;
    // `rhost=2001:db8::1` stops at the colon: an IPv6 address, found by the IPv6 pass.
    if (m[1] === '' && message.charCodeAt(HOST_RE.lastIndex) === 0x3a && value.length <= 4 && HEX_GROUP_RE.test(value)) continue;
    if (!isNil(value)) addHost(found, value);
    if (found.isFull(HOST)) break;
  }
}

const HEX_GROUP_RE = /^[0-9A-Fa-f]+$/;

/**
 * Domains start at the token holding a `alnum.letter` dot. Driving the sticky regex from the dots
 * is several times faster than letting it try every word start, and each token is visited once.
 */
function scanDomains(found: Found, message: string): void {
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
function scanPaths(found: Found, message: string): void {
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
function scanNamePids(found: Found, message: string): void {
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

function scanAuditProcess(found: Found, message: string): void {
  const comm = AUDIT_COMM_RE.exec(message)?.[1];
  if (comm === undefined) return;
  const pid = AUDIT_PID_RE.exec(message)?.[1];
  found.add(PROCESS, pid === undefined ? comm : `${comm}:${pid}`);
}

/** Adds every labelled digest in `text` as `algo:hex`; also used for Sysmon `Hashes` fields. */
export function scanHashes(found: Found, text: string): void {
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
