/**
 * Small key-value tables: `model_state` (detector and miner state, versioned JSON written by
 * their owners) and `checkpoints` (receiver positions). Writes of either normally go through the
 * batched writer so they commit with the events they depend on; these are the reads.
 */
import type { Knex } from 'knex';

export class StateRepository {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async loadModelState(key: string): Promise<string | undefined> {
    const row = await this.#db('model_state').select('data').where({ key }).first();
    return row?.data as string | undefined;
  }

  async loadCheckpoints(prefix: string): Promise<Map<string, string>> {
    const rows = await this.#db('checkpoints')
      .select('key', 'value')
      .where('key', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`);
    return new Map(rows.map((row: { key: string; value: string }) => [row.key, row.value]));
  }
}
