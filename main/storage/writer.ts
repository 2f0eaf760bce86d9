/**
 * The batched writer: the only path by which the pipeline's output reaches the store.
 *
 * Everything handed over between two flushes is committed in one transaction (events in
 * multi-row INSERTs of ≤ `batchRows`, their entity links, entity and template aggregates,
 * receiver checkpoints, and model state from registered providers), so a checkpoint is never
 * durable before the lines it covers. A backlog past MAX_EVENTS_PER_FLUSH events goes in
 * several transactions, the checkpoints with the last. A flush runs `flushMs` after the first pending write, or
 * at once when a full chunk is waiting. A failed flush keeps its work and retries with
 * back-off: nothing accepted is dropped, and `whenDurable()` callers simply wait longer.
 */
import type { Knex } from 'knex';
import { insertRows, type InsertShape } from './bulk-insert.js';
import { largerOf, smallerOf } from './dialect.js';
import type { Alert } from '../core/alert.js';
import { systemClockNs, type ClockNs } from '../core/clock.js';
import type { SeerflowEvent } from '../core/event.js';
import { storeErrorMessage } from './errors.js';
import { EVENT_COLUMNS, eventToRow } from './event-rows.js';

export interface StateRow {
  key: string;
  data: string;
}

/** Called inside each flush; returns model-state rows to commit with it (empty when unchanged). */
export type StateProvider = () => StateRow[];

/**
 * Records alerts inside the flush's transaction (deduplicating them against the store) and
 * returns those that are new, which are announced once the transaction commits.
 */
export type AlertRecorder = (trx: Knex.Transaction, alerts: Alert[]) => Promise<Alert[]>;

export interface WriterOptions {
  /** Rows per multi-row INSERT (≤ 500 for SQLite). */
  batchRows: number;
  flushMs: number;
  /** Pending events at which the writer reports `saturated` and producers should wait. */
  maxPendingEvents?: number;
  nowNs?: ClockNs;
  /** Required as soon as detectors raise alerts. */
  recordAlerts?: AlertRecorder;
  /** Told of the new alerts of each committed flush. */
  onNewAlerts?: (alerts: Alert[]) => void;
  /** Prefix of this appliance's model-state and checkpoint keys in a shared store ('' alone). */
  stateScope?: string;
}

export interface WriterStats {
  committedEvents: number;
  flushes: number;
  failedFlushes: number;
  lastError: string | null;
  lastFlushMs: number;
}

interface Aggregate {
  first: bigint;
  last: bigint;
  count: number;
}

const MAX_RETRY_MS = 5000;

/**
 * Events one transaction commits at most. Under load everything pending went in one transaction:
 * with 50k events waiting it ran for seconds and acknowledged nothing meanwhile (the soak's p99
 * acknowledgement reached 29 s); 5,000 keeps the per-commit overhead small and answers flow.
 */
const MAX_EVENTS_PER_FLUSH = 5000;

/**
 * Pending events at which producers are held back: two transactions' worth. Work waiting beyond
 * that only adds memory and acknowledgement latency; the bounded ingest queue in front absorbs
 * bursts and refuses (counted) when it is full.
 */
const DEFAULT_MAX_PENDING_EVENTS = 2 * MAX_EVENTS_PER_FLUSH;

const EVENTS: InsertShape = { table: 'events', columns: EVENT_COLUMNS, onConflict: '' };

export class BatchedWriter {
  readonly stats: WriterStats = { committedEvents: 0, flushes: 0, failedFlushes: 0, lastError: null, lastFlushMs: 0 };
  readonly #db: Knex;
  readonly #batchRows: number;
  readonly #flushMs: number;
  readonly #maxPending: number;
  readonly #nowNs: ClockNs;
  readonly #recordAlerts: AlertRecorder | undefined;
  readonly #onNewAlerts: ((alerts: Alert[]) => void) | undefined;
  readonly #stateScope: string;
  #events: SeerflowEvent[] = [];
  #alerts: Alert[] = [];
  #checkpoints = new Map<string, string>();
  #waiters: Array<() => void> = [];
  #providers: StateProvider[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #retryMs = 0;
  #closed = false;

  constructor(db: Knex, options: WriterOptions) {
    this.#db = db;
    this.#batchRows = options.batchRows;
    this.#flushMs = options.flushMs;
    this.#stateScope = options.stateScope ?? '';
    this.#maxPending = options.maxPendingEvents ?? DEFAULT_MAX_PENDING_EVENTS;
    this.#nowNs = options.nowNs ?? systemClockNs;
    this.#recordAlerts = options.recordAlerts;
    this.#onNewAlerts = options.onNewAlerts;
  }

