/**
 * Kill-chain progression (reference §7.4): per entity, the distinct ATT&CK tactics its alerts
 * carried within a window of event time; when they reach the threshold, one progression.
 *
 * Tactics are canonical (`main/core/attack.ts`): `credential_access`, `credential-access` and
 * `TA0006` are one tactic (the original counted three). Unknown tactic strings are not counted.
 * A tactic goes stale `windowMs` after it was last seen; when stale tactics bring an entity
 * below the threshold it re-arms, and otherwise a fired entity does not fire again. One alert
 * tagged with several tactics (a valid-accounts login is initial access, persistence and
 * privilege escalation at once) describes one step, not a progression: the tactics must have
 * come from at least two alerts. Bounded:
 * `maxEntities` entities (least recently touched evicted first), and the tactics of ATT&CK.
 */
import { normalizeTactic, tacticOrder } from '../../../main/core/attack.js';
import type { EntityKey } from './entity.js';
import { evictOver, touch } from './lru.js';

export interface KillChainOptions {
  threshold: number;
  windowMs: number;
  maxEntities: number;
}

interface TacticSighting {
  firstMs: number;
  lastMs: number;
  alertId: string;
  eventId: string;
}

interface ChainRecord {
  entity: EntityKey;
  tactics: Map<string, TacticSighting>;
  fired: boolean;
}

export interface KillChainProgression {
  entity: EntityKey;
  /** Canonical tactic names, in the order they were first seen. */
  tactics: string[];
  alertIds: string[];
  eventIds: string[];
}

const STATE_VERSION = 1;
/** Distinct alerts whose tactics make up a progression. */
const MIN_ALERTS = 2;

export interface KillChainState {
  version: number;
  entities: Array<[EntityKey, boolean, Array<[string, TacticSighting]>]>;
}

export class KillChainTracker {
  readonly #options: KillChainOptions;
  readonly #entities = new Map<string, ChainRecord>();
  #evicted = 0;
  #progressions = 0;

  constructor(options: KillChainOptions, state?: KillChainState) {
    this.#options = options;
    if (state?.version === STATE_VERSION) {
      for (const [entity, fired, tactics] of state.entities.slice(-options.maxEntities)) {
        this.#entities.set(entity.id, { entity, fired, tactics: new Map(tactics) });
      }
    }
  }

  get entityCount(): number {
    return this.#entities.size;
  }

  get evicted(): number {
    return this.#evicted;
  }

  get progressions(): number {
    return this.#progressions;
  }

  /** Canonical tactics currently counted for an entity, first seen first (a read). */
  tacticsOf(entityId: string): string[] {
    const record = this.#entities.get(entityId);
    return record ? [...record.tactics.keys()] : [];
  }

  /** Records an alert's tactics for its entity at `tMs`; the progression when this completes one. */
  observe(entity: EntityKey, tactics: readonly string[], alertId: string, eventId: string, tMs: number): KillChainProgression | null {
    const known = tactics.map((t) => normalizeTactic(t)).filter((t) => t.known);
    if (known.length === 0) return null;
    const record = this.#entities.get(entity.id) ?? { entity, tactics: new Map<string, TacticSighting>(), fired: false };
    touch(this.#entities, entity.id, record);
    this.#evicted += evictOver(this.#entities, this.#options.maxEntities);
    for (const [name, seen] of record.tactics) if (seen.lastMs < tMs - this.#options.windowMs) record.tactics.delete(name);
    if (record.tactics.size < this.#options.threshold) record.fired = false;
    for (const { name } of known) {
      const seen = record.tactics.get(name);
      if (!seen) record.tactics.set(name, { firstMs: tMs, lastMs: tMs, alertId, eventId });
      else if (tMs > seen.lastMs) seen.lastMs = tMs;
    }
    if (record.fired || record.tactics.size < this.#options.threshold) return null;
    if (new Set([...record.tactics.values()].map((seen) => seen.alertId)).size < MIN_ALERTS) return null;
    record.fired = true;
    this.#progressions++;
    const ordered = [...record.tactics].sort(([a, x], [b, y]) => x.firstMs - y.firstMs || tacticOrder(a) - tacticOrder(b));
    return {
      entity: record.entity,
      tactics: ordered.map(([name]) => name),
      alertIds: [...new Set(ordered.map(([, s]) => s.alertId))],
      eventIds: [...new Set(ordered.map(([, s]) => s.eventId))],
    };
  }

  toState(): KillChainState {
    return {
      version: STATE_VERSION,
      entities: [...this.#entities.values()].map((r) => [r.entity, r.fired, [...r.tactics]]),
    };
  }
}
