import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeBackends } from '../../test/support/store-backends.js';
import { makeEvent } from '../../test/support/make-event.js';
import type { EntityRef } from '../core/event.js';
import { EntitiesRepository } from './entities-repository.js';
import { BatchedWriter } from './writer.js';

const T0 = 1_796_032_800_000_000_000n;
const S = 1_000_000_000n;
const id = (n: number) => `${String(n).padStart(8, '0')}-0000-5000-8000-000000000000`;
const ip = (value: string, n: number): EntityRef => ({ type: 'ip', value, id: id(n) });
const user = (value: string, n: number): EntityRef => ({ type: 'user', value, id: id(n) });
const file = (value: string, n: number): EntityRef => ({ type: 'file', value, id: id(n) });

let db: Knex;
let entities: EntitiesRepository;
describe.each(storeBackends())('$name store', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    entities = new EntitiesRepository(db);
  });
  afterEach(async () => {
    await backend.close(db);
  });

  async function store(...events: Array<{ at: bigint; entities: EntityRef[] }>): Promise<void> {
    const writer = new BatchedWriter(db, { batchRows: 500, flushMs: 5 });
    for (const e of events) writer.write(makeEvent({ timestampNs: e.at, entities: e.entities }));
    await writer.flush();
  }

  describe('search', () => {
    beforeEach(async () => {
      await store(
        { at: T0, entities: [user('admin', 1), user('sysadmin', 2), user('administrator', 3)] },
        { at: T0 + 1n, entities: [user('sysadmin', 2)] },
        { at: T0 + 2n, entities: [user('sysadmin', 2), file('/home/admin/.bashrc', 4)] },
        { at: T0 + 3n, entities: [user('administrator', 3)] },
      );
    });

    it('ranks exact first, then prefix, then by how often seen', async () => {
      const found = await entities.search('ADMIN');
      expect(found.map((e) => e.value)).toEqual(['admin', 'administrator', 'sysadmin', '/home/admin/.bashrc']);
      expect(found[2]).toMatchObject({ entityId: id(2), entityType: 'user', eventCount: 3, firstSeenNs: T0, lastSeenNs: T0 + 2n });
    });

    it('restricts to the given types and limit', async () => {
      expect((await entities.search('admin', { types: ['ip', 'user'], limit: 2 })).map((e) => e.value)).toEqual([
        'admin',
        'administrator',
      ]);
    });

    it('looks a UUID up directly, in any case', async () => {
      expect((await entities.search(id(3).toUpperCase())).map((e) => e.value)).toEqual(['administrator']);
      expect(await entities.search(id(99))).toEqual([]);
    });

    it('treats LIKE wildcards literally', async () => {
      expect(await entities.search('%')).toEqual([]);
      expect(await entities.search('_dmin')).toEqual([]);
    });
  });

  describe('related', () => {
    it('counts entities sharing events with the entity inside the window', async () => {
      const target = ip('10.0.0.1', 10);
      await store(
        { at: T0, entities: [target, user('alice', 11)] },
        { at: T0 + S, entities: [target, user('alice', 11), ip('10.0.0.2', 12)] },
        { at: T0 + 2n * S, entities: [target, user('bob', 13)] },
        { at: T0 + 100n * S, entities: [target, user('carol', 14)] }, // outside the window
        { at: T0 + S, entities: [user('alice', 11), user('dave', 15)] }, // without the target
      );
      const related = await entities.related(target.id, { sinceNs: T0, untilNs: T0 + 10n * S });
      expect(related).toEqual([
        { entityId: id(11), entityType: 'user', value: 'alice', count: 2 },
        { entityId: id(12), entityType: 'ip', value: '10.0.0.2', count: 1 },
        { entityId: id(13), entityType: 'user', value: 'bob', count: 1 },
      ]);
      expect(await entities.related(target.id, { sinceNs: T0, untilNs: T0 + 10n * S, limit: 1 })).toHaveLength(1);
      expect(await entities.get(target.id)).toMatchObject({ value: '10.0.0.1', eventCount: 4 });
      expect(await entities.get(id(99))).toBeUndefined();
    });
  });
});
