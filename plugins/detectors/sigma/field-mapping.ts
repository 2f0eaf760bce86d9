/**
 * Sigma taxonomy field → where an event holds it, per event logsource. The original looked every
 * unmapped field up verbatim, so web, DNS and proxy rules could never match (reference §17 item
 * 2); here each field resolves through a list of sources tried in order:
 *
 * 1. the mapping rules (caller's first, then DEFAULT_FIELD_MAPPINGS) whose logsource the event
 *    satisfies: the first one naming the field decides its targets (Security 4688's
 *    `NewProcessName` for `Image`, Defender's `ThreatName` for `Signature`…);
 * 2. the field itself in `event.fields`, also under the evtx_dump and Winlogbeat prefixes
 *    (`Event.EventData.Image`, `winlog.event_data.Image`) and, for System fields, their nested
 *    names (`Provider_Name` ← `Event.System.Provider.#attributes.Name`);
 * 3. the parsers of the matching rules (`derive`): web and proxy access lines, auditd records,
 *    DNS server lines, parsed from the message once per event.
 *
 * Target syntax: `Name` (a field, with the aliases above), `$message`, `$host`, `$app`, `$raw`,
 * `$entity:<type>` (the first entity of that type the normalizer resolved, other than the sending
 * host: how plain syslog lines get `src_ip` and `user`), or `parser:key` with parser one of web,
 * proxy, auditd, dns.
 *
 * Resolvers are built once per (logsource, field) by the engine, so the per-event path only runs
 * the lookups. `fieldValue` is the one-shot form correlation rules use for `group-by`.
 */
import type { FieldValue, Fields, Logsource, SeerflowEvent } from '../../../main/core/event.js';
import { parseAuditd } from './auditd.js';
import { parseDnsLog } from './dns-log.js';
import { logsourceMatches } from './index-by-logsource.js';
import { parseProxyAccess, parseWebAccess } from './web-access.js';

export type ParserName = 'web' | 'proxy' | 'auditd' | 'dns';

export interface FieldMappingRule {
  /** Applies to events whose logsource has each of these (non-empty) values. */
  logsource: Partial<Logsource>;
  /** Sigma field → targets, tried in order (see the module header for the syntax). */
  fields?: Record<string, string | readonly string[]>;
  /** Parser whose output backs every field of this logsource, after the fields themselves. */
  derive?: ParserName;
}

/** What a field resolves to: a value, several (any may match), or nothing. */
export type ResolvedValue = FieldValue | FieldValue[] | undefined;

/** Per-event cache of parsed messages; `undefined` = not parsed yet, `null` = not that format. */
export interface DerivedCache {
  web?: Fields | null;
  proxy?: Fields | null;
  auditd?: Fields | null;
  dns?: Fields | null;
}

export type FieldResolver = (event: SeerflowEvent, derived: DerivedCache) => ResolvedValue;

export class FieldMappingError extends Error {
  readonly code = 'SIGMA_FIELD_MAPPING_INVALID';

  constructor(
    readonly index: number,
    detail: string,
  ) {
    super(`Invalid Sigma field mapping #${index}: ${detail}`);
    this.name = 'FieldMappingError';
  }
}

/** The built-in mappings, tried after the caller's. */
export const DEFAULT_FIELD_MAPPINGS: readonly FieldMappingRule[] = Object.freeze<FieldMappingRule[]>([
  // Security 4688 names the process fields differently (Sigma's thor.yml fieldmappings).
  {
    logsource: { product: 'windows', category: 'process_creation', service: 'security' },
    fields: { Image: 'NewProcessName', ParentImage: 'ParentProcessName', ProcessId: 'NewProcessId', ParentProcessId: 'ProcessId' },
  },
  // Defender detections (thor.yml: Signature ← ThreatName, Filename ← Path).
  { logsource: { product: 'windows', category: 'antivirus' }, fields: { Signature: 'ThreatName', Filename: 'Path' } },
  {
    logsource: { category: 'webserver' },
    fields: { 'c-useragent': ['c-useragent', 'cs-user-agent', 'user_agent.original', 'http_user_agent', 'web:c-useragent'],
      'cs-referer': ['cs-referer', 'cs-referrer', 'http_referer', 'web:cs-referer'] },
    derive: 'web',
  },
  { logsource: { category: 'proxy' }, fields: { 'c-useragent': ['c-useragent', 'cs-user-agent', 'proxy:c-useragent'] }, derive: 'proxy' },
  {
    logsource: { category: 'dns' },
    fields: {
      query: ['query', 'dns.question.name', 'qname', 'dns:query'],
      answer: ['answer', 'answers', 'dns.answers.data', 'dns:answer'],
      record_type: ['record_type', 'qtype_name', 'dns.question.type', 'qtype', 'dns:record_type'],
    },
    derive: 'dns',
  },
  // Process creation from an auditd EXECVE record.
  {
    logsource: { product: 'linux', category: 'process_creation' },
    fields: {
      Image: ['Image', 'exe', 'auditd:@image'],
      CommandLine: ['CommandLine', 'auditd:@cmdline', 'auditd:proctitle'],
      CurrentDirectory: ['CurrentDirectory', 'cwd', 'auditd:cwd'],
      ProcessId: ['ProcessId', 'auditd:pid'],
      ParentProcessId: ['ParentProcessId', 'auditd:ppid'],
      LogonId: ['LogonId', 'auditd:ses'],
      User: ['User', 'auditd:auid'],
    },
  },
  { logsource: { product: 'linux', service: 'auditd' }, derive: 'auditd' },
  { logsource: { product: 'linux', category: 'process_creation' }, derive: 'auditd' },
  // Plain Linux syslog lines (sshd, sudo, useradd…) carry no fields: the entities stand in.
  {
    logsource: { product: 'linux' },
    fields: { src_ip: ['src_ip', '$entity:ip'], user: ['user', '$entity:user'], Computer: ['Computer', '$host'] },
  },
]);

