import { describe, expect, it } from 'vitest';
import { DeliveryQueue } from './delivery-queue.js';
import { DeliveryError, type Sink } from './sinks/sink.js';

/** A sink whose `send` answers from a script of outcomes (true = success), then succeeds. */
function scriptedSink(outcomes: Array<boolean | DeliveryError> = []): Sink & { sent: string[]; attempts: number } {
  const sink = {
    name: 'test',
    type: 'console' as const,
    formatter: 'json',
    minSeverity: 0,
    sent: [] as string[],
    attempts: 0,
    render: (alert: unknown) => String(alert),
    async send(payload: string) {
      sink.attempts++;
      const outcome = outcomes.shift() ?? true;
      if (outcome === true) sink.sent.push(payload);
      else throw outcome === false ? new DeliveryError('down', true) : outcome;
    },
    close: async () => undefined,
  };
  return sink;
}

const POLICY = { attempts: 3, backoffBaseMs: 1, backoffMaxMs: 10 };

async function settled(queue: DeliveryQueue): Promise<void> {
  while (queue.pending > 0 || queue.stats().delivered + queue.stats().dropped === 0) await new Promise((r) => setTimeout(r, 5));
  await new Promise((r) => setTimeout(r, 20));
}

describe('delivery queue', () => {
  it('retries with backoff until a send succeeds', async () => {
    const sink = scriptedSink([false, false, true]);
    const queue = new DeliveryQueue(sink, POLICY, 10);
    queue.offer('one');
    await settled(queue);
    expect(sink.sent).toEqual(['one']);
    expect(queue.stats()).toMatchObject({ delivered: 1, retries: 2, dropped: 0 });
    expect(queue.health()).toEqual({ status: 'ok', detail: '1 delivered, 0 dropped, 0 pending' });
  });

  it('drops and counts a payload that fails every attempt, then carries on with the next', async () => {
    const sink = scriptedSink([false, false, false, true]);
    const queue = new DeliveryQueue(sink, POLICY, 10);
    queue.offer('lost');
    queue.offer('next');
    await settled(queue);
    expect(sink.attempts).toBe(4);
    expect(sink.sent).toEqual(['next']);
    expect(queue.stats()).toMatchObject({ delivered: 1, dropped: 1, dropped_undeliverable: 1, last_error: 'down' });
  });

  it('does not retry what cannot succeed, and reports the sink degraded while it fails', async () => {
    const sink = scriptedSink([new DeliveryError('hooks.example answered 404', false)]);
    const queue = new DeliveryQueue(sink, POLICY, 10);
    queue.offer('x');
    await settled(queue);
    expect(sink.attempts).toBe(1);
    expect(queue.health()).toEqual({ status: 'degraded', detail: 'hooks.example answered 404; 0 delivered, 1 dropped, 0 pending' });
  });

  it('drops and counts beyond its capacity, without blocking the caller', async () => {
    const sink = scriptedSink();
    const queue = new DeliveryQueue(sink, POLICY, 2);
    // The first is taken by the sender at once; two wait; the rest overflow.
    expect([1, 2, 3, 4, 5].map((n) => queue.offer(String(n)))).toEqual([true, true, true, false, false]);
    await settled(queue);
    expect(sink.sent).toEqual(['1', '2', '3']);
    expect(queue.stats()).toMatchObject({ delivered: 3, dropped_queue_full: 2, dropped: 2 });
  });

  it('on close, gives pending payloads the drain time, then drops and counts the rest', async () => {
    const sink = scriptedSink(Array.from({ length: 50 }, () => false));
    const queue = new DeliveryQueue(sink, { attempts: 10, backoffBaseMs: 200, backoffMaxMs: 200 }, 10);
    queue.offer('a');
    queue.offer('b');
    const started = Date.now();
    await queue.close(100);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(queue.offer('late')).toBe(false);
    expect(queue.stats()).toMatchObject({ delivered: 0, dropped_at_stop: 3, dropped: 3 });
  });
});
