/**
 * Small key-value tables: `model_state` (detector and miner state, versioned JSON written by
 * their owners) and `checkpoints` (receiver positions). Writes of either normally go through the
 * batched writer so they commit with the events they depend on; these are the reads.
 */
import type { Knex } from 'knex';

export class StateRepository {
  readonly #db: Knex;
  readonly #scope: string;

  /** `scope`: this appliance's key prefix in a shared store (the writer's `stateScope`). */
  constructor(db: Knex, scope = '') {
    this.#db = db;
    this.#scope = scope;
  }

  async loadModelState(key: string): Promise<string | undefined> {
    const row = await this.#db('model_state').select('data').where({ key: this.#scope + key }).first();
    return row?.data as string | undefined;
  }

  async loadCheckpoints(prefix: string): Promise<Map<string, string>> {
    const rows = await this.#db('checkpoints')
      .select('key', 'value')
      .whereRaw(`key LIKE ? ESCAPE '\\'`, [`${(this.#scope + prefix).replace(/[\\%_]/g, '\\$&')}%`]);
    return new Map(rows.map((row: { key: string; value: string }) => [row.key.slice(this.#scope.length), row.value]));
  }
}
