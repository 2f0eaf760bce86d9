import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeBackends } from '../../test/support/store-backends.js';
import { makeEvent } from '../../test/support/make-event.js';
import { EventsRepository } from './events-repository.js';
import { MAX_COUNTED } from './paging.js';
import { StateRepository } from './state-repository.js';
import { TemplatesRepository } from './templates-repository.js';
import { BatchedWriter } from './writer.js';

let db: Knex;
const ip = { type: 'ip' as const, value: '203.0.113.7', id: '11111111-1111-5111-8111-111111111111' };
const user = { type: 'user' as const, value: 'root', id: '22222222-2222-5222-8222-222222222222' };

/** Make inserts into `events` fail as a full disk would, and undo it. */
const refusal = {
  sqlite: {
    on: `CREATE TRIGGER refuse BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'disk full'); END`,
    off: 'DROP TRIGGER refuse',
  },
  postgresql: {
    on: `CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql;
         CREATE TRIGGER refuse BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION refuse()`,
    off: 'DROP TRIGGER refuse ON events',
  },
};

describe.each(storeBackends())('$name store', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
  });
  afterEach(async () => {
    await backend.close(db);
  });

  describe('batched writer and event repository', () => {
    it('round-trips nanosecond timestamps exactly, beyond 2^53', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      const event = makeEvent({ timestampNs: 1_796_032_800_123_456_789n, observedNs: 9_007_199_254_740_993n });
      writer.write(event);
      await writer.whenDurable();
      const stored = await new EventsRepository(db).get(event.eventId);
      expect(stored?.timestampNs).toBe(1_796_032_800_123_456_789n);
      expect(stored?.observedNs).toBe(9_007_199_254_740_993n);
      expect(stored).toEqual(event);
    });

    it('commits more than one INSERT chunk in one flush and counts them', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      for (let i = 0; i < 1234; i++) writer.write(makeEvent({ timestampNs: 1_000_000_000_000_000_000n + BigInt(i) }));
      await writer.whenDurable();
      expect(writer.stats.committedEvents).toBe(1234);
      expect(await new EventsRepository(db).count()).toBe(1234);
    });

    it('splits a large backlog into transactions of 5,000 events, its checkpoint committed with the last', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      for (let i = 0; i < 12_000; i++) writer.write(makeEvent({ timestampNs: 1_000_000_000_000_000_000n + BigInt(i), entities: [ip] }));
      writer.writeCheckpoint('file:/var/log/auth.log', '12000');
      await writer.whenDurable();
      expect(writer.stats).toMatchObject({ committedEvents: 12_000, flushes: 3 });
      expect(await new EventsRepository(db).count()).toBe(12_000);
      const [row] = (await db('checkpoints').select('value')) as Array<{ value: string }>;
      expect(row?.value).toBe('12000');
    });

    it('commits the whole backlog when closed, however large', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10_000 });
      for (let i = 0; i < 12_000; i++) writer.write(makeEvent({ timestampNs: 1_000_000_000_000_000_000n + BigInt(i) }));
      await writer.close();
      expect(await new EventsRepository(db).count()).toBe(12_000);
    });

    it('filters by window, source, severity, template, entity and substring, newest first', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      const base = 1_796_032_800_000_000_000n;
      writer.write(makeEvent({ timestampNs: base, message: 'Accepted publickey for alice', entities: [user] }));
      writer.write(makeEvent({ timestampNs: base + 1n, severity: 4, sourceId: 'otlp-http', sourceType: 'otlp_http', templateId: 2 }));
      writer.write(makeEvent({ timestampNs: base + 2n, entities: [ip, user], message: 'Failed password for root from 203.0.113.7' }));
      await writer.whenDurable();
      const events = new EventsRepository(db);
      const all = await events.query({ page: 1, limit: 10 });
      expect(all.total).toBe(3);
      expect(all.items.map((e) => e.timestampNs)).toEqual([base + 2n, base + 1n, base]);
      expect((await events.query({ sinceNs: base + 1n, untilNs: base + 1n, page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ source: 'otlp_http', page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ source: 'otlp-http', page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ severityMin: 3, page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ templateId: 2, page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ entity: user.id, page: 1, limit: 10 })).total).toBe(2);
      expect((await events.query({ entity: '203.0.113.7', page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ entity: 'nobody', page: 1, limit: 10 })).total).toBe(0);
      expect((await events.query({ q: 'PUBLICKEY', page: 1, limit: 10 })).total).toBe(1);
      expect((await events.query({ q: 'word "quoted', page: 1, limit: 10 })).total).toBe(0);
      expect((await events.query({ q: '%', page: 1, limit: 10 })).total).toBe(0);
      expect((await events.query({ q: 'ro', page: 1, limit: 10 })).total).toBe(2);
      const secondPage = await events.query({ page: 2, limit: 2 });
      expect(secondPage.items.map((e) => e.timestampNs)).toEqual([base]);
      expect(secondPage.total).toBe(3);
      const timeline = await events.timeline(user.id, { limit: 10 });
      expect(timeline.map((e) => e.timestampNs)).toEqual([base, base + 2n]);
    });

    it('counts totals up to a cap, and says when it stopped counting', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      for (let i = 0; i < MAX_COUNTED + 5; i++) writer.write(makeEvent({ timestampNs: BigInt(i) }));
      await writer.whenDurable();
      const events = new EventsRepository(db);
      expect(await events.query({ page: 1, limit: 1 })).toMatchObject({ total: MAX_COUNTED, totalCapped: true });
      expect(await events.query({ untilNs: 9n, page: 1, limit: 1 })).toMatchObject({ total: 10 });
      expect((await events.query({ untilNs: 9n, page: 1, limit: 1 })).totalCapped).toBeUndefined();
    });

    it('keeps template and entity aggregates', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      writer.write(makeEvent({ timestampNs: 5n, entities: [ip] }));
      writer.write(makeEvent({ timestampNs: 3n, entities: [ip] }));
      await writer.whenDurable();
      writer.write(makeEvent({ timestampNs: 9n, templateStr: 'Failed password for <*> from <IP> port <*> <*>', entities: [ip] }));
      await writer.whenDurable();
      const [template] = await new TemplatesRepository(db).list(10);
      expect(template).toMatchObject({ templateId: 1, eventCount: 3, firstSeenNs: 3n, lastSeenNs: 9n });
      expect(template?.template).toBe('Failed password for <*> from <IP> port <*> <*>');
      const entity = await db('entities').where({ entity_id: ip.id }).first();
      expect(Number(entity.event_count)).toBe(3);
    });

    it('commits checkpoints and model state with the events', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 10 });
      let version = 0;
      writer.addStateProvider(() => (version > 0 ? [{ key: 'templates:miner', data: `{"v":${version}}` }] : []));
      writer.write(makeEvent());
      writer.writeCheckpoint('file:/var/log/auth.log', '{"offset":42}');
      version = 1;
      await writer.whenDurable();
      const state = new StateRepository(db);
      expect((await state.loadCheckpoints('file:')).get('file:/var/log/auth.log')).toBe('{"offset":42}');
      expect(await state.loadModelState('templates:miner')).toBe('{"v":1}');
    });

    it('keeps the work of a failed flush and commits it once the store is writable again', async () => {
      const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 5 });
      await db.raw(refusal[backend.name].on);
      const event = makeEvent();
      writer.write(event);
      const durable = writer.whenDurable();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(writer.stats.failedFlushes).toBeGreaterThan(0);
      expect(writer.stats.lastError).toContain('disk full');
      expect(writer.pendingEvents).toBe(1);
      await db.raw(refusal[backend.name].off);
      await durable;
      expect((await new EventsRepository(db).get(event.eventId))?.message).toBe(event.message);
    });
  });
});
