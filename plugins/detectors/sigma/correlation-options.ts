/**
 * Options of the correlation engine: every key with its unit and default in one place, checked
 * once at construction; past that the engine trusts them. Also the warnings the engine raises
 * about capacity, each naming the option to raise.
 */
import type { SeerflowEvent } from '../../../main/core/event.js';
import type { ResolvedValue } from './field-mapping.js';

/** Reads a Sigma field from an event: the detection engine's `fieldValue` (`field-mapping.ts`), or a stand-in in tests. */
export type FieldReader = (event: SeerflowEvent, field: string) => ResolvedValue;

export interface CorrelationEngineOptions {
  /** How to read a field of an event. Required. */
  fieldOf: FieldReader;
  /** How far behind the watermark an event may be and still count, ns. Default 30 s. */
  lateToleranceNs: bigint;
  /** Entries held across all rules and groups. Default 100 000. */
  maxStateEntries: number;
  /**
   * Entries one group holds; past it the oldest go. Capping only removes observations, so counts,
   * distinct counts and sums of non-negative values can only under-count: a `gt`/`gte` rule may
   * miss, an `lt`/`lte` rule may fire, and averages and percentiles see only the newest entries.
   * A threshold above the cap can never be reached (warned at construction). Default 10 000.
   */
  maxEntriesPerGroup: number;
  /** Contributing event ids carried by a hit (the newest). Default 32. */
  maxEventIdsPerHit: number;
  /**
   * Groups one event may join when group-by fields hold several values (`related_users`): every
   * combination up to this many, the rest dropped and counted. Default 16.
   */
  maxFanOut: number;
  /** Told about capacity problems; `setting` names the option to raise. Default: ignore. */
  onWarning: (warning: CorrelationWarning) => void;
}

export const CORRELATION_DEFAULTS: Readonly<Omit<CorrelationEngineOptions, 'fieldOf'>> = Object.freeze({
  lateToleranceNs: 30_000_000_000n,
  maxStateEntries: 100_000,
  maxEntriesPerGroup: 10_000,
  maxEventIdsPerHit: 32,
  maxFanOut: 16,
  onWarning: () => undefined,
});

export interface CorrelationWarning {
  code: 'CORRELATION_STATE_CAP' | 'CORRELATION_THRESHOLD_UNREACHABLE' | 'CORRELATION_STATE_SKIPPED';
  /** The option to raise, when raising one helps. */
  setting?: 'maxStateEntries' | 'maxEntriesPerGroup';
  message: string;
}

/** An option out of range; `option` names it. Thrown at construction only. */
export class CorrelationOptionError extends Error {
  override readonly name = 'CorrelationOptionError';
  readonly code = 'CORRELATION_INVALID_OPTION';

  constructor(
    readonly option: string,
    problem: string,
  ) {
    super(`Invalid correlation engine option ${option}: ${problem}`);
  }
}

/** Defaults filled in and every option checked. @throws CorrelationOptionError naming the first bad one. */
export function resolveOptions(
  options: Partial<CorrelationEngineOptions> & Pick<CorrelationEngineOptions, 'fieldOf'>,
): CorrelationEngineOptions {
  const resolved: CorrelationEngineOptions = { ...CORRELATION_DEFAULTS, ...options };
  if (typeof resolved.fieldOf !== 'function') {
    throw new CorrelationOptionError('fieldOf', 'must be a function (event, field) => value; pass the detection engine\'s fieldValue');
  }
  if (typeof resolved.lateToleranceNs !== 'bigint' || resolved.lateToleranceNs < 0n) {
    throw new CorrelationOptionError('lateToleranceNs', 'must be a non-negative bigint of nanoseconds, e.g. 30_000_000_000n');
  }
  for (const key of ['maxStateEntries', 'maxEntriesPerGroup', 'maxEventIdsPerHit', 'maxFanOut'] as const) {
    if (!Number.isSafeInteger(resolved[key]) || resolved[key] < 1) {
      throw new CorrelationOptionError(key, `must be a positive integer, got ${String(resolved[key])}`);
    }
  }
  if (typeof resolved.onWarning !== 'function') throw new CorrelationOptionError('onWarning', 'must be a function');
  return resolved;
}
