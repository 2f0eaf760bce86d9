import { describe, expect, it } from 'vitest';
import { EntityWindowBuffer, type WindowEntry } from './window-buffer.js';
import { Watermark } from './watermark.js';

// Logs from 2019: the wall clock is irrelevant to both.
const T0 = Date.parse('2019-06-14T15:16:01Z');
const entry = (tMs: number, eventId = `e${tMs}`): WindowEntry => ({ tMs, eventId, sources: [0], keys: [''] });

describe('Watermark', () => {
  it('marks an event late when it is older than the newest seen by more than the tolerance', () => {
    const watermark = new Watermark(30_000);
    expect(watermark.observe(T0)).toBe(false); // never late before the first event
    expect(watermark.observe(T0 + 60_000)).toBe(false);
    expect(watermark.observe(T0 + 30_000)).toBe(false); // exactly at the tolerance
    expect(watermark.observe(T0 + 29_999)).toBe(true);
    expect(watermark.currentMs).toBe(T0 + 60_000);
    expect(watermark.lateCount).toBe(1);
  });
});

describe('EntityWindowBuffer', () => {
  it('keeps old logs: prunes against the watermark (event time), not the wall clock', () => {
    const buffer = new EntityWindowBuffer({ retentionMs: 600_000, maxEventsPerEntity: 100, maxEntities: 10 });
    buffer.add('ip', entry(T0), T0);
    buffer.add('ip', entry(T0 + 300_000), T0 + 300_000);
    expect(buffer.entries('ip').map((e) => e.tMs)).toEqual([T0, T0 + 300_000]);
    buffer.add('ip', entry(T0 + 700_000), T0 + 700_000);
    expect(buffer.entries('ip').map((e) => e.tMs)).toEqual([T0 + 300_000, T0 + 700_000]);
  });

  it('caps entries per entity (oldest dropped) and entities (least recently written dropped)', () => {
    const buffer = new EntityWindowBuffer({ retentionMs: 600_000, maxEventsPerEntity: 2, maxEntities: 2 });
    for (const t of [1, 2, 3]) buffer.add('a', entry(T0 + t), T0 + t);
    expect(buffer.entries('a').map((e) => e.eventId)).toEqual([`e${T0 + 2}`, `e${T0 + 3}`]);
    expect(buffer.droppedEntries).toBe(1);
    buffer.add('b', entry(T0 + 4), T0 + 4);
    buffer.add('a', entry(T0 + 5), T0 + 5);
    buffer.add('c', entry(T0 + 6), T0 + 6);
    expect(buffer.entries('b')).toEqual([]);
    expect(buffer.entityCount).toBe(2);
    expect(buffer.evictedEntities).toBe(1);
  });
});
