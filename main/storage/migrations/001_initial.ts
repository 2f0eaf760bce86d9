/**
 * The whole product's schema, designed once (reference §10.2 as a starting point).
 *
 * Nanosecond columns are 64-bit integers written as decimal strings and read back with
 * `CAST(col AS TEXT)` (see `ns.ts`): node-sqlite3 would otherwise hand them over as doubles.
 * SQL stays portable; the substring index differs by client: FTS5 with trigram tokens on
 * SQLite, a pg_trgm GIN index on PostgreSQL (both serve `q`, a case-insensitive substring).
 */
import type { Knex } from 'knex';

export const name = '001_initial';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('events', (t) => {
    t.bigIncrements('seq').primary();
    t.string('event_id', 36).notNullable().unique();
    t.bigInteger('timestamp_ns').notNullable();
    t.bigInteger('observed_ns').notNullable();
    t.integer('severity_id').notNullable();
    t.string('source_type', 32).notNullable();
    t.string('source_id', 1024).notNullable();
    t.string('host', 255).notNullable().defaultTo('');
    t.string('app', 255).notNullable().defaultTo('');
    t.integer('template_id').nullable();
    t.text('message').notNullable();
    t.string('logsource_product', 64).notNullable().defaultTo('');
    t.string('logsource_category', 64).notNullable().defaultTo('');
    t.string('logsource_service', 64).notNullable().defaultTo('');
    /** JSON: fields, entities, template, trace context, raw input, syslog header parts. */
    t.text('data').notNullable();
    t.index(['timestamp_ns'], 'idx_events_time');
    t.index(['source_id', 'timestamp_ns'], 'idx_events_source_time');
    t.index(['severity_id', 'timestamp_ns'], 'idx_events_severity_time');
    t.index(['template_id', 'timestamp_ns'], 'idx_events_template_time');
  });

  if (knex.client.config.client === 'pg') {
    await knex.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm');
    await knex.raw('CREATE INDEX idx_events_message_trgm ON events USING gin (message gin_trgm_ops)');
  } else {
    // Trigram tokens make `q` a true substring search (the contract says so), index-backed.
    await knex.raw(
      `CREATE VIRTUAL TABLE events_fts USING fts5(message, content='events', content_rowid='seq', tokenize='trigram')`,
    );
    await knex.raw(`CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
      INSERT INTO events_fts(rowid, message) VALUES (new.seq, new.message); END`);
    await knex.raw(`CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
      INSERT INTO events_fts(events_fts, rowid, message) VALUES ('delete', old.seq, old.message); END`);
  }

  // Entity links and entities are keyed by random UUIDs; on SQLite they are WITHOUT ROWID tables,
  // so each insert touches one b-tree instead of two. Only the primary key is indexed on links:
  // each extra index on random keys costs a large share of insert throughput (measured), and
  // retention deletes links by (entity, time), which the key serves.
  await createKeyedTable(knex, 'entity_events', ['entity_id', 'timestamp_ns', 'event_id'], (t) => {
    t.string('entity_id', 36).notNullable();
    t.bigInteger('timestamp_ns').notNullable();
    t.string('event_id', 36).notNullable();
  });
  // The original had no entity table; search and the entity pages need one.
  await createKeyedTable(knex, 'entities', ['entity_id'], (t) => {
    t.string('entity_id', 36).notNullable();
    t.string('entity_type', 16).notNullable();
    t.string('value', 1024).notNullable();
    t.bigInteger('first_seen_ns').notNullable();
    t.bigInteger('last_seen_ns').notNullable();
    t.bigInteger('event_count').notNullable().defaultTo(0);
  });
  await knex.schema.alterTable('entities', (t) => t.index(['value'], 'idx_entities_value'));

  await knex.schema.createTable('templates', (t) => {
    t.integer('template_id').primary();
    t.text('template_str').notNullable();
    t.bigInteger('first_seen_ns').notNullable();
    t.bigInteger('last_seen_ns').notNullable();
    t.bigInteger('event_count').notNullable().defaultTo(0);
    t.text('example_message').notNullable().defaultTo('');
  });

  await knex.schema.createTable('alerts', (t) => {
    t.string('alert_id', 36).primary();
    t.string('alert_type', 32).notNullable();
    t.bigInteger('timestamp_ns').notNullable();
    t.bigInteger('last_seen_ns').notNullable();
    t.integer('severity_id').notNullable();
    t.string('rule_name', 512).notNullable();
    t.string('source_id', 1024).notNullable().defaultTo('');
    t.string('entity_id', 36).notNullable().defaultTo('');
    t.string('entity_type', 16).notNullable().defaultTo('');
    t.string('entity_value', 1024).notNullable().defaultTo('');
    t.string('dedup_key', 1024).notNullable().unique();
    t.integer('dedup_count').notNullable().defaultTo(1);
    t.double('risk_score').notNullable().defaultTo(0);
    t.string('feedback', 2).nullable();
    /** JSON: the full alert (description, contributing events, score, threshold…). */
    t.text('data').notNullable();
    t.index(['timestamp_ns'], 'idx_alerts_time');
    t.index(['entity_id', 'timestamp_ns'], 'idx_alerts_entity_time');
    t.index(['alert_type', 'timestamp_ns'], 'idx_alerts_type_time');
  });

  await knex.schema.createTable('alert_tactics', (t) => {
    t.string('dedup_key', 1024).notNullable().references('alerts.dedup_key').onDelete('CASCADE');
    t.string('tactic', 64).notNullable();
    t.bigInteger('timestamp_ns').notNullable();
    t.primary(['dedup_key', 'tactic']);
    t.index(['tactic', 'timestamp_ns'], 'idx_alert_tactics_tactic_time');
  });

  await knex.schema.createTable('alert_techniques', (t) => {
    t.string('dedup_key', 1024).notNullable().references('alerts.dedup_key').onDelete('CASCADE');
    t.string('technique', 32).notNullable();
    t.bigInteger('timestamp_ns').notNullable();
    t.primary(['dedup_key', 'technique']);
    t.index(['technique', 'timestamp_ns'], 'idx_alert_techniques_technique_time');
  });

  await knex.schema.createTable('alert_feedback_events', (t) => {
    t.increments('id').primary();
    t.string('alert_id', 36).notNullable();
    t.string('feedback', 2).notNullable();
    t.text('note').notNullable().defaultTo('');
    t.string('origin', 16).notNullable();
    t.bigInteger('submitted_at_ns').notNullable();
    t.index(['alert_id', 'submitted_at_ns'], 'idx_feedback_alert_time');
  });

  await knex.schema.createTable('sigma_rule_state', (t) => {
    t.string('rule_id', 128).primary();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.bigInteger('match_count_lifetime').notNullable().defaultTo(0);
    t.bigInteger('last_fired_ns').nullable();
    t.bigInteger('updated_at_ns').notNullable();
  });

  await knex.schema.createTable('model_state', (t) => {
    t.string('key', 256).primary();
    t.text('data').notNullable();
    t.bigInteger('updated_at_ns').notNullable();
  });

  await knex.schema.createTable('graph_edges', (t) => {
    t.string('source_id', 36).notNullable();
    t.string('target_id', 36).notNullable();
    t.string('rel_type', 32).notNullable();
    t.bigInteger('first_seen_ns').notNullable();
    t.bigInteger('last_seen_ns').notNullable();
    t.bigInteger('event_count').notNullable().defaultTo(1);
    t.primary(['source_id', 'target_id', 'rel_type']);
    t.index(['target_id'], 'idx_graph_edges_target');
  });

  /** Receiver positions (file offsets), committed in the same transaction as their events. */
  await knex.schema.createTable('checkpoints', (t) => {
    t.string('key', 1024).primary();
    t.text('value').notNullable();
    t.bigInteger('updated_at_ns').notNullable();
  });
}

/** A table whose primary key is its only access path: WITHOUT ROWID on SQLite. */
async function createKeyedTable(
  knex: Knex,
  table: string,
  key: string[],
  columns: (t: Knex.CreateTableBuilder) => void,
): Promise<void> {
  const builder = knex.schema.createTable(table, (t) => {
    columns(t);
    t.primary(key);
  });
  if (knex.client.config.client !== 'sqlite3') {
    await builder;
    return;
  }
  for (const { sql } of builder.toSQL()) await knex.raw(sql.startsWith('create table') ? `${sql} WITHOUT ROWID` : sql);
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'checkpoints',
    'graph_edges',
    'model_state',
    'sigma_rule_state',
    'alert_feedback_events',
    'alert_techniques',
    'alert_tactics',
    'alerts',
    'templates',
    'entities',
    'entity_events',
  ]) {
    await knex.schema.dropTableIfExists(table);
  }
  await knex.raw('DROP TABLE IF EXISTS events_fts');
  await knex.schema.dropTableIfExists('events');
}
