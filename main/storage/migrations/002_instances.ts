/**
 * Appliances sharing one store (PostgreSQL): each registers its `storage.instance_id` once and
 * gets a small ordinal, which gives it its own block of template ids.
 */
import type { Knex } from 'knex';

export const name = '002_instances';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('instances', (t) => {
    t.string('instance_id', 64).primary();
    t.integer('ordinal').notNullable().unique();
    t.bigInteger('registered_at_ns').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('instances');
}
