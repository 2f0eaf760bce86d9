import { describe, expect, it } from 'vitest';
import { ALERTS_COUNT_REFRESH_MS, StatusSource } from './status.js';

const NOW_NS = 1_796_032_800_123_456_789n;
const DAY_NS = 86_400_000_000_000n;

function source(count: (sinceNs: bigint) => Promise<number>) {
  const clock = { ms: 0 };
  const errors: unknown[] = [];
  const status = new StatusSource({
    rate: { perSecond: () => 1234.5678 },
    countAlertsSince: count,
    clockNs: () => NOW_NS,
    nowMs: () => clock.ms,
    onError: (error) => errors.push(error),
  });
  return { status, clock, errors };
}

describe('StatusSource', () => {
  it('counts alerts of the last 24 h from the store, cached between refreshes', async () => {
    const calls: bigint[] = [];
    const { status, clock } = source(async (sinceNs) => {
      calls.push(sinceNs);
      return calls.length * 10;
    });
    expect(status.snapshot()).toStrictEqual({ events_ingested_per_sec: 1234.57, alerts_24h: 0 });
    await status.idle();
    expect(calls).toStrictEqual([NOW_NS - DAY_NS]);
    clock.ms = ALERTS_COUNT_REFRESH_MS - 1;
    expect(status.snapshot().alerts_24h).toBe(10);
    expect(calls).toHaveLength(1);
    clock.ms = ALERTS_COUNT_REFRESH_MS;
    status.snapshot();
    await status.idle();
    expect(status.snapshot().alerts_24h).toBe(20);
    expect(calls).toHaveLength(2);
  });

  it('runs one query at a time', async () => {
    let release!: (n: number) => void;
    let calls = 0;
    const { status } = source(() => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    });
    const first = status.refresh();
    const second = status.refresh();
    release(5);
    await Promise.all([first, second]);
    expect(calls).toBe(1);
    expect(status.snapshot().alerts_24h).toBe(5);
  });

  it('keeps the last count and reports the error when a refresh fails', async () => {
    let fail = false;
    const { status, clock, errors } = source(async () => {
      if (fail) throw new Error('database is locked');
      return 3;
    });
    await status.refresh();
    fail = true;
    clock.ms = ALERTS_COUNT_REFRESH_MS;
    await status.refresh();
    expect(status.snapshot().alerts_24h).toBe(3);
    expect((errors[0] as Error).message).toBe('database is locked');
  });
});
