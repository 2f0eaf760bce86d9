import { describe, expect, it } from 'vitest';
import {
  CloseQueue,
  percentileOf,
  RuleWindows,
  WindowAggregate,
  type CloseRecord,
  type WindowEntry,
  type WindowSpec,
} from './correlation-window.js';

const S = 1_000_000_000n;

function entry(seconds: number, seq: number, ref = 0, value?: string | number): WindowEntry {
  return { ts: BigInt(seconds) * S, seq, ref, value, ids: [`e${seq}`] };
}

function windows(overrides: Partial<WindowSpec> = {}) {
  const scheduled: [bigint, string, number][] = [];
  const counters = { entries: 0, groupCapDrops: 0, nextVersion: 1 };
  const spec: WindowSpec = {
    kind: 'count',
    mode: 'arrival',
    spanNs: 10n * S,
    refCount: 1,
    percentile: 50,
    check: (v) => v >= 3,
    maxEntriesPerGroup: 100,
    schedule: (deadline, key, version) => scheduled.push([deadline, key, version]),
    ...overrides,
  };
  return { rw: new RuleWindows(spec, counters), counters, scheduled };
}

describe('percentileOf', () => {
  it('interpolates linearly between the nearest ranks', () => {
    const sorted = [10, 20, 30, 40];
    expect([0, 25, 50, 90, 100].map((p) => percentileOf(sorted, p))).toEqual([10, 17.5, 25, 37, 40]);
    expect(percentileOf([7], 95)).toBe(7);
    expect(percentileOf([], 50)).toBeNaN();
  });
});

describe('WindowAggregate', () => {
  it('gives the same value after removals as one built from the remaining entries', () => {
    const all = [entry(1, 1, 0, 5), entry(2, 2, 0, 1), entry(3, 3, 0, 5), entry(4, 4, 0, 9), entry(5, 5, 0, 2)];
    for (const kind of ['sum', 'avg', 'percentile'] as const) {
      const rolling = new WindowAggregate(kind, 1, 75);
      all.forEach((e) => rolling.add(e));
      rolling.remove(all[0] as WindowEntry);
      rolling.remove(all[1] as WindowEntry);
      const fresh = new WindowAggregate(kind, 1, 75);
      all.slice(2).forEach((e) => fresh.add(e));
      expect([kind, rolling.value(all, 2, 5)]).toEqual([kind, fresh.value(all, 2, 5)]);
    }
    const distinct = new WindowAggregate('distinct', 1, 50);
    ['a', 'b', 'a'].forEach((v, i) => distinct.add(entry(i, i, 0, v)));
    distinct.remove(entry(0, 0, 0, 'a'));
    expect(distinct.value([], 0, 0)).toBe(2);
    distinct.remove(entry(2, 2, 0, 'a'));
    expect(distinct.value([], 0, 0)).toBe(1);
  });

  it('counts the rules seen (temporal) and the in-order prefix (temporal_ordered)', () => {
    const window = [entry(1, 1, 1), entry(2, 2, 0), entry(3, 3, 2), entry(4, 4, 1)];
    const temporal = new WindowAggregate('temporal', 3, 50);
    const ordered = new WindowAggregate('temporal_ordered', 3, 50);
    window.forEach((e) => (temporal.add(e), ordered.add(e)));
    expect(temporal.value(window, 0, 4)).toBe(3);
    expect(ordered.value(window, 0, 4)).toBe(2); // 0 then 1 (at 4 s); the 2 at 3 s comes before that 1
  });
});

describe('RuleWindows, arrival mode', () => {
  it('slides the window on each entry and consumes the group on a hit', () => {
    const { rw, counters } = windows();
    expect(rw.observe('g', {}, [entry(0, 1)])).toBeUndefined();
    expect(rw.observe('g', {}, [entry(5, 2)])).toBeUndefined();
    expect(rw.observe('g', {}, [entry(11, 3)])).toBeUndefined(); // 0 s left the window [1 s, 11 s]
    const hit = rw.observe('g', {}, [entry(15, 4)]);
    expect(hit && { value: hit.value, seqs: hit.window.map((e) => e.seq), atNs: hit.atNs }).toEqual({ value: 3, seqs: [2, 3, 4], atNs: 15n * S });
    expect([rw.groups.size, counters.entries]).toEqual([0, 0]);
  });

  it('trims and expires by the cutoff it is given', () => {
    const { rw, counters } = windows({ check: () => false });
    rw.observe('a', {}, [entry(0, 1)]);
    rw.observe('a', {}, [entry(8, 2)]);
    rw.observe('b', {}, [entry(9, 3)]);
    rw.trim(rw.groups.get('a')!, 5n * S);
    expect([rw.groups.get('a')!.entries.map((e) => e.seq), counters.entries]).toEqual([[2], 2]);
    rw.expireIdle(9n * S); // 'a' (newest 8 s) goes; 'b' (9 s) stays
    expect([[...rw.groups.keys()], counters.entries]).toEqual([['b'], 1]);
  });
});

describe('RuleWindows, close mode', () => {
  it('schedules the close at the window end and starts the next window with what is left', () => {
    const { rw, scheduled, counters } = windows({ mode: 'close', check: (v) => v < 3 });
    rw.observe('g', {}, [entry(2, 1)]);
    rw.observe('g', {}, [entry(12, 2)]);
    rw.observe('g', {}, [entry(1, 3)]); // earlier than the open window: it opens earlier
    expect(scheduled).toEqual([[12n * S, 'g', 1], [11n * S, 'g', 2]]);
    expect(rw.close('g', 1)).toBeUndefined(); // stale version
    const hit = rw.close('g', 2);
    expect(hit && { value: hit.value, seqs: hit.window.map((e) => e.seq), atNs: hit.atNs }).toEqual({ value: 2, seqs: [3, 1], atNs: 11n * S });
    expect(scheduled[2]).toEqual([22n * S, 'g', 3]);
    expect(counters.entries).toBe(1);
  });
});

describe('CloseQueue', () => {
  it('pops by deadline, then rule, then group key', () => {
    const queue = new CloseQueue();
    const record = (deadlineNs: bigint, rule: number, key: string): CloseRecord => ({ deadlineNs, version: 0, rule, key });
    [record(5n, 0, 'b'), record(3n, 1, 'a'), record(5n, 0, 'a'), record(1n, 2, 'z'), record(3n, 0, 'z')].forEach((r) => queue.push(r));
    const order: string[] = [];
    for (let r = queue.pop(); r !== undefined; r = queue.pop()) order.push(`${r.deadlineNs}/${r.rule}/${r.key}`);
    expect(order).toEqual(['1/2/z', '3/0/z', '3/1/a', '5/0/a', '5/0/b']);
    expect(queue.size).toBe(0);
  });
});
