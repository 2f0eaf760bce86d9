/**
 * The saved state of the correlation engine: plain, versioned JSON (nanosecond times as decimal
 * strings so they survive `JSON.stringify` exactly), and the checks that turn untrusted input back
 * into it. The engine decides what to do with each checked rule (`correlation.ts`); this module
 * only knows the format. Pure: no I/O.
 */

/** The state format version this build writes and reads. */
export const CORRELATION_STATE_VERSION = 1;

/** One stored entry: `[ts ns, seq, reference index, value or null, contributing event ids]`. */
export type SavedEntry = [ts: string, seq: number, ref: number, value: string | number | null, ids: string[]];

export interface SavedGroup {
  key: string;
  values: Record<string, string>;
  /** Sorted by time, then arrival. */
  entries: SavedEntry[];
}

export interface SavedRule {
  /** The rule's id, else its name, else its title (suffixed `#2`… when titles repeat). */
  key: string;
  /** Everything that shapes the state; a rule whose signature changed starts empty. */
  signature: string;
  groups: SavedGroup[];
}

export interface CorrelationSnapshot {
  version: typeof CORRELATION_STATE_VERSION;
  /** Newest event time seen, ns as a decimal string; null before the first event. */
  watermarkNs: string | null;
  /** Next arrival number. */
  seq: number;
  rules: SavedRule[];
}

/** A saved state that cannot be restored; `path` points into it, as `rules[0].groups[3].entries[1]`. */
export class CorrelationStateError extends Error {
  override readonly name = 'CorrelationStateError';

  constructor(
    readonly code: 'CORRELATION_STATE_VERSION' | 'CORRELATION_STATE_INVALID',
    readonly path: string,
    problem: string,
  ) {
    super(`Cannot restore correlation state (${path}): ${problem}`);
  }
}

/** Check the shape of a saved state. @throws CorrelationStateError naming the first bad field. */
export function checkSnapshot(input: unknown): CorrelationSnapshot {
  const state = object(input, 'state');
  if (state.version !== CORRELATION_STATE_VERSION) {
    throw new CorrelationStateError('CORRELATION_STATE_VERSION', 'version',
      `unsupported version ${String(state.version)}; this build reads version ${CORRELATION_STATE_VERSION}`);
  }
  const watermarkNs = state.watermarkNs === null ? null : nsText(state.watermarkNs, 'watermarkNs');
  const seq = count(state.seq, 'seq');
  const rules = list(state.rules, 'rules').map((raw, r): SavedRule => {
    const at = `rules[${r}]`;
    const rule = object(raw, at);
    return {
      key: text(rule.key, `${at}.key`),
      signature: text(rule.signature, `${at}.signature`),
      groups: list(rule.groups, `${at}.groups`).map((g, i) => checkGroup(g, `${at}.groups[${i}]`)),
    };
  });
  return { version: CORRELATION_STATE_VERSION, watermarkNs, seq, rules };
}

function checkGroup(input: unknown, at: string): SavedGroup {
  const group = object(input, at);
  const values = object(group.values, `${at}.values`);
  for (const [name, value] of Object.entries(values)) text(value, `${at}.values.${name}`);
  let previous = -1n;
  const entries = list(group.entries, `${at}.entries`).map((raw, i): SavedEntry => {
    const where = `${at}.entries[${i}]`;
    const entry = list(raw, where);
    if (entry.length !== 5) fail(where, 'must be [ts, seq, ref, value, ids]');
    const ts = nsText(entry[0], `${where}[0]`);
    if (BigInt(ts) < previous) fail(where, 'entries must be sorted by time');
    previous = BigInt(ts);
    const value = entry[3];
    if (value !== null && typeof value !== 'string' && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(`${where}[3]`, 'must be a string, a finite number or null');
    }
    const ids = list(entry[4], `${where}[4]`).map((id, k) => text(id, `${where}[4][${k}]`));
    return [ts, count(entry[1], `${where}[1]`), count(entry[2], `${where}[2]`), value, ids];
  });
  if (entries.length === 0) fail(`${at}.entries`, 'a saved group is never empty');
  return { key: text(group.key, `${at}.key`), values: values as Record<string, string>, entries };
}

function object(value: unknown, at: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(at, 'must be an object');
  return value as Record<string, unknown>;
}

function list(value: unknown, at: string): unknown[] {
  if (!Array.isArray(value)) fail(at, 'must be an array');
  return value;
}

function text(value: unknown, at: string): string {
  if (typeof value !== 'string') fail(at, 'must be a string');
  return value;
}

function count(value: unknown, at: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) fail(at, 'must be a non-negative integer');
  return value;
}

function nsText(value: unknown, at: string): string {
  if (typeof value !== 'string' || !/^-?\d{1,20}$/.test(value)) fail(at, 'must be nanoseconds as a decimal string');
  return value;
}

function fail(at: string, problem: string): never {
  throw new CorrelationStateError('CORRELATION_STATE_INVALID', at, problem);
}
