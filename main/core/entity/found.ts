/**
 * The entities found in one event: per-type lists of EntityRefs (ids from `identity.ts`) that the
 * extraction stages add to, plus the value checks they share (placeholders that name nothing,
 * digit strings, a host name that is really an address).
 *
 * Follows the original's `parsing/entities.py` (reference §3.3): dedup per type in first-seen
 * order (by canonical value), at most a cap of refs per type, refs grouped by type in the order
 * ip, user, host, domain, file, process, hash. A bare pid is dropped when a `name:pid` with the
 * same pid was found (reference §4.2).
 *
 * One Found is meant to be reused from event to event: `reset`, the stages `add`, then `collect`.
 * The lists are emptied in place, not reallocated; the caller owns the instance and passes it to
 * each stage (see `extract.ts`).
 */
import type { EntityRef, EntityType } from '../event.js';
import { entityRef } from './identity.js';

// ── Slots ───────────────────────────────────────────────────────────────────────────────────────

/** Slot numbers: the index of each type's list, in output order. */
export const IP = 0;
export const USER = 1;
export const HOST = 2;
export const DOMAIN = 3;
export const FILE = 4;
export const PROCESS = 5;
export const HASH = 6;
const SLOT_TYPES: readonly EntityType[] = ['ip', 'user', 'host', 'domain', 'file', 'process', 'hash'];

// ── Collection ──────────────────────────────────────────────────────────────────────────────────

/** Per-type lists of the refs found so far, reused from event to event. */
export class Found {
  readonly #lists: EntityRef[][] = SLOT_TYPES.map(() => []);
  #barePid = false;
  #cap: number;

  constructor(cap: number) {
    this.#cap = cap;
  }

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

/** A host name that is really an address becomes an ip entity. */
export function addHost(found: Found, raw: string): void {
  const c = raw.charCodeAt(0);
  if ((c >= 0x30 && c <= 0x39) || raw.indexOf(':') !== -1) {
    if (entityRef('ip', raw) !== undefined) {
      found.add(IP, raw);
      return;
    }
  }
  found.add(HOST, raw);
}

// ── Shared value checks ─────────────────────────────────────────────────────────────────────────

/** Placeholder values that name nothing. */
const NIL_VALUES = new Set(['-', '?', '--', 'unknown', '(unknown)', 'unset', '(none)', 'none', 'null', 'NULL', 'n/a', 'N/A']);

export function isNil(value: string): boolean {
  if (value.length === 0) return true;
  if (value.length > 9) return false;
  // Every placeholder starts with one of - ? ( u n N (or space, trimmed): skip the Set otherwise.
  const c = value.charCodeAt(0);
  if (c !== 0x2d && c !== 0x3f && c !== 0x28 && (c | 0x20) !== 0x75 && (c | 0x20) !== 0x6e && c > 0x20) return false;
  return NIL_VALUES.has(value.trim());
}

export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}
