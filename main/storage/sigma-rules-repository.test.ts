import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storeBackends } from '../../test/support/store-backends.js';
import { SigmaRulesRepository } from './sigma-rules-repository.js';

// Past 2^53: the cursor must compare exactly, not as doubles.
const T0 = 1_796_032_800_000_000_000n;

let db: Knex;
let rules: SigmaRulesRepository;
describe.each(storeBackends())('$name store', (backend) => {
  beforeEach(async () => {
    db = await backend.open();
    rules = new SigmaRulesRepository(db);
  });
  afterEach(async () => {
    await backend.close(db);
  });

  describe('togglesSince', () => {
    it('returns the rows written after the cursor, to the nanosecond, with their enabled state', async () => {
      await rules.setEnabled('a', false, T0);
      await rules.setEnabled('b', true, T0 + 1n);
      await rules.setEnabled('c', false, T0 + 2n);

      expect(await rules.togglesSince(T0 + 1n)).toEqual([{ ruleId: 'c', enabled: false }]);
      const sinceStart = await rules.togglesSince(T0 - 1n);
      expect(sinceStart.sort((x, y) => x.ruleId.localeCompare(y.ruleId))).toEqual([
        { ruleId: 'a', enabled: false },
        { ruleId: 'b', enabled: true },
        { ruleId: 'c', enabled: false },
      ]);
    });

    it('returns a rule again after its counts are flushed, still with its enabled state', async () => {
      await rules.setEnabled('a', false, T0);
      await rules.addMatches(new Map([['a', { matches: 2, lastFiredNs: T0 }]]), T0 + 5n);
      expect(await rules.togglesSince(T0 + 4n)).toEqual([{ ruleId: 'a', enabled: false }]);
    });
  });
});
