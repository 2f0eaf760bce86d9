/**
 * Queries over stored events: the contract's event search (window, source, severity, template,
 * entity, free text; newest first, with the total) and entity timelines (oldest first).
 */
import type { Knex } from 'knex';
import type { SeerflowEvent } from '../core/event.js';
import { rowToEvent, type EventRow } from './event-rows.js';
import { bucketIndex, denseCounts, withinGrid, type BucketGrid } from './buckets.js';
import { isPostgres } from './dialect.js';
import { nsColumn } from './ns.js';
import { countCapped, type Page } from './paging.js';

export type { Page } from './paging.js';

export interface EventQuery {
  sinceNs?: bigint;
  untilNs?: bigint;
  /** A source type (`syslog`, `otlp_http`…) or, for anything else, a source id (a file path…). */
  source?: string;
  severityMin?: number;
  templateId?: number;
  /** Entity UUID5, or an entity value (IP, user, host…) resolved through the entity table. */
  entity?: string;
  /** Substring of the message (case-insensitive). */
  q?: string;
  page: number;
  limit: number;
}

/**
 * Free-text search considers the most recently stored matches, at most this many: a phrase
 * common in a million events would otherwise cost seconds per page (measured with bench/api).
 */
export const MAX_TEXT_MATCHES = 1000;

const SOURCE_TYPES = new Set(['syslog', 'otlp_grpc', 'otlp_http', 'file', 'webhook', 'stdin', 'import', 'analyze']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Trigram full-text search needs three characters; shorter needles scan with LIKE. */
const MIN_FTS_CHARS = 3;

export class EventsRepository {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async query(query: EventQuery): Promise<Page<SeerflowEvent>> {
    const entityIds = query.entity ? await this.resolveEntityIds(query.entity) : undefined;
    if (entityIds && entityIds.length === 0) return { items: [], total: 0 };
    const textMatches = query.q ? await this.#textMatches(query.q) : undefined;
    if (textMatches?.length === 0) return { items: [], total: 0 };
    const filtered = () => this.#filtered(query, entityIds, textMatches);
    const counted = await countCapped(this.#db, filtered());
    const rows = (await filtered()
      .select(this.#columns())
      .orderBy([
        { column: 'e.timestamp_ns', order: 'desc' },
        { column: 'e.seq', order: 'desc' },
      ])
      .limit(query.limit)
      .offset((query.page - 1) * query.limit)) as EventRow[];
    return { items: rows.map(rowToEvent), ...counted };
  }

  async get(eventId: string): Promise<SeerflowEvent | undefined> {
    const row = (await this.#db('events as e').select(this.#columns()).where('e.event_id', eventId).first()) as
      | EventRow
      | undefined;
    return row ? rowToEvent(row) : undefined;
  }

  /** Events of one entity, oldest first. */
  async timeline(
    entityId: string,
    options: { sinceNs?: bigint; untilNs?: bigint; source?: string; severityMin?: number; limit: number },
  ): Promise<SeerflowEvent[]> {
    const rows = (await this.#filtered({ ...options, page: 1 }, [entityId])
      .select(this.#columns())
      .orderBy([
        { column: 'e.timestamp_ns', order: 'asc' },
        { column: 'e.seq', order: 'asc' },
      ])
      .limit(options.limit)) as EventRow[];
    return rows.map(rowToEvent);
  }

  /** Entity ids for a UUID or a value (exact, case-insensitive). */
  async resolveEntityIds(entity: string): Promise<string[]> {
    if (UUID.test(entity)) return [entity.toLowerCase()];
    const rows = await this.#db('entities')
      .select('entity_id')
      .whereRaw('lower(value) = ?', [entity.trim().toLowerCase()])
      .limit(100);
    return rows.map((row: { entity_id: string }) => row.entity_id);
  }

  /** Stored events per bucket of `grid`, optionally of one source (as the search matches it). */
  async countBucketed(grid: BucketGrid, source?: string): Promise<number[]> {
    const db = this.#db;
    const builder = withinGrid(db('events'), 'timestamp_ns', grid);
    if (source) builder.where(SOURCE_TYPES.has(source) ? 'source_type' : 'source_id', source);
    const rows = (await builder
      .select(bucketIndex(db, 'timestamp_ns', grid).wrap('', ' AS bucket'))
      .count({ n: '*' })
      .groupBy('bucket')) as Array<{ bucket: number; n: number }>;
    return denseCounts(grid, rows);
  }

  async count(): Promise<number> {
    const [row] = await this.#db('events').count<{ n: number }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }

  #columns(): Array<string | Knex.Raw> {
    const db = this.#db;
    return [
      'e.event_id',
      nsColumn(db, 'e.timestamp_ns'),
      nsColumn(db, 'e.observed_ns'),
      'e.severity_id',
      'e.source_type',
      'e.source_id',
      'e.host',
      'e.app',
      'e.template_id',
      'e.message',
      'e.logsource_product',
      'e.logsource_category',
      'e.logsource_service',
      'e.data',
    ];
  }

  /**
   * Sequence numbers of the newest events whose message contains `needle` (case-insensitive),
   * index-backed from three characters on: FTS5 trigrams on SQLite (a LIKE scan below that),
   * the pg_trgm index behind ILIKE on PostgreSQL.
   */
  async #textMatches(needle: string): Promise<number[]> {
    const db = this.#db;
    const pattern = `%${needle.replace(/[\\%_]/g, '\\$&')}%`;
    let matches: Knex.QueryBuilder;
    if (isPostgres(db)) {
      matches = db('events').select('seq').whereRaw(`message ILIKE ? ESCAPE '\\'`, [pattern]).orderBy('seq', 'desc');
    } else if ([...needle].length >= MIN_FTS_CHARS) {
      matches = db('events_fts')
        .select({ seq: 'rowid' })
        // A quoted FTS5 string is a phrase: double any quote inside it.
        .whereRaw('events_fts MATCH ?', [`"${needle.replaceAll('"', '""')}"`])
        .orderBy('rowid', 'desc');
    } else {
      matches = db('events').select('seq').whereRaw(`message LIKE ? ESCAPE '\\'`, [pattern]).orderBy('seq', 'desc');
    }
    const rows = (await matches.limit(MAX_TEXT_MATCHES)) as Array<{ seq: number }>;
    return rows.map((row) => row.seq);
  }

  #filtered(query: Omit<EventQuery, 'entity' | 'q'>, entityIds?: string[], textMatches?: number[]): Knex.QueryBuilder {
    const db = this.#db;
    const builder = db('events as e');
    if (entityIds) {
      const linked = db('entity_events').select('event_id').whereIn('entity_id', entityIds);
      if (query.sinceNs !== undefined) linked.where('timestamp_ns', '>=', query.sinceNs.toString());
      if (query.untilNs !== undefined) linked.where('timestamp_ns', '<=', query.untilNs.toString());
      builder.whereIn('e.event_id', linked);
    }
    if (query.sinceNs !== undefined) builder.where('e.timestamp_ns', '>=', query.sinceNs.toString());
    if (query.untilNs !== undefined) builder.where('e.timestamp_ns', '<=', query.untilNs.toString());
    if (query.source) builder.where(SOURCE_TYPES.has(query.source) ? 'e.source_type' : 'e.source_id', query.source);
    if (query.severityMin !== undefined) builder.where('e.severity_id', '>=', query.severityMin);
    if (query.templateId !== undefined) builder.where('e.template_id', query.templateId);
    if (textMatches) builder.whereIn('e.seq', textMatches);
    return builder;
  }
}
