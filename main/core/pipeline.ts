/**
 * The ingest half of the data flow: a bounded queue of `RawEvent`s, drained in slices on the
 * event loop, each normalized and handed to the sink (the batched writer) and to listeners.
 *
 * - Bounded: `offer` / `submit` refuse when the queue lacks room; the refusal is counted as a
 *   drop for that receiver, and the receiver tells its producer (429, RESOURCE_EXHAUSTED) when it
 *   can.
 * - Acknowledge after durability: `submit` resolves only once the sink has committed the events
 *   (and the checkpoint given with them).
 * - Backpressure from the store: while the sink is saturated the queue is not drained, so it fills
 *   and producers are refused instead of memory growing.
 */
import type { Alert } from './alert.js';
import type { ClockNs } from './clock.js';
import type { Detector } from './detector.js';
import type { RawEvent, SeerflowEvent, SourceType } from './event.js';

export interface PipelineSink {
  write(event: SeerflowEvent): void;
  writeAlert(alert: Alert): void;
  writeCheckpoint(key: string, value: string): void;
  readonly saturated: boolean;
  /** Resolves once everything written so far is durable. */
  whenDurable(): Promise<void>;
}

export type Normalize = (raw: RawEvent, nowNs: bigint) => SeerflowEvent;
export type EventListener = (event: SeerflowEvent) => void;

export interface ReceiverCounters {
  received: number;
  stored: number;
  dropped: number;
  truncated: number;
}

export interface PipelineOptions {
  queueMax: number;
  clock: ClockNs;
  /** Items normalized per turn of the event loop before yielding to I/O. */
  sliceSize?: number;
}

interface QueueItem {
  /** Absent for a checkpoint or acknowledgement that follows no new events. */
  raw?: RawEvent;
  checkpoint?: { key: string; value: string };
  done?: () => void;
}

export class Pipeline {
  readonly #normalize: Normalize;
  readonly #sink: PipelineSink;
  readonly #clock: ClockNs;
  readonly #queueMax: number;
  readonly #sliceSize: number;
  readonly #listeners: EventListener[] = [];
  readonly #detectors: Detector[] = [];
  readonly #detectorFailures = new Map<string, number>();
  readonly #counters = new Map<SourceType, ReceiverCounters>();
  #queue: QueueItem[] = [];
  #head = 0;
  #scheduled = false;
  #waitingForSink = false;
  #idleWaiters: Array<() => void> = [];
  #processed = 0;
  #failed = 0;
  #stopped = false;

  constructor(normalize: Normalize, sink: PipelineSink, options: PipelineOptions) {
    this.#normalize = normalize;
    this.#sink = sink;
    this.#clock = options.clock;
    this.#queueMax = options.queueMax;
    this.#sliceSize = options.sliceSize ?? 2000;
  }

  get queueDepth(): number {
    return this.#queue.length - this.#head;
  }

  get queueCapacity(): number {
    return this.#queueMax;
  }

  /** Events normalized since start. */
  get processed(): number {
    return this.#processed;
  }

  /** Normalizer or listener failures (the event is still stored, as a plain message if need be). */
  get failed(): number {
    return this.#failed;
  }

  /** Per receiver (source type) counters, created on first use. */
  counters(sourceType: SourceType): ReceiverCounters {
    let counters = this.#counters.get(sourceType);
    if (!counters) {
      counters = { received: 0, stored: 0, dropped: 0, truncated: 0 };
      this.#counters.set(sourceType, counters);
    }
    return counters;
  }