/** Other names an evtx_dump or Winlogbeat event gives a field; `{}` stands for the field. */
const FIELD_PREFIXES = ['', 'Event.EventData.', 'Event.System.', 'winlog.event_data.', 'EventData.', 'System.', 'Event.UserData.'];
const SYSTEM_ALIASES: Readonly<Record<string, readonly string[]>> = {
  EventID: ['Event.System.EventID.#text', 'winlog.event_id', 'event.code'],
  Channel: ['winlog.channel'],
  Provider_Name: ['Event.System.Provider.#attributes.Name', 'System.Provider.#attributes.Name', 'winlog.provider_name'],
  Computer: ['winlog.computer_name'],
  Security_UserID: ['Event.System.Security.#attributes.UserID', 'winlog.user.identifier'],
  Execution_ProcessID: ['Event.System.Execution.#attributes.ProcessID', 'winlog.process.pid'],
};

const PARSERS: Readonly<Record<ParserName, (message: string) => Fields | null>> = {
  web: parseWebAccess,
  proxy: parseProxyAccess,
  auditd: parseAuditd,
  dns: parseDnsLog,
};

const ENTITY_TYPES: ReadonlySet<string> = new Set(['ip', 'user', 'host', 'domain', 'file', 'process', 'hash']);

type Source =
  | { kind: 'field'; keys: readonly string[] }
  | { kind: 'event'; part: 'message' | 'host' | 'app' | 'raw' }
  | { kind: 'entity'; type: string }
  | { kind: 'derived'; parser: ParserName; key: string };

/**
 * Resolves Sigma fields for events, with the caller's mapping rules before the defaults.
 * Throws FieldMappingError for a malformed rule (bad parser name, empty target).
 */
export class FieldMapper {
  readonly #rules: readonly FieldMappingRule[];

  constructor(rules: readonly FieldMappingRule[] = [], options: { withDefaults?: boolean } = {}) {
    rules.forEach((rule, index) => validateRule(rule, index));
    this.#rules = options.withDefaults === false ? [...rules] : [...rules, ...DEFAULT_FIELD_MAPPINGS];
  }

  /** A resolver for `sigmaField` on events of `logsource`; build once, call per event. */
  resolver(logsource: Logsource, sigmaField: string): FieldResolver {
    return compileSources(this.#sources(logsource, sigmaField));
  }

  /**
   * Everything a field's resolver may read on events of this logsource: event field keys, event
   * parts and parsers. The prefilter scans exactly these texts.
   */
  reads(logsource: Logsource, sigmaField: string): { keys: string[]; parts: ('message' | 'host' | 'app' | 'raw')[]; parsers: ParserName[] } {
    const out = { keys: [] as string[], parts: [] as ('message' | 'host' | 'app' | 'raw')[], parsers: [] as ParserName[] };
    for (const source of this.#sources(logsource, sigmaField)) {
      if (source.kind === 'field') out.keys.push(...source.keys);
      else if (source.kind === 'event') out.parts.push(source.part);
      // Entities are extracted from the message and the header's host and app.
      else if (source.kind === 'entity') out.parts.push('message', 'host', 'app');
      else out.parsers.push(source.parser);
    }
    return out;
  }

  /** The parsers whose output may back fields of this logsource (the prefilter scans their output). */
  parsersFor(logsource: Logsource): ParserName[] {
    const parsers = new Set<ParserName>();
    for (const rule of this.#rules) {
      if (!logsourceMatches(rule.logsource, logsource)) continue;
      if (rule.derive !== undefined) parsers.add(rule.derive);
      for (const targets of Object.values(rule.fields ?? {})) {
        for (const target of typeof targets === 'string' ? [targets] : targets) {
          const source = parseTarget(target);
          if (source.kind === 'derived') parsers.add(source.parser);
        }
      }
    }
    return [...parsers];
  }

  #sources(logsource: Logsource, sigmaField: string): Source[] {
    const applicable = this.#rules.filter((rule) => logsourceMatches(rule.logsource, logsource));
    const sources: Source[] = [];
    const mapped = applicable.find((rule) => rule.fields !== undefined && Object.hasOwn(rule.fields, sigmaField));
    if (mapped?.fields) {
      const targets = mapped.fields[sigmaField] as string | readonly string[];
      for (const target of typeof targets === 'string' ? [targets] : targets) sources.push(parseTarget(target));
    }
    sources.push(fieldSource(sigmaField));
    for (const rule of applicable) {
      if (rule.derive !== undefined) sources.push({ kind: 'derived', parser: rule.derive, key: sigmaField });
    }
    return sources;
  }
}

