import { describe, expect, it } from 'vitest';
import { LlmError } from './errors.js';
import { GenerationQueue } from './generation-queue.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('GenerationQueue', () => {
  it('runs one generation at a time, in arrival order', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxQueued: 4 });
    const log: string[] = [];
    const job = (name: string) => async () => {
      log.push(`start ${name}`);
      await later(10);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([queue.run(job('a'), 1000), queue.run(job('b'), 1000), queue.run(job('c'), 1000)]);
    expect(results).toEqual(['a', 'b', 'c']);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });

  it('refuses with busy once the queue is full', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxQueued: 1 });
    const running = queue.run(() => later(30), 1000);
    const waiting = queue.run(() => later(1), 1000);
    await expect(queue.run(() => later(1), 1000)).rejects.toMatchObject({ code: 'busy' });
    await Promise.all([running, waiting]);
  });

  it('times out at the deadline, aborts the work, and frees the slot only when the work stops', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxQueued: 4 });
    let aborted = false;
    const stuck = queue.run(
      (signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            setTimeout(() => reject(new Error('stopped')), 20); // stopping takes a while
          }),
        ),
      30,
    );
    const next = queue.run(async () => queue.running, 1000);
    await expect(stuck).rejects.toEqual(new LlmError('timeout', 'the model did not answer within 30 ms'));
    expect(aborted).toBe(true);
    expect(queue.running).toBe(1); // the stuck work is still stopping
    expect(await next).toBe(1); // the next one ran alone
  });

  it('times out a request still waiting for the slot, and drops it from the queue', async () => {
    const queue = new GenerationQueue({ concurrency: 1, maxQueued: 4 });
    let ran = false;
    const running = queue.run(() => later(60), 1000);
    await expect(
      queue.run(async () => {
        ran = true;
      }, 20),
    ).rejects.toMatchObject({ code: 'timeout' });
    expect(queue.queued).toBe(0);
    await running;
    expect(ran).toBe(false);
  });
});