  allCounters(): Record<string, ReceiverCounters> {
    return Object.fromEntries(this.#counters);
  }

  onEvent(listener: EventListener): void {
    this.#listeners.push(listener);
  }

  /** Detectors run in registration order on every event, before it is stored. */
  addDetector(detector: Detector): void {
    this.#detectors.push(detector);
  }

  /** Events on which a detector threw, per detector (the event is still stored). */
  detectorFailures(): Record<string, number> {
    return Object.fromEntries(this.#detectorFailures);
  }

  /** Whether `n` more events fit in the queue now (for producers that can wait, like TCP). */
  hasRoom(n: number): boolean {
    return !this.#stopped && this.queueDepth + n <= this.#queueMax;
  }

  /** Fire-and-forget (UDP, TCP lines): false, and counted as dropped, when the queue is full. */
  offer(raw: RawEvent): boolean {
    return this.#enqueue([raw], undefined, undefined);
  }

  /**
   * All or nothing: `undefined` (all counted as dropped) when the queue lacks room for every
   * event; otherwise a promise that resolves once they, and `checkpoint`, are committed.
   */
  submit(raws: RawEvent[], checkpoint?: { key: string; value: string }): Promise<void> | undefined {
    let done!: () => void;
    const durable = new Promise<void>((resolve) => (done = resolve));
    return this.#enqueue(raws, checkpoint, done) ? durable : undefined;
  }

  /**
   * Refuse new input (counted as dropped) and resolve once what was accepted is durable: the
   * first step of shutting down.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.drain();
  }

  /** Resolves when the queue is empty and everything processed is durable. */
  async drain(): Promise<void> {
    while (this.queueDepth > 0 || this.#scheduled || this.#waitingForSink) {
      await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
    await this.#sink.whenDurable();
  }

  #enqueue(raws: RawEvent[], checkpoint: QueueItem['checkpoint'], done: QueueItem['done']): boolean {
    for (const raw of raws) this.counters(raw.sourceType).received++;
    if (!this.hasRoom(raws.length)) {
      for (const raw of raws) this.counters(raw.sourceType).dropped++;
      return false;
    }
    if (raws.length === 0) this.#queue.push({ checkpoint, done });
    raws.forEach((raw, i) => {
      const last = i === raws.length - 1;
      this.#queue.push(last ? { raw, checkpoint, done } : { raw });
    });
    this.#schedule();
    return true;
  }

  #schedule(): void {
    if (this.#scheduled || this.#waitingForSink) return;
    this.#scheduled = true;
    setImmediate(() => this.#runSlice());
  }

  #runSlice(): void {
    this.#scheduled = false;
    const stored = new Map<SourceType, number>();
    const end = Math.min(this.#queue.length, this.#head + this.#sliceSize);
    const nowNs = this.#clock();
    while (this.#head < end) {
      if (this.#sink.saturated) break;
      const item = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as never;
      if (item.raw) {
        this.#process(item.raw, nowNs);
        stored.set(item.raw.sourceType, (stored.get(item.raw.sourceType) ?? 0) + 1);
      }
      if (item.checkpoint) this.#sink.writeCheckpoint(item.checkpoint.key, item.checkpoint.value);
      if (item.done) void this.#sink.whenDurable().then(item.done);
    }
    if (stored.size > 0) {
      void this.#sink.whenDurable().then(() => {
        for (const [sourceType, n] of stored) this.counters(sourceType).stored += n;
      });
    }
    this.#compact();
    if (this.queueDepth > 0) {
      if (this.#sink.saturated) this.#waitForSink();
      else this.#schedule();
    } else {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  #process(raw: RawEvent, nowNs: bigint): void {
    if (raw.truncated) this.counters(raw.sourceType).truncated++;
    let event: SeerflowEvent;
    try {
      event = this.#normalize(raw, nowNs);
    } catch {
      // A normalizer bug must not lose the input: store it as a plain message.
      this.#failed++;
      event = this.#normalize({ ...raw, line: undefined, record: { message: raw.line ?? raw.record?.message ?? '' } }, nowNs);
    }
    this.#processed++;
    const raised: Alert[] = [];
    for (const detector of this.#detectors) {
      try {
        for (const alert of detector.process(event, raised)) {
          raised.push(alert);
          this.#sink.writeAlert(alert);
        }
      } catch {
        this.#detectorFailures.set(detector.name, (this.#detectorFailures.get(detector.name) ?? 0) + 1);
      }
    }
    this.#sink.write(event);
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#failed++;
      }
    }
  }

  #waitForSink(): void {
    this.#waitingForSink = true;
    void this.#sink.whenDurable().then(() => {
      this.#waitingForSink = false;
      this.#schedule();
    });
  }

  /** Drop consumed slots once they dominate the array, so the queue's memory stays bounded. */
  #compact(): void {
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }
}
