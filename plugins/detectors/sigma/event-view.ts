/**
 * One event as the matchers see it: field values by slot, resolved at most once per event and
 * kept with their text and lower-cased forms, plus the texts keyword searches run over.
 *
 * A slot is an index the FieldRegistry gives each Sigma field name when rules compile; the
 * resolver for a slot depends on the event's logsource and is supplied by the engine. The view is
 * reused from event to event (a generation counter invalidates the caches), so the per-event
 * path allocates almost nothing.
 */
import type { FieldValue, SeerflowEvent } from '../../../main/core/event.js';
import type { DerivedCache, FieldResolver, ResolvedValue } from './field-mapping.js';

/** Sigma field names → slots, shared by all rules of an engine. */
export class FieldRegistry {
  readonly #slots = new Map<string, number>();
  readonly names: string[] = [];

  slot(name: string): number {
    let slot = this.#slots.get(name);
    if (slot === undefined) {
      slot = this.names.length;
      this.#slots.set(name, slot);
      this.names.push(name);
    }
    return slot;
  }

  get size(): number {
    return this.names.length;
  }
}

/** Text form of a scalar: numbers and booleans as written by String(); null has none. */
export function textOf(value: FieldValue): string | undefined {
  if (typeof value === 'string') return value;
  if (value === null) return undefined;
  return String(value);
}

export class EventView {
  event!: SeerflowEvent;
  derived: DerivedCache = {};
  #resolvers: (FieldResolver | undefined)[] = [];
  #resolve: (slot: number) => FieldResolver = () => () => undefined;
  #generation = 1;
  #stamp = new Uint32Array(64);
  #values: ResolvedValue[] = [];
  #lowerStamp = new Uint32Array(64);
  #lower: (string | undefined)[] = [];
  #keywords: string[] | undefined;
  #keywordsLower: string[] | undefined;

  /**
   * Points the view at a new event. `resolvers` is the slot table for the event's logsource,
   * filled on demand by `resolve`.
   */
  reset(event: SeerflowEvent, resolvers: (FieldResolver | undefined)[], resolve: (slot: number) => FieldResolver): void {
    this.event = event;
    this.#resolvers = resolvers;
    this.#resolve = resolve;
    this.derived = {};
    this.#keywords = undefined;
    this.#keywordsLower = undefined;
    if (++this.#generation === 0xffffffff) {
      this.#generation = 1;
      this.#stamp.fill(0);
      this.#lowerStamp.fill(0);
    }
  }

  #ensure(slot: number): void {
    if (slot < this.#stamp.length) return;
    const size = Math.max(slot + 1, this.#stamp.length * 2);
    const stamp = new Uint32Array(size);
    stamp.set(this.#stamp);
    this.#stamp = stamp;
    const lowerStamp = new Uint32Array(size);
    lowerStamp.set(this.#lowerStamp);
    this.#lowerStamp = lowerStamp;
  }

  /** The field's value (several when the source holds a list), or undefined when absent. */
  value(slot: number): ResolvedValue {
    this.#ensure(slot);
    if (this.#stamp[slot] === this.#generation) return this.#values[slot];
    let resolver = this.#resolvers[slot];
    if (resolver === undefined) {
      resolver = this.#resolve(slot);
      this.#resolvers[slot] = resolver;
    }
    const value = resolver(this.event, this.derived);
    this.#values[slot] = value;
    this.#stamp[slot] = this.#generation;
    return value;
  }

  /** Lower-cased text of a scalar value; undefined when absent, null or a list. */
  lower(slot: number): string | undefined {
    this.#ensure(slot);
    if (this.#lowerStamp[slot] === this.#generation) return this.#lower[slot];
    const value = this.value(slot);
    const text = value === undefined || Array.isArray(value) ? undefined : textOf(value);
    const lower = text?.toLowerCase();
    this.#lower[slot] = lower;
    this.#lowerStamp[slot] = this.#generation;
    return lower;
  }

  /** What keyword searches look at: the message and every field value, as written. */
  keywordTexts(): string[] {
    if (this.#keywords) return this.#keywords;
    const texts: string[] = [];
    const event = this.event;
    if (event.message !== '') texts.push(event.message);
    const fields = event.fields;
    for (const key in fields) {
      const value = fields[key];
      if (typeof value === 'string') {
        if (value !== '' && value !== event.message) texts.push(value);
      } else if (typeof value === 'number') {
        texts.push(String(value));
      }
    }
    this.#keywords = texts;
    return texts;
  }

  /** keywordTexts() lower-cased. */
  keywordTextsLower(): string[] {
    this.#keywordsLower ??= this.keywordTexts().map((text) => text.toLowerCase());
    return this.#keywordsLower;
  }
}
