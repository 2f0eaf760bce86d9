import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteBackend, storeBackends } from '../../test/support/store-backends.js';
import { makeEvent } from '../../test/support/make-event.js';
import { EventsRepository } from './events-repository.js';
import { applyRetention, databaseBytes } from './retention.js';
import { BatchedWriter } from './writer.js';

const DAY_NS = 86_400_000_000_000n;
const NOW = 1_796_032_800_000_000_000n;
const ip = { type: 'ip' as const, value: '10.0.0.1', id: '11111111-1111-5111-8111-111111111111' };

let db: Knex;
describe.each(storeBackends())('$name store', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await backend.close(db);
  });

  describe('retention', () => {
    it('deletes events (and their entity links) older than retention_days', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 5 });
      writer.write(makeEvent({ timestampNs: NOW - 10n * DAY_NS, message: 'old', entities: [ip] }));
      writer.write(makeEvent({ timestampNs: NOW - DAY_NS, message: 'recent', entities: [ip] }));
      await writer.whenDurable();
      const result = await applyRetention(db, { retentionDays: 7, maxDbBytes: 0 }, NOW);
      expect(result.deletedEvents).toBe(1);
      const left = await new EventsRepository(db).query({ page: 1, limit: 10 });
      expect(left.items.map((e) => e.message)).toEqual(['recent']);
      expect((await db('entity_events').count({ n: '*' }))[0]!.n).toBe(1);
      // The full-text index follows the deletes.
      expect((await new EventsRepository(db).query({ q: 'old', page: 1, limit: 10 })).total).toBe(0);
    });
  });
});

// Size-based retention is a SQLite setting: PostgreSQL's files do not shrink when rows go (its
// size is the server's concern), so the config refuses max_db_bytes there.
describe('retention by size (SQLite)', () => {
  beforeEach(async () => {
    db = await sqliteBackend.open();
  });
  afterEach(async () => {
    await sqliteBackend.close(db);
  });

  it('deletes the oldest events until the store is under max_db_bytes', async () => {
    const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 5 });
    for (let i = 0; i < 20_000; i++) writer.write(makeEvent({ timestampNs: NOW + BigInt(i), message: `event number ${i} ${'x'.repeat(100)}` }));
    await writer.whenDurable();
    const before = await databaseBytes(db);
    const limit = Math.floor(before / 2);
    const result = await applyRetention(db, { retentionDays: 0, maxDbBytes: limit }, NOW);
    expect(result.deletedEvents).toBeGreaterThan(0);
    expect(await databaseBytes(db)).toBeLessThanOrEqual(limit);
    const newest = await new EventsRepository(db).query({ page: 1, limit: 1 });
    expect(newest.items[0]!.timestampNs).toBe(NOW + 19_999n);
  });
});