let defaultMapper: FieldMapper | undefined;

/**
 * The value of a Sigma field in an event, resolved through the default mappings for the
 * event's logsource. For correlation `group-by` and other one-off reads; the engine builds its
 * resolvers once instead.
 */
export function fieldValue(event: SeerflowEvent, sigmaField: string, mapper?: FieldMapper): ResolvedValue {
  defaultMapper ??= new FieldMapper();
  return (mapper ?? defaultMapper).resolver(event.logsource, sigmaField)(event, {});
}

/** Runs a parser over the event's message once per event. */
export function derivedRecord(event: SeerflowEvent, derived: DerivedCache, parser: ParserName): Fields | null {
  let record = derived[parser];
  if (record === undefined) {
    record = PARSERS[parser](event.message);
    derived[parser] = record;
  }
  return record;
}

// ── Internals ───────────────────────────────────────────────────────────────────────────────────

function validateRule(rule: FieldMappingRule, index: number): void {
  if (rule === null || typeof rule !== 'object' || rule.logsource === null || typeof rule.logsource !== 'object') {
    throw new FieldMappingError(index, 'needs a logsource object');
  }
  if (rule.derive !== undefined && !Object.hasOwn(PARSERS, rule.derive)) {
    throw new FieldMappingError(index, `derive "${String(rule.derive)}" is not one of ${Object.keys(PARSERS).join(', ')}`);
  }
  for (const [field, targets] of Object.entries(rule.fields ?? {})) {
    const list = typeof targets === 'string' ? [targets] : targets;
    if (!Array.isArray(list) || list.length === 0) throw new FieldMappingError(index, `field "${field}" has no target`);
    for (const target of list) {
      if (typeof target !== 'string' || target === '') throw new FieldMappingError(index, `field "${field}" has an empty target`);
      const colon = target.indexOf(':');
      const parser = target.slice(0, colon);
      if (colon > 0 && !Object.hasOwn(PARSERS, parser) && /^[a-z]+$/.test(parser)) {
        throw new FieldMappingError(index, `target "${target}" names unknown parser "${parser}"`);
      }
      const entityTarget = target.startsWith('$entity:') && ENTITY_TYPES.has(target.slice('$entity:'.length));
      if (target.startsWith('$') && !entityTarget && !['$message', '$host', '$app', '$raw'].includes(target)) {
        throw new FieldMappingError(index, `target "${target}" is not one of $message, $host, $app, $raw, $entity:<type>`);
      }
    }
  }
}

function parseTarget(target: string): Source {
  if (target.startsWith('$entity:')) return { kind: 'entity', type: target.slice('$entity:'.length) };
  if (target.startsWith('$')) return { kind: 'event', part: target.slice(1) as 'message' | 'host' | 'app' | 'raw' };
  const colon = target.indexOf(':');
  const parser = target.slice(0, colon);
  if (colon > 0 && Object.hasOwn(PARSERS, parser)) return { kind: 'derived', parser: parser as ParserName, key: target.slice(colon + 1) };
  return fieldSource(target);
}

function fieldSource(name: string): Source {
  const keys = FIELD_PREFIXES.map((prefix) => prefix + name);
  const aliases = Object.hasOwn(SYSTEM_ALIASES, name) ? (SYSTEM_ALIASES[name] as readonly string[]) : [];
  return { kind: 'field', keys: [...keys, ...aliases] };
}

function scalarOf(value: unknown): FieldValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return undefined; // inherited members (`constructor`) and anything non-scalar
}

function compileSource(source: Source): FieldResolver {
  switch (source.kind) {
    case 'field': {
      const keys = source.keys;
      return (event) => {
        const fields = event.fields;
        for (let i = 0; i < keys.length; i++) {
          const value = scalarOf(fields[keys[i] as string]);
          if (value !== undefined) return value;
        }
        return undefined;
      };
    }
    case 'event': {
      const part = source.part;
      return (event) => {
        const value = event[part];
        return value === '' ? undefined : value;
      };
    }
    case 'entity': {
      const type = source.type;
      return (event) => event.entities.find((entity) => entity.type === type && entity.value !== event.host)?.value;
    }
    case 'derived': {
      const { parser, key } = source;
      return (event, derived) => {
        const record = derivedRecord(event, derived, parser);
        return record === null ? undefined : scalarOf(record[key]);
      };
    }
  }
}

function compileSources(sources: Source[]): FieldResolver {
  const resolvers = sources.map((source) => compileSource(source));
  if (resolvers.length === 1) return resolvers[0] as FieldResolver;
  return (event, derived) => {
    for (let i = 0; i < resolvers.length; i++) {
      const value = (resolvers[i] as FieldResolver)(event, derived);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}
