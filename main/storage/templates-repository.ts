/** Reads of the `templates` table (the writer keeps it up to date). */
import type { Knex } from 'knex';
import { nsColumn } from './ns.js';

export interface TemplateRecord {
  templateId: number;
  template: string;
  firstSeenNs: bigint;
  lastSeenNs: bigint;
  eventCount: number;
  example: string;
}

interface TemplateRow {
  template_id: number;
  template_str: string;
  first_seen_ns: string;
  last_seen_ns: string;
  event_count: number;
  example_message: string;
}

export class TemplatesRepository {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  async list(limit: number): Promise<TemplateRecord[]> {
    const db = this.#db;
    const rows = (await db('templates')
      .select(
        'template_id',
        'template_str',
        nsColumn(db, 'first_seen_ns'),
        nsColumn(db, 'last_seen_ns'),
        'event_count',
        'example_message',
      )
      .orderBy('event_count', 'desc')
      .limit(limit)) as TemplateRow[];
    return rows.map((row) => ({
      templateId: row.template_id,
      template: row.template_str,
      firstSeenNs: BigInt(row.first_seen_ns),
      lastSeenNs: BigInt(row.last_seen_ns),
      eventCount: Number(row.event_count),
      example: row.example_message,
    }));
  }

  async count(): Promise<number> {
    const [row] = await this.#db('templates').count<{ n: number }[]>({ n: '*' });
    return Number(row?.n ?? 0);
  }
}
