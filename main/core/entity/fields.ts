/**
 * Entities from an event's structured fields: the field names in FIELD_SPECS (ECS, Windows
 * Security and Sysmon), matched exactly, then case-insensitively, also under the containers that
 * evtx_dump and Winlogbeat put around them (FIELD_PREFIXES).
 *
 * Beyond the original's `parsing/entities.py` (reference §3.3), whose dedup, cap and order still
 * apply (`found.ts`): a user name is qualified by its sibling domain field (`CORP\alice`), an
 * executable path with its sibling pid field is also the process `basename:pid`, a process name
 * takes its sibling pid, and Sysmon `Hashes` lists give one labelled digest each (`scanHashes` in
 * `message.ts`). Placeholder values (`-`, `N/A`, …) and non-finite numbers name nothing.
 *
 * Speed: field name → spec is memoised, so a name seen before costs one Map hit (bounded at
 * FIELD_NAME_MEMO_SIZE names).
 */
import type { FieldValue, Fields } from '../event.js';
import { DOMAIN, FILE, HASH, IP, PROCESS, USER, addHost, isDigits, isNil, type Found } from './found.js';
import { scanHashes } from './message.js';

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

/** Adds the entities of every field whose name is in FIELD_SPECS to `found`. */
export function addFields(found: Found, fields: Fields): void {
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
        addHost(found, text);
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
        scanHashes(found, text);
        break;
    }
  }
}

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  return cut === -1 ? path : path.slice(cut + 1);
}
