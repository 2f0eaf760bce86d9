import { describe, expect, it } from 'vitest';
import { DropOldestQueue } from './client-queue.js';

describe('DropOldestQueue', () => {
  it('hands items back oldest first, in takes of at most `max`', () => {
    const queue = new DropOldestQueue<number>(10);
    for (const n of [1, 2, 3, 4, 5]) expect(queue.push(n)).toBe(true);
    expect(queue.take(2)).toStrictEqual([1, 2]);
    expect(queue.take(10)).toStrictEqual([3, 4, 5]);
    expect(queue.take(10)).toStrictEqual([]);
    expect(queue.length).toBe(0);
    expect(queue.dropped).toBe(0);
  });

  it('drops the oldest items once full and counts them', () => {
    const queue = new DropOldestQueue<number>(3);
    const kept = [1, 2, 3, 4, 5].map((n) => queue.push(n));
    expect(kept).toStrictEqual([true, true, true, false, false]);
    expect(queue.length).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(queue.take(10)).toStrictEqual([3, 4, 5]);
  });

  it('keeps order across wrap-around and growth', () => {
    const queue = new DropOldestQueue<number>(40);
    for (let n = 0; n < 10; n++) queue.push(n);
    expect(queue.take(7)).toStrictEqual([0, 1, 2, 3, 4, 5, 6]);
    for (let n = 10; n < 50; n++) queue.push(n); // grows past 16 slots while the head is mid-ring
    expect(queue.length).toBe(40);
    expect(queue.dropped).toBe(3);
    expect(queue.take(100)).toStrictEqual(Array.from({ length: 40 }, (_, i) => i + 10));
  });

  it('never holds more than its capacity, whatever is pushed', () => {
    const queue = new DropOldestQueue<number>(5);
    for (let n = 0; n < 10_000; n++) queue.push(n);
    expect(queue.length).toBe(5);
    expect(queue.dropped).toBe(9_995);
    expect(queue.take(5)).toStrictEqual([9_995, 9_996, 9_997, 9_998, 9_999]);
  });

  it('clear forgets the items without counting drops', () => {
    const queue = new DropOldestQueue<string>(2);
    queue.push('a');
    queue.push('b');
    queue.push('c');
    queue.clear();
    expect(queue.length).toBe(0);
    expect(queue.dropped).toBe(1);
    queue.push('d');
    expect(queue.take(1)).toStrictEqual(['d']);
  });

  it('rejects a capacity below 1, naming it', () => {
    expect(() => new DropOldestQueue(0)).toThrow('DropOldestQueue capacity must be an integer ≥ 1, got 0');
    expect(() => new DropOldestQueue(1.5)).toThrow(RangeError);
  });
});
