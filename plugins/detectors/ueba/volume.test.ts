import { describe, expect, it } from 'vitest';
import { Volume } from './volume.js';

const T0 = Date.UTC(2025, 6, 1, 9, 0, 0);
const MINUTE = 60_000;

/** A steady entity: `perMinute` events in each of `minutes` consecutive minutes. */
function steady(volume: Volume, minutes: number, perMinute: number): void {
  for (let m = 0; m < minutes; m++) for (let i = 0; i < perMinute; i++) volume.observe(T0 + m * MINUTE + i * 1000);
}

describe('Volume', () => {
  it('scores 0 until a minute has closed', () => {
    const volume = new Volume(0.05);
    expect(volume.score(T0)).toBe(0);
    volume.observe(T0);
    volume.observe(T0 + 1000);
    expect(volume.score(T0 + 2000)).toBe(0);
  });

  it('learns the usual events per active minute and per active hour', () => {
    const volume = new Volume(0.05);
    steady(volume, 30, 2);
    volume.observe(T0 + 2 * 3_600_000); // closes minute 29 and hour 0
    expect(volume.perMinute.ema).toBeCloseTo(2, 10);
    expect(volume.perHour.ema).toBe(60);
  });

  it('moves with a burst: the original’s volume score was always 0', () => {
    const volume = new Volume(0.05);
    steady(volume, 30, 1); // λ = 1 event per active minute
    const burst = T0 + 40 * MINUTE;
    expect(volume.score(burst)).toBe(0); // one event: as usual
    const scores: number[] = [];
    for (let i = 0; i < 6; i++) {
      scores.push(volume.score(burst + i * 1000));
      volume.observe(burst + i * 1000);
    }
    // c events in the minute: z = (c − 1)/1, score = z/3 capped at 1
    expect(scores).toEqual([0, 1 / 3, 2 / 3, 1, 1, 1]);
  });

  it('does not count idle minutes: an entity active once a day is not a burst each time', () => {
    const volume = new Volume(0.05);
    for (let day = 0; day < 10; day++) volume.observe(T0 + day * 86_400_000);
    expect(volume.perMinute.ema).toBe(1);
    expect(volume.score(T0 + 10 * 86_400_000)).toBe(0);
  });

  it('counts a late event in the open minute', () => {
    const volume = new Volume(0.05);
    volume.observe(T0 + 5 * MINUTE);
    volume.observe(T0);
    expect(volume.perMinute).toEqual({ ema: 0, bucket: Math.floor(T0 / MINUTE) + 5, count: 2 });
  });
});
