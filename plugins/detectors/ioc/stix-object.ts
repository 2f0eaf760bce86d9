/**
 * STIX 2.1 indicator objects (STIX 2.1 §4.7) → the records the indicator set stores: the
 * pattern's observables (`stix-pattern.ts`), confidence, validity window, kill-chain phases,
 * version (`modified`) and revocation, keyed by a 53-bit fingerprint of the object's `id`.
 *
 * Only `type: indicator` with `pattern_type` stix (or absent) is read. Other objects are
 * `ignored`; indicators whose pattern fails to parse are `rejected` with the parser's code;
 * those with no usable observable are `unsupported`. A revoked indicator needs no pattern.
 * Pure: no I/O.
 */
import { fmix32 } from './bloom.js';
import { parseStixPattern, StixPatternError, type PatternObservable } from './stix-pattern.js';

/** The original's cap on kill-chain phases per indicator. */
export const MAX_PHASES = 64;

export interface StixIndicatorRecord {
  /** 53-bit fingerprint of the STIX id (see `idFingerprint`). */
  fp: number;
  /** Version: `modified` (else `created`) in seconds; 0 when absent. */
  modifiedS: number;
  revoked: boolean;
  /** `valid_until` in seconds; 0 = no end. */
  validUntilS: number;
  /** 0–100. */
  confidence: number;
  /** Phase names, lowercased (`command-and-control`). */
  phases: string[];
  observables: PatternObservable[];
}

export type StixOutcome =
  | { kind: 'indicator'; record: StixIndicatorRecord }
  | { kind: 'ignored' }
  | { kind: 'unsupported'; reason: string }
  | { kind: 'rejected'; code: string; message: string };

/** Reads one object of a TAXII envelope. `defaultConfidence` applies when it has none. */
export function readStixObject(object: unknown, defaultConfidence: number): StixOutcome {
  if (object === null || typeof object !== 'object') return { kind: 'ignored' };
  const sdo = object as Record<string, unknown>;
  if (sdo.type !== 'indicator') return { kind: 'ignored' };
  if (typeof sdo.id !== 'string' || !sdo.id.startsWith('indicator--')) {
    return { kind: 'rejected', code: 'invalid_id', message: 'indicator without an indicator--… id' };
  }
  const base = {
    fp: idFingerprint(sdo.id),
    modifiedS: seconds(sdo.modified) || seconds(sdo.created),
    validUntilS: seconds(sdo.valid_until),
    confidence: confidence(sdo.confidence, defaultConfidence),
    phases: phases(sdo.kill_chain_phases),
  };
  if (sdo.revoked === true) return { kind: 'indicator', record: { ...base, revoked: true, observables: [] } };
  if (sdo.pattern_type !== undefined && sdo.pattern_type !== 'stix') {
    return { kind: 'unsupported', reason: `pattern_type ${String(sdo.pattern_type).slice(0, 32)}` };
  }
  if (typeof sdo.pattern !== 'string') return { kind: 'rejected', code: 'no_pattern', message: `${sdo.id} has no pattern` };
  try {
    const parsed = parseStixPattern(sdo.pattern);
    if (parsed.observables.length === 0) return { kind: 'unsupported', reason: 'no address, domain, URL or hash in the pattern' };
    return { kind: 'indicator', record: { ...base, revoked: false, observables: parsed.observables } };
  } catch (error) {
    if (error instanceof StixPatternError) return { kind: 'rejected', code: error.code, message: `${sdo.id}: ${error.message}` };
    throw error;
  }
}

/**
 * A 53-bit fingerprint of a STIX id (two FNV-1a lanes, avalanched): exact in a JS number, so it
 * keys a Map. Two different ids share one with probability ~n²/2⁵⁴ (5·10⁻⁵ for a million ids);
 * the cost of such a collision is that an update of one replaces the other.
 */
export function idFingerprint(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ id.length;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const high = fmix32(b ^ a) & 0x1fffff;
  const low = fmix32(a ^ Math.imul(b, 0x9e3779b1));
  return high * 0x1_0000_0000 + low;
}

function seconds(value: unknown): number {
  if (typeof value !== 'string') return 0;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? Math.min(0xffff_ffff, Math.floor(ms / 1000)) : 0;
}

function confidence(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.max(0, Math.min(100, Math.round(value))) : fallback;
}

function phases(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const names: string[] = [];
  for (const phase of value.slice(0, MAX_PHASES)) {
    const name = (phase as { phase_name?: unknown } | null)?.phase_name;
    if (typeof name === 'string' && name.trim() !== '') {
      const normal = name.trim().toLowerCase().slice(0, 64);
      if (!names.includes(normal)) names.push(normal);
    }
  }
  return names;
}
