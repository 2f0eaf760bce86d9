/**
 * The detector contract (DESIGN "Plugins"): small and synchronous. The pipeline hands every
 * normalized event to each registered detector, in registration order, before the event is
 * stored, so a detector may enrich it (threat-intel matches) for those after it and for storage.
 */
import type { Alert } from './alert.js';
import type { SeerflowEvent } from './event.js';
import type { ComponentHealth } from './health.js';

export interface Detector {
  /** Short name used in `/health`, `/stats` and logs (`sigma`, `ml`, `ioc`…). */
  readonly name: string;
  /**
   * The alerts this event raises (often none). `raised` holds the alerts that detectors registered
   * earlier raised on this same event (correlation builds on them). Must not throw; must not await.
   */
  process(event: SeerflowEvent, raised: readonly Alert[]): Alert[];
  /** Model state to persist with the next commit: `{ key, data }` rows, empty when unchanged. */
  flush?(): Array<{ key: string; data: string }>;
  health?(): ComponentHealth;
}
