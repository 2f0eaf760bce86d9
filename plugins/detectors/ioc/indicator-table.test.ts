import { describe, expect, it } from 'vitest';
import { IndicatorTable, keyHash, type EntryMeta } from './indicator-table.js';

const meta = (feed: number, confidence = 50): EntryMeta => ({ feed, confidence, validUntilS: 0, modifiedS: 0, phases: 0, fpLo: 0, fpHi: 0 });
const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

function find(table: IndicatorTable, kind: number, key: Uint8Array): number[] {
  const out = new Int32Array(16);
  const n = table.lookup(kind, key, 0, key.length, keyHash(kind, key, 0, key.length), out);
  return Array.from(out.subarray(0, n)).sort((a, b) => a - b);
}

describe('IndicatorTable', () => {
  it('finds every entry of a key, by kind, and forgets removed ones', () => {
    const table = new IndicatorTable({ fpr: 0.001, minCapacity: 100, growth: 1.25 });
    const a = table.add(3, bytes('evil.example'), 0, 12, meta(0, 40));
    const b = table.add(3, bytes('evil.example'), 0, 12, meta(1, 90));
    const c = table.add(4, bytes('evil.example'), 0, 12, meta(0));
    expect(find(table, 3, bytes('evil.example'))).toEqual([a, b]);
    expect(find(table, 4, bytes('evil.example'))).toEqual([c]);
    expect(find(table, 3, bytes('evil.exampl'))).toEqual([]);
    expect(table.meta(b)).toMatchObject({ feed: 1, confidence: 90 });
    table.remove(a);
    expect(find(table, 3, bytes('evil.example'))).toEqual([b]);
    expect(table.size).toBe(2);
    expect(table.countOf(3)).toBe(1);
  });

  it('keeps every key through growth, removals, tombstones and compaction', () => {
    const table = new IndicatorTable({ fpr: 0.01, minCapacity: 100, growth: 1.25 });
    const ids: number[] = [];
    for (let i = 0; i < 20_000; i++) ids.push(table.add(3, bytes(`d${i}.example`), 0, `d${i}.example`.length, meta(0)));
    for (let i = 0; i < 20_000; i += 2) table.remove(ids[i] as number);
    for (let i = 20_000; i < 25_000; i++) table.add(3, bytes(`d${i}.example`), 0, `d${i}.example`.length, meta(0));
    const present = (i: number) => find(table, 3, bytes(`d${i}.example`)).length;
    for (let i = 0; i < 25_000; i++) expect(present(i), `d${i}`).toBe(i < 20_000 && i % 2 === 0 ? 0 : 1);
    expect(table.refreshBloom()).toBe(true);
    table.compact(0);
    expect(table.size).toBe(15_000);
    expect(table.top).toBe(15_000);
    for (let i = 0; i < 25_000; i++) expect(present(i), `d${i}`).toBe(i < 20_000 && i % 2 === 0 ? 0 : 1);
    expect(table.keyOf(0)).toEqual(bytes('d1.example'));
  });

  it('tracks the prefix lengths it holds, longest first', () => {
    const table = new IndicatorTable({ fpr: 0.01, minCapacity: 100, growth: 1.25 });
    const net = table.add(1, Uint8Array.of(10, 0, 0, 0, 8), 0, 5, meta(0));
    table.add(1, Uint8Array.of(10, 1, 2, 3, 32), 0, 5, meta(0));
    table.add(1, Uint8Array.of(192, 168, 0, 0, 16), 0, 5, meta(0));
    expect(table.prefixLengths(1)).toEqual([32, 16, 8]);
    table.remove(net);
    expect(table.prefixLengths(1)).toEqual([32, 16]);
    expect(table.prefixLengths(2)).toEqual([]);
  });
});

describe('IndicatorTable label counts', () => {
  it('knows which domain depths it holds', () => {
    const table = new IndicatorTable({ fpr: 0.01, minCapacity: 100, growth: 1.25 });
    const id = table.add(3, bytes('a.evil.example'), 0, 14, meta(0));
    table.add(3, bytes('evil.example'), 0, 12, meta(0));
    expect([1, 2, 3, 4].map((n) => table.holdsDomainLabels(n))).toEqual([false, true, true, false]);
    table.remove(id);
    expect(table.holdsDomainLabels(3)).toBe(false);
  });
});
