/**
 * One entity's behaviour baseline (reference §8 `EntityBaseline`): when it is active (hour-of-day
 * histogram), from where (known source addresses), doing what (decayed top-K templates), how much
 * (per-minute and per-hour volume EMAs), since when and how often, whether it is warm, and when it
 * last alerted (the cooldown). `learn` applies one event; scoring reads it (`score.ts`).
 */
import type { EntityType } from '../../../main/core/event.js';
import { emptyHours } from './hours.js';
import { KnownAddresses } from './known-addresses.js';
import { TemplateWeights } from './template-weights.js';
import { Volume } from './volume.js';
import { isWarm, type WarmupPolicy } from './warmup.js';

/** What UEBA reads from an event, computed once per event for all its entities. */
export interface Observation {
  tsNs: bigint;
  /** `tsNs` in milliseconds. */
  ms: number;
  /** UTC hour of `tsNs`. */
  hour: number;
  /** The event's IP entity values. */
  addresses: readonly string[];
  templateId: number;
}

export interface BaselineSettings {
  warmup: WarmupPolicy;
  /** `ueba.ema_alpha`. */
  alpha: number;
  /** `ueba.source_ip_cap`. */
  sourceIpCap: number;
  /** `ueba.template_top_k`. */
  templateTopK: number;
}

export class EntityBaseline {
  readonly entityId: string;
  readonly entityType: EntityType;
  firstSeenNs: bigint;
  lastSeenNs: bigint;
  eventCount = 0;
  /** Latched: once warm, always warm. */
  warm = false;
  readonly hours = emptyHours();
  readonly addresses: KnownAddresses;
  readonly templates: TemplateWeights;
  readonly volume: Volume;
  /** Event time of this entity's last alert (its cooldown), or null. */
  lastAlertNs: bigint | null = null;

  constructor(entityId: string, entityType: EntityType, settings: BaselineSettings, firstSeenNs: bigint, volume?: Volume) {
    this.entityId = entityId;
    this.entityType = entityType;
    this.firstSeenNs = firstSeenNs;
    this.lastSeenNs = firstSeenNs;
    this.addresses = new KnownAddresses(settings.sourceIpCap);
    this.templates = new TemplateWeights(settings.templateTopK, settings.alpha);
    this.volume = volume ?? new Volume(settings.alpha);
  }

  /** Apply one event. */
  learn(observation: Observation, warmup: WarmupPolicy): void {
    const { tsNs } = observation;
    if (tsNs < this.firstSeenNs) this.firstSeenNs = tsNs;
    if (tsNs > this.lastSeenNs) this.lastSeenNs = tsNs;
    this.eventCount++;
    this.hours[observation.hour]!++;
    for (const address of observation.addresses) this.addresses.observe(address, tsNs);
    this.templates.observe(observation.templateId);
    this.volume.observe(observation.ms);
    if (!this.warm) this.warm = isWarm(warmup, this.firstSeenNs, this.lastSeenNs, this.eventCount);
  }
}
