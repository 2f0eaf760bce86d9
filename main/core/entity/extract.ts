/**
 * Entity extraction: the IPs, users, hosts, domains, files, processes and hashes an event names,
 * as EntityRefs (ids from `identity.ts`), read from the syslog header (here), the structured
 * fields (`fields.ts`) and the message text (`message.ts`), in that order, into one collection of
 * found entities (`found.ts`).
 *
 * Follows the original's `parsing/entities.py` (reference §3.3): regexes over the message, dedup
 * per type in first-seen order (by canonical value), at most MAX_ENTITIES_PER_TYPE per type, refs
 * grouped by type in the order ip, user, host, domain, file, process, hash. Beyond the original:
 * sshd/PAM/sudo/su/useradd/auditd user forms, hashes, Windows paths, `name[pid]` and auditd
 * `comm`/`pid` processes, the structured fields listed in FIELD_SPECS (`fields.ts`; ECS,
 * Windows/Sysmon), and the syslog header's host and app/procId. Left out: the original's
 * param/template tags (never stored) and bare pids found in text (a pid alone names nothing
 * across hosts).
 *
 * Speed: every regex is compiled once; the costlier ones run only after a cheap indexOf guard;
 * a type stops scanning once it holds its cap; ids come from the memo in `identity.ts`. The
 * scratch collection is one module-level Found, reused from event to event and passed to each
 * stage (extraction is synchronous, so never re-entered). Hostile input cannot make it throw or
 * go quadratic: the message is scanned up to MAX_SCAN_LENGTH, and the patterns only start at
 * token boundaries.
 */
import type { EntityRef, Fields } from '../event.js';
import { addFields } from './fields.js';
import { Found, PROCESS, addHost, isDigits, isNil } from './found.js';
import { scanMessage } from './message.js';

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
  addHeader(found, input.host, input.app, input.procId);
  if (input.fields !== undefined) addFields(found, input.fields);
  const message = input.message;
  if (typeof message === 'string' && message.length > 0) {
    scanMessage(found, message.length > MAX_SCAN_LENGTH ? message.slice(0, MAX_SCAN_LENGTH) : message, input.app);
  }
  return found.collect();
}

// ── Collection ──────────────────────────────────────────────────────────────────────────────────

/** The refs of the event being extracted; reset at the start of each `extractEntities` call. */
const found = new Found(MAX_ENTITIES_PER_TYPE);

// ── Syslog header ───────────────────────────────────────────────────────────────────────────────

function addHeader(found: Found, host: string | undefined, app: string | undefined, procId: string | undefined): void {
  if (typeof host === 'string' && !isNil(host)) addHost(found, host);
  const hasPid = typeof procId === 'string' && isDigits(procId);
  if (typeof app === 'string' && !isNil(app)) found.add(PROCESS, hasPid ? `${app}:${procId}` : app);
  else if (hasPid) found.add(PROCESS, procId);
}