  get pendingEvents(): number {
    return this.#events.length;
  }

  /** True while the store lags so far behind that producers should hold back. */
  get saturated(): boolean {
    return this.#events.length >= this.#maxPending;
  }

  write(event: SeerflowEvent): void {
    this.#events.push(event);
    this.#schedule();
  }

  writeAlert(alert: Alert): void {
    if (!this.#recordAlerts) throw new Error('the writer has no alert recorder: pass recordAlerts when alerts can occur');
    this.#alerts.push(alert);
    this.#schedule();
  }

  /** Commit `value` under `key` with (never before) the events written so far. */
  writeCheckpoint(key: string, value: string): void {
    this.#checkpoints.set(key, value);
    this.#schedule();
  }

  addStateProvider(provider: StateProvider): void {
    this.#providers.push(provider);
  }

  /** Resolves once everything written so far is committed. */
  whenDurable(): Promise<void> {
    if (this.#events.length === 0 && this.#alerts.length === 0 && this.#checkpoints.size === 0 && !this.#running) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#schedule();
    });
  }

  /** Commit everything pending now (including model state), and wait for it. */
  async flush(): Promise<void> {
    while (this.#running) await this.#running;
    do {
      this.#cancelTimer();
      await this.#runFlush(true);
      if (this.stats.lastError && this.#events.length > 0) throw new Error(this.stats.lastError);
    } while (this.#events.length > 0);
  }

  /** Final flush; later writes are refused. */
  async close(): Promise<void> {
    await this.flush();
    this.#closed = true;
    this.#cancelTimer();
  }

  #schedule(): void {
    if (this.#closed) throw new Error('the writer is closed; nothing more can be stored');
    if (this.#running || this.#timer) return;
    // A full chunk already waiting (typically right after a flush, under load) goes at once, so
    // the store never idles while work queues; transactions then grow with the load.
    const eager = this.#events.length >= this.#batchRows && this.#retryMs === 0;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#runFlush(false);
    }, eager ? 0 : this.#flushMs + this.#retryMs);
  }

  #cancelTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #runFlush(withState: boolean): Promise<void> {
    // Past MAX_EVENTS_PER_FLUSH, this transaction takes only the oldest events; checkpoints,
    // alerts and waiters stay for the one that takes the last of them.
    const partial = this.#events.length > MAX_EVENTS_PER_FLUSH;
    const events = partial ? this.#events.splice(0, MAX_EVENTS_PER_FLUSH) : this.#events;
    const alerts = partial ? [] : this.#alerts;
    const checkpoints = partial ? new Map<string, string>() : this.#checkpoints;
    const waiters = partial ? [] : this.#waiters;
    if (!partial) {
      this.#events = [];
      this.#alerts = [];
      this.#checkpoints = new Map();
      this.#waiters = [];
    }
    const started = performance.now();
    this.#running = this.#commit(events, alerts, checkpoints, withState || events.length > 0)
      .then(
        (fresh) => {
          this.stats.committedEvents += events.length;
          this.stats.flushes++;
          this.stats.lastError = null;
          this.stats.lastFlushMs = performance.now() - started;
          this.#retryMs = 0;
          for (const resolve of waiters) resolve();
          if (fresh.length > 0) this.#onNewAlerts?.(fresh);
        },
        (error: unknown) => {
          // Keep the work, oldest first, and retry later; a newer checkpoint wins over an older one.
          this.stats.failedFlushes++;
          this.stats.lastError = storeErrorMessage(error);
          this.#events = events.concat(this.#events);
          this.#alerts = alerts.concat(this.#alerts);
          for (const [key, value] of checkpoints) if (!this.#checkpoints.has(key)) this.#checkpoints.set(key, value);
          this.#waiters = waiters.concat(this.#waiters);
          this.#retryMs = Math.min(MAX_RETRY_MS, Math.max(100, this.#retryMs * 2));
        },
      )
      .finally(() => {
        this.#running = null;
        const pending = this.#events.length + this.#alerts.length + this.#checkpoints.size + this.#waiters.length;
        if (!this.#closed && pending > 0) {
          this.#schedule();
        }
      });
    return this.#running;
  }

  async #commit(
    events: SeerflowEvent[],
    alerts: Alert[],
    checkpoints: Map<string, string>,
    withState: boolean,
  ): Promise<Alert[]> {
    const state = withState ? this.#providers.flatMap((provider) => provider()) : [];
    if (events.length === 0 && alerts.length === 0 && checkpoints.size === 0 && state.length === 0) return [];
    const now = this.#nowNs().toString();
    return this.#db.transaction(async (trx) => {
      const eventRows = events.map((event) => {
        const row = eventToRow(event);
        return EVENT_COLUMNS.map((column) => row[column]);
      });
      await insertRows(trx, EVENTS, eventRows, this.#batchRows);
      await this.#insertEntityLinks(trx, events);
      await this.#upsertTemplates(trx, events);
      const scope = this.#stateScope;
      const rows = [...checkpoints].map(([key, value]) => ({ key: scope + key, value, updated_at_ns: now }));
      if (rows.length > 0) await trx('checkpoints').insert(rows).onConflict('key').merge();
      const stateRows = state.map((row) => ({ key: scope + row.key, data: row.data, updated_at_ns: now }));
      for (let i = 0; i < stateRows.length; i += this.#batchRows) {
        await trx('model_state').insert(stateRows.slice(i, i + this.#batchRows)).onConflict('key').merge();
      }
      return alerts.length > 0 ? this.#recordAlerts!(trx, alerts) : [];
    });
  }

  async #insertEntityLinks(trx: Knex.Transaction, events: SeerflowEvent[]): Promise<void> {
    const links: Array<[string, string, string]> = [];
    const entities = new Map<string, Aggregate & { type: string; value: string }>();
    for (const event of events) {
      const ts = event.timestampNs.toString();
      for (const entity of event.entities) {
        links.push([entity.id, ts, event.eventId]);
        const seen = entities.get(entity.id);
        if (seen) updateAggregate(seen, event.timestampNs);
        else entities.set(entity.id, { type: entity.type, value: entity.value, ...newAggregate(event.timestampNs) });
      }
    }
    await insertRows(trx, ENTITY_LINKS, links, this.#batchRows);
    const rows = [...entities].map(([id, e]) => [id, e.type, e.value, ...aggregateValues(e)]);
    await insertRows(trx, aggregateShape(trx, 'entities', ['entity_id', 'entity_type', 'value'], ''), rows, this.#batchRows);
  }

  async #upsertTemplates(trx: Knex.Transaction, events: SeerflowEvent[]): Promise<void> {
    const templates = new Map<number, Aggregate & { template: string; example: string }>();
    for (const event of events) {
      if (event.templateId < 0) continue;
      const seen = templates.get(event.templateId);
      if (seen) {
        updateAggregate(seen, event.timestampNs);
        seen.template = event.templateStr;
      } else {
        templates.set(event.templateId, {
          template: event.templateStr,
          example: event.message.slice(0, 500),
          ...newAggregate(event.timestampNs),
        });
      }
    }
    const rows = [...templates].map(([id, t]) => [id, t.template, t.example, ...aggregateValues(t)]);
    const shape = aggregateShape(trx, 'templates', ['template_id', 'template_str', 'example_message'], 'template_str = excluded.template_str, ');
    await insertRows(trx, shape, rows, this.#batchRows);
  }
}

const ENTITY_LINKS: InsertShape = {
  table: 'entity_events',
  columns: ['entity_id', 'timestamp_ns', 'event_id'],
  onConflict: 'ON CONFLICT DO NOTHING',
};

/**
 * An aggregate table keyed by its first column: a batch carries first/last seen and a count for
 * each key, merged with what is stored (`also` updates more columns, ending with ', ').
 */
function aggregateShape(db: Knex, table: string, keyAndDetails: string[], also: string): InsertShape {
  const first = smallerOf(db, 'excluded.first_seen_ns', `${table}.first_seen_ns`);
  const last = largerOf(db, 'excluded.last_seen_ns', `${table}.last_seen_ns`);
  return {
    table,
    columns: [...keyAndDetails, 'first_seen_ns', 'last_seen_ns', 'event_count'],
    onConflict:
      `ON CONFLICT (${keyAndDetails[0]}) DO UPDATE SET ${also}first_seen_ns = ${first}, last_seen_ns = ${last}, ` +
      `event_count = ${table}.event_count + excluded.event_count`,
  };
}

function aggregateValues(aggregate: Aggregate): [string, string, number] {
  return [aggregate.first.toString(), aggregate.last.toString(), aggregate.count];
}

function newAggregate(ts: bigint): Aggregate {
  return { first: ts, last: ts, count: 1 };
}

function updateAggregate(aggregate: Aggregate, ts: bigint): void {
  if (ts < aggregate.first) aggregate.first = ts;
  if (ts > aggregate.last) aggregate.last = ts;
  aggregate.count++;
}
