/**
 * Acknowledge after durability, for receivers whose clients wait for an answer (OTLP, webhook):
 * submit all records or none, then wait for the commit. The outcome is a small union the
 * transport maps to its own status codes.
 */
import type { RawEvent } from '../../main/core/event.js';
import type { Pipeline } from '../../main/core/pipeline.js';

/** A client should not wait longer than this for a commit (the store is failing if it takes it). */
const COMMIT_TIMEOUT_MS = 30_000;

export type SubmitOutcome = 'committed' | 'queue_full' | 'store_unavailable';

export async function submitAndWait(pipeline: Pipeline, raws: RawEvent[]): Promise<SubmitOutcome> {
  const durable = pipeline.submit(raws);
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
