/**
 * The content features Half-Space Trees see, each scaled to [0, 1]: the template (two
 * independent hashes of its id, so that random splits can isolate any one template), token
 * statistics (parameter count, message length), severity, entity count and hour of day (event
 * time, UTC).
 */
import type { SeerflowEvent } from '../../../main/core/event.js';

export const FEATURE_COUNT = 7;

const HOUR_NS = 3.6e12;
/** ln(1 + 4096): messages this long or longer score 1 on the length feature. */
const LOG_MAX_LENGTH = Math.log1p(4096);

/** Fills `out` (length `FEATURE_COUNT`) with the features of `event`; allocates nothing. */
export function contentFeatures(event: SeerflowEvent, out: Float64Array): void {
  const id = event.templateId < 0 ? 0 : event.templateId + 1;
  // Fractional parts of multiples of two irrational numbers spread consecutive ids evenly.
  out[0] = (id * 0.6180339887498949) % 1;
  out[1] = (id * 0.7548776662466927 + 0.5) % 1;
  const params = event.templateParams.length;
  out[2] = params / (params + 4);
  out[3] = Math.min(1, Math.log1p(event.message.length) / LOG_MAX_LENGTH);
  out[4] = event.severity / 6;
  const entities = event.entities.length;
  out[5] = entities / (entities + 3);
  out[6] = ((Number(event.timestampNs) / HOUR_NS) % 24) / 24;
}
