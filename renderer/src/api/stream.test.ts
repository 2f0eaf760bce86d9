import { describe, expect, it } from 'vitest';
import { FakeNesClient } from '../testing/fake-api';
import { BACKOFF_MS, LiveStream, type StreamState, type Timers } from './stream';
import type { ServerFrame } from './types';

/** Manual clock and timers: `advance(ms)` runs what falls due, in order. */
class ManualTimers implements Timers {
  nowMs = 0;
  #next = 1;
  readonly #due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): number {
    const id = this.#next++;
    this.#due.set(id, { at: this.nowMs + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }
  now(): number {
    return this.nowMs;
  }
  async advance(ms: number): Promise<void> {
    const end = this.nowMs + ms;
    for (;;) {
      const [id, next] = [...this.#due.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
      if (id === undefined || next!.at > end) break;
      this.#due.delete(id);
      this.nowMs = next!.at;
      next!.fn();
      await Promise.resolve();
      await Promise.resolve();
    }
    this.nowMs = end;
  }
}

function harness(serverUp: () => boolean) {
  const timers = new ManualTimers();
  const clients: FakeNesClient[] = [];
  const states: StreamState[] = [];
  const frames: ServerFrame[] = [];
  const connectTimes: number[] = [];
  const stream = new LiveStream(
    () => {
      connectTimes.push(timers.nowMs);
      const client = new FakeNesClient(serverUp());
      clients.push(client);
      return client;
    },
    { frame: (f) => frames.push(f), state: (s) => states.push(s) },
    timers,
  );
  return { timers, clients, states, frames, connectTimes, stream };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('LiveStream', () => {
  it('retries with back-off 1, 2, 4, 8, 16, then every 30 s while the server is down', async () => {
    const { timers, connectTimes, stream, states } = harness(() => false);
    stream.start();
    await settle();
    await timers.advance(120_000);
    expect(connectTimes.slice(0, 8)).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000]);
    expect(BACKOFF_MS).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(states.slice(0, 4)).toEqual(['connecting', 'closed', 'connecting', 'closed']);
  });

  it('opens, forwards frames, and starts the back-off over after a connection was open', async () => {
    let up = false;
    const { timers, clients, connectTimes, stream, frames, states } = harness(() => up);
    stream.start();
    await settle();
    await timers.advance(3000); // attempts at 0, 1000, 3000
    up = true;
    await timers.advance(4000); // attempt at 7000 succeeds
    await settle();
    expect(stream.state).toBe('open');
    clients.at(-1)!.onUpdate({ type: 'status', data: { events_ingested_per_sec: 5 } });
    expect(frames).toEqual([{ type: 'status', data: { events_ingested_per_sec: 5 } }]);

    clients.at(-1)!.onDisconnect(false, {});
    expect(stream.state).toBe('closed');
    const before = connectTimes.length;
    await timers.advance(1000);
    expect(connectTimes.length).toBe(before + 1); // first retry after 1 s again
    expect(states).toContain('open');
  });

  it('replays the filter after every reconnect, debounced and spaced for the server', async () => {
    const { timers, clients, stream } = harness(() => true);
    stream.start();
    await settle();
    stream.setFilter({ source: ['nginx'] });
    stream.setFilter({ source: ['sshd'] });
    await timers.advance(149);
    expect(clients[0]!.sent).toEqual([]);
    await timers.advance(1);
    expect(clients[0]!.sent).toEqual([{ type: 'filter', source: ['sshd'] }]);
    stream.setFilter({ source: ['cron'] });
    await timers.advance(150);
    expect(clients[0]!.sent).toHaveLength(2);

    clients[0]!.onDisconnect(false, {});
    await timers.advance(1000);
    await settle();
    expect(clients[1]!.sent).toEqual([{ type: 'filter', source: ['cron'] }]);
  });

  it('ignores a replaced client and stops reconnecting once stopped', async () => {
    const { timers, clients, connectTimes, stream, frames } = harness(() => true);
    stream.start();
    await settle();
    clients[0]!.onDisconnect(false, {});
    await timers.advance(1000);
    await settle();
    clients[0]!.onUpdate({ type: 'alert', data: {} }); // the old connection: dropped
    clients[0]!.onDisconnect(false, {}); // and does not schedule anything
    expect(frames).toEqual([]);
    expect(stream.state).toBe('open');
    await stream.stop();
    await timers.advance(60_000);
    expect(connectTimes).toHaveLength(2);
    expect(stream.state).toBe('closed');
  });
});
