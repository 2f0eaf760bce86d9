/**
 * Stored entities (IPs, users, hosts… with their UUID5 ids and sighting aggregates, written by
 * the batched writer): search by value or id, and the entities that co-occur with one.
 *
 * The original searched event text and pulled entity values out of the hits (reference §11.2);
 * with an entity table the search is direct: the exact value, then prefix matches in value
 * order, both through the value index, then other case-insensitive substring matches.
 */
import type { Knex } from 'knex';
import type { EntityRef, EntityType } from '../core/event.js';
import { nsColumn } from './ns.js';

export interface EntityRecord {
  entityId: string;
  entityType: EntityType;
  value: string;
  firstSeenNs: bigint;
  lastSeenNs: bigint;
  eventCount: number;
}

export interface RelatedEntity {
  entityId: string;
  entityType: EntityType;
  value: string;
  /** Events, within the window, that carry both entities. */
  count: number;
}

export interface SearchOptions {
  /** Default 100. */
  limit?: number;
  /** Only these types (all when absent). A UUID lookup ignores it. */
  types?: readonly EntityType[];
}

export interface RelatedOptions {
  sinceNs: bigint;
  untilNs: bigint;
  /** Related entities returned, most frequent first. Default 50. */
  limit?: number;
  /** The entity's newest events read to find them. Default 10 000. */
  scanLimit?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface EntityRow {
  entity_id: string;
  entity_type: string;
  value: string;
  first_seen_ns: string;
  last_seen_ns: string;
  event_count: number;
}

export class EntitiesRepository {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async get(entityId: string): Promise<EntityRecord | undefined> {
    const row = (await this.#select().where('entity_id', entityId.toLowerCase()).first()) as EntityRow | undefined;
    return row ? rowToEntity(row) : undefined;
  }

  /** A UUID → that entity; text → entities whose value contains it, best matches first. */
  async search(q: string, options: SearchOptions = {}): Promise<EntityRecord[]> {
    const limit = options.limit ?? 100;
    const needle = q.trim().toLowerCase();
    if (UUID.test(needle)) {
      const entity = await this.get(needle);
      return entity ? [entity] : [];
    }
    if (!needle) return [];
    const typed = (builder: Knex.QueryBuilder) => (options.types ? builder.whereIn('entity_type', options.types) : builder);
    // 1. The exact value, then prefix matches in value order, both straight off the value index
    //    (canonical ip, user, host and domain values are lower-case): no sort over all matches,
    //    which for a short prefix of a million-entity store cost more than the whole budget.
    const exact = (await typed(this.#select()).where('value', needle).orderBy('event_count', 'desc').limit(limit)) as EntityRow[];
    const prefixed = [
      ...exact,
      ...((await typed(this.#select())
        .where('value', '>', needle)
        .where('value', '<', `${needle}\u{10FFFF}`)
        .orderBy('value', 'asc')
        .limit(limit)) as EntityRow[]),
    ].slice(0, limit);
    if (prefixed.length >= limit) return prefixed.map(rowToEntity);
    // 2. Then other substring matches, case-insensitive, as found: ranking them all would mean
    //    sorting every match of a short needle.
    const escaped = needle.replace(/[\\%_]/g, '\\$&');
    const seen = new Set(prefixed.map((row) => row.entity_id));
    const infix = (await typed(this.#select())
      .whereRaw(`lower(value) LIKE ? ESCAPE '\\'`, [`%${escaped}%`])
      .limit(limit + prefixed.length)) as EntityRow[];
    return [...prefixed, ...infix.filter((row) => !seen.has(row.entity_id))].slice(0, limit).map(rowToEntity);
  }

  /**
   * Entities that appear in the same events as `entityId` within the window, with how many
   * events they share; read from the entity's newest `scanLimit` events.
   */
  async related(entityId: string, options: RelatedOptions): Promise<RelatedEntity[]> {
    const id = entityId.toLowerCase();
    const rows = (await this.#db('entity_events as l')
      .join('events as e', 'e.event_id', 'l.event_id')
      .where('l.entity_id', id)
      .whereBetween('l.timestamp_ns', [options.sinceNs.toString(), options.untilNs.toString()])
      .orderBy('l.timestamp_ns', 'desc')
      .limit(options.scanLimit ?? 10_000)
      .select('e.data')) as Array<{ data: string }>;
    const counts = new Map<string, RelatedEntity>();
    for (const row of rows) {
      const entities = (JSON.parse(row.data) as { entities?: EntityRef[] }).entities ?? [];
      // An entity named twice in one event still shares one event.
      const seen = new Set<string>();
      for (const entity of entities) {
        if (entity.id === id || seen.has(entity.id)) continue;
        seen.add(entity.id);
        const related = counts.get(entity.id);
        if (related) related.count++;
        else counts.set(entity.id, { entityId: entity.id, entityType: entity.type, value: entity.value, count: 1 });
      }
    }
    return [...counts.values()]
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, options.limit ?? 50);
  }

  #select(): Knex.QueryBuilder {
    const db = this.#db;
    return db('entities').select(
      'entity_id',
      'entity_type',
      'value',
      nsColumn(db, 'first_seen_ns'),
      nsColumn(db, 'last_seen_ns'),
      'event_count',
    );
  }
}

function rowToEntity(row: EntityRow): EntityRecord {
  return {
    entityId: row.entity_id,
    entityType: row.entity_type as EntityType,
    value: row.value,
    firstSeenNs: BigInt(row.first_seen_ns),
    lastSeenNs: BigInt(row.last_seen_ns),
    eventCount: Number(row.event_count),
  };
}
