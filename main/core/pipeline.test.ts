import { describe, expect, it } from 'vitest';
import type { Alert } from './alert.js';
import type { RawEvent, SeerflowEvent } from './event.js';
import { Pipeline, type PipelineSink } from './pipeline.js';
import { makeEvent } from '../../test/support/make-event.js';

/** An in-memory sink whose commits the test releases by hand. */
class FakeSink implements PipelineSink {
  written: SeerflowEvent[] = [];
  alerts: Alert[] = [];
  checkpoints: Array<[string, string]> = [];
  committed = 0;
  saturated = false;
  #waiters: Array<() => void> = [];
  write(event: SeerflowEvent) {
    this.written.push(event);
  }
  writeAlert(alert: Alert) {
    this.alerts.push(alert);
  }
  writeCheckpoint(key: string, value: string) {
    this.checkpoints.push([key, value]);
  }
  whenDurable() {
    return new Promise<void>((resolve) => this.#waiters.push(resolve));
  }
  commit() {
    this.committed = this.written.length;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

const raw = (line: string): RawEvent => ({ sourceType: 'syslog', sourceId: 'syslog', receivedNs: 1n, line });
const normalize = (r: RawEvent) => makeEvent({ message: r.line ?? r.record?.message ?? '' });
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('pipeline', () => {
  it('refuses what does not fit, counting drops per receiver', () => {
    const pipeline = new Pipeline(normalize, new FakeSink(), { queueMax: 2, clock: () => 0n });
    expect(pipeline.offer(raw('a'))).toBe(true);
    expect(pipeline.submit([raw('b'), raw('c')])).toBeUndefined();
    expect(pipeline.offer(raw('b'))).toBe(true);
    expect(pipeline.offer(raw('c'))).toBe(false);
    expect(pipeline.counters('syslog')).toEqual({ received: 5, stored: 0, dropped: 3, truncated: 0 });
  });

  it('resolves submit only after the sink commits, and passes the checkpoint after its events', async () => {
    const sink = new FakeSink();
    const pipeline = new Pipeline(normalize, sink, { queueMax: 10, clock: () => 0n });
    let acknowledged = false;
    void pipeline.submit([raw('x'), raw('y')], { key: 'file:/a', value: '42' })!.then(() => (acknowledged = true));
    await tick();
    expect(sink.written.map((e) => e.message)).toEqual(['x', 'y']);
    expect(sink.checkpoints).toEqual([['file:/a', '42']]);
    expect(acknowledged).toBe(false);
    sink.commit();
    await tick();
    expect(acknowledged).toBe(true);
    expect(pipeline.counters('syslog').stored).toBe(2);
  });

  it('stops draining while the sink is saturated, so the queue fills and pushes back', async () => {
    const sink = new FakeSink();
    sink.saturated = true;
    const pipeline = new Pipeline(normalize, sink, { queueMax: 3, clock: () => 0n });
    pipeline.offer(raw('1'));
    pipeline.offer(raw('2'));
    await tick();
    expect(sink.written).toHaveLength(0);
    expect(pipeline.queueDepth).toBe(2);
    sink.saturated = false;
    sink.commit();
    await tick();
    await tick();
    expect(sink.written.map((e) => e.message)).toEqual(['1', '2']);
  });

  it('refuses input once stopped, and resolves stop when what was accepted is durable', async () => {
    const sink = new FakeSink();
    const pipeline = new Pipeline(normalize, sink, { queueMax: 10, clock: () => 0n });
    pipeline.offer(raw('accepted'));
    let stopped = false;
    void pipeline.stop().then(() => (stopped = true));
    expect(pipeline.offer(raw('too late'))).toBe(false);
    await tick();
    expect(stopped).toBe(false);
    sink.commit();
    await tick();
    await tick();
    expect(stopped).toBe(true);
    expect(sink.written.map((e) => e.message)).toEqual(['accepted']);
    expect(pipeline.counters('syslog').dropped).toBe(1);
  });

  it('runs detectors on each event before storing it; a throwing detector is counted, not fatal', async () => {
    const sink = new FakeSink();
    const pipeline = new Pipeline(normalize, sink, { queueMax: 10, clock: () => 0n });
    const alert = { alertId: 'a1' } as Alert;
    pipeline.addDetector({ name: 'broken', process: () => { throw new Error('bug'); } });
    pipeline.addDetector({
      name: 'enricher',
      process: (event) => {
        event.fields.seen = true;
        return event.message === 'bad' ? [alert] : [];
      },
    });
    pipeline.offer(raw('good'));
    pipeline.offer(raw('bad'));
    await tick();
    expect(sink.alerts).toEqual([alert]);
    expect(sink.written.map((e) => e.fields.seen)).toEqual([true, true]);
    expect(pipeline.detectorFailures()).toEqual({ broken: 2 });
  });

  it('keeps the input of an event whose normalization throws', async () => {
    const sink = new FakeSink();
    let first = true;
    const flaky = (r: RawEvent) => {
      if (first) {
        first = false;
        throw new Error('bug');
      }
      return normalize(r);
    };
    const pipeline = new Pipeline(flaky, sink, { queueMax: 10, clock: () => 0n });
    pipeline.offer(raw('<13>weird'));
    await tick();
    expect(sink.written.map((e) => e.message)).toEqual(['<13>weird']);
    expect(pipeline.failed).toBe(1);
  });
});
