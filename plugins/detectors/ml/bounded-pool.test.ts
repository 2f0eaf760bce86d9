import { describe, expect, it } from 'vitest';
import { BoundedPool, type PoolEntry } from './bounded-pool.js';

type Owner = Map<string, PoolEntry<string, number>>;

describe('BoundedPool', () => {
  it('evicts the least recently used entry across owners, from its owner map', () => {
    const pool = new BoundedPool<string, number>(3);
    const a: Owner = new Map();
    const b: Owner = new Map();
    pool.acquire(a, 'x', () => 1);
    pool.acquire(b, 'x', () => 2);
    pool.acquire(a, 'y', () => 3);
    pool.acquire(a, 'x', () => 99); // touch: a/x is now the most recent
    pool.acquire(b, 'z', () => 4); // evicts b/x
    expect([...b.keys()]).toEqual(['z']);
    expect([...a.keys()].sort()).toEqual(['x', 'y']);
    expect(a.get('x')!.value).toBe(1);
    expect([pool.size, pool.evictions]).toEqual([3, 1]);
    expect([...pool.entries()].map((e) => e.value)).toEqual([3, 1, 4]);
  });

  it('drops every entry of an owner', () => {
    const pool = new BoundedPool<string, number>(5);
    const a: Owner = new Map();
    const b: Owner = new Map();
    for (const key of ['p', 'q']) pool.acquire(a, key, () => 0);
    pool.acquire(b, 'r', () => 0);
    pool.dropOwner(a);
    expect([pool.size, a.size, [...pool.entries()].map((e) => e.key)]).toEqual([1, 0, ['r']]);
  });
});
