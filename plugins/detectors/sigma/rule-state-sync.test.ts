import { describe, expect, it, vi } from 'vitest';
import type { RuleState, RuleToggle } from '../../../main/storage/sigma-rules-repository.js';
import { SigmaEngine } from './engine.js';
import { applyToggles, OVERLAP_NS, RuleStateSync } from './rule-state-sync.js';

function engineWith(...ids: string[]): SigmaEngine {
  const engine = new SigmaEngine();
  const rules = ids.map((id) => `title: Rule ${id}\nid: ${id}\nlevel: high\nlogsource:\n    product: linux\ndetection:\n    keywords:\n        - 'x'\n    condition: keywords\n`);
  engine.load(rules.join('---\n'), 'pack.yml');
  return engine;
}

const counted = (ruleId: string, enabled: boolean): RuleState => ({ ruleId, enabled, matchCount: 7, lastFiredNs: 5n });

describe('applyToggles', () => {
  it('applies stored toggles to the engine and the state map, keeping the counts, and names what changed', () => {
    const engine = engineWith('a', 'b', 'c');
    engine.disable('c');
    const state = new Map([['a', counted('a', true)], ['c', counted('c', false)]]);

    const changed = applyToggles(
      [
        { ruleId: 'a', enabled: false },
        { ruleId: 'b', enabled: true },
        { ruleId: 'c', enabled: true },
      ],
      engine,
      state,
    );

    expect(changed).toEqual(['a', 'c']);
    expect([engine.isEnabled('a'), engine.isEnabled('b'), engine.isEnabled('c')]).toEqual([false, true, true]);
    expect(state.get('a')).toEqual(counted('a', false));
    expect(state.get('c')).toEqual(counted('c', true));
    expect(state.get('b')).toEqual({ ruleId: 'b', enabled: true, matchCount: 0, lastFiredNs: null });
  });

  it('changes nothing when the same rows are applied again', () => {
    const engine = engineWith('a');
    const state = new Map<string, RuleState>();
    const rows: RuleToggle[] = [{ ruleId: 'a', enabled: false }];
    expect(applyToggles(rows, engine, state)).toEqual(['a']);
    expect(applyToggles(rows, engine, state)).toEqual([]);
    expect(engine.isEnabled('a')).toBe(false);
  });

  it('records a toggle of a rule this appliance has not loaded, for its next reload', () => {
    const engine = engineWith('a');
    const state = new Map<string, RuleState>();
    expect(applyToggles([{ ruleId: 'elsewhere', enabled: false }], engine, state)).toEqual([]);
    expect(state.get('elsewhere')?.enabled).toBe(false);
    expect(engine.size).toBe(1);
  });
});

describe('RuleStateSync.poll', () => {
  const setup = (answers: Array<RuleToggle[] | Error>) => {
    const asked: bigint[] = [];
    const logger = { info: vi.fn(), warn: vi.fn() };
    let now = 100n * OVERLAP_NS;
    const engine = engineWith('a');
    const sync = new RuleStateSync({
      rules: {
        async togglesSince(sinceNs) {
          asked.push(sinceNs);
          const answer = answers.shift() ?? [];
          if (answer instanceof Error) throw answer;
          return answer;
        },
      },
      engine: () => engine,
      state: new Map(),
      clock: () => (now += 1_000_000_000n),
      intervalMs: 5000,
      logger,
    });
    return { sync, asked, logger, engine };
  };

  it('reads every row first, then the rows since the previous poll began, less the overlap', async () => {
    const { sync, asked, engine } = setup([[{ ruleId: 'a', enabled: false }]]);
    await sync.poll();
    await sync.poll();
    const firstPollBegan = 100n * OVERLAP_NS + 1_000_000_000n;
    expect(asked).toEqual([0n, firstPollBegan - OVERLAP_NS]);
    expect(engine.isEnabled('a')).toBe(false);
  });

  it('logs a store outage once, keeps its cursor, and says when the store answers again', async () => {
    const away = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    const { sync, asked, logger } = setup([away, away, away, []]);
    for (let i = 0; i < 4; i++) await expect(sync.poll()).resolves.toBeUndefined();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith({ err: away.message }, 'Sigma rule state sync failed; retrying every 5 s');
    expect(asked).toEqual([0n, 0n, 0n, 0n]);
    expect(logger.info).toHaveBeenCalledWith('Sigma rule state sync: the store answers again');
  });
});
