/**
 * Acknowledge after durability, for receivers whose clients wait for an answer (OTLP, webhook):
 * submit all records or none, then wait for the commit. The outcome is a small union the
 * transport maps to its own status codes (`throwUnlessCommitted` does it for HTTP).
 */
import Boom from '@hapi/boom';
import type { LogRecord, RawEvent, SourceType } from '../../main/core/event.js';
import type { Pipeline } from '../../main/core/pipeline.js';

/** A client should not wait longer than this for a commit (the store is failing if it takes it). */
const COMMIT_TIMEOUT_MS = 30_000;

export type SubmitOutcome = 'committed' | 'queue_full' | 'store_unavailable';

/**
 * Wait for a submission's commit (`Pipeline.submit`'s promise, `undefined` when it was refused),
 * at most `COMMIT_TIMEOUT_MS`. Records still waiting then stay queued and are stored later.
 */
export async function awaitCommit(durable: Promise<void> | undefined): Promise<SubmitOutcome> {
  if (!durable) return 'queue_full';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<SubmitOutcome>((resolve) => {
    timer = setTimeout(() => resolve('store_unavailable'), COMMIT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([durable.then((): SubmitOutcome => 'committed'), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Decoded records of one request → raw events, all received now. */
export function recordsToRaw(
  records: LogRecord[],
  source: { sourceType: SourceType; sourceId: string; receivedNs: bigint; remoteAddr?: string },
): RawEvent[] {
  return records.map((record) => ({ ...source, record }));
}

/**
 * A refusal becomes 429 (queue full) or 503 (no commit in time, told as `unavailable`). Records
 * that timed out are queued and will be stored: a client that resends them stores them twice,
 * unless the receiver recognises the resend (OTLP does).
 */
export function throwUnlessCommitted(
  outcome: SubmitOutcome,
  unavailable = 'the records were accepted and will be stored once the store catches up; resending them would store them twice',
): void {
  if (outcome === 'queue_full') throw Boom.tooManyRequests('ingest queue full; retry later');
  if (outcome === 'store_unavailable') throw Boom.serverUnavailable(unavailable);
}

/** Submit and wait; a refusal becomes 429 (queue full) or 503 (no commit in time). */
export async function commitOverHttp(pipeline: Pipeline, raws: RawEvent[]): Promise<void> {
  throwUnlessCommitted(await awaitCommit(pipeline.submit(raws)));
}
