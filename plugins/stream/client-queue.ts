/**
 * A bounded FIFO for one stream client: when it is full, a new item pushes out the oldest one and
 * the drop is counted (the original's `deque(maxlen=ws_queue_maxlen)`, reference §11.4). The
 * ring grows on demand up to its capacity, so an idle client with a large `ws_queue_maxlen` costs
 * almost nothing.
 */

const INITIAL_SLOTS = 16;

export class DropOldestQueue<T> {
  readonly capacity: number;
  #slots: Array<T | undefined> = [];
  #head = 0;
  #size = 0;
  #dropped = 0;

  /** @param capacity the most items held at once (≥ 1). */
  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`DropOldestQueue capacity must be an integer ≥ 1, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  get length(): number {
    return this.#size;
  }

  /** Items pushed out by newer ones since the queue was created. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Append `item`; returns false when that pushed out (dropped) the oldest item. */
  push(item: T): boolean {
    if (this.#size === this.capacity) {
      // Full: overwrite the oldest slot and move the head past it.
      this.#slots[this.#head] = item;
      this.#head = (this.#head + 1) % this.#slots.length;
      this.#dropped++;
      return false;
    }
    if (this.#size === this.#slots.length) this.#grow();
    this.#slots[(this.#head + this.#size) % this.#slots.length] = item;
    this.#size++;
    return true;
  }

  /** Remove and return up to `max` items, oldest first. */
  take(max: number): T[] {
    const n = Math.min(max, this.#size);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.#slots[this.#head] as T;
      this.#slots[this.#head] = undefined; // Let the item be collected.
      this.#head = (this.#head + 1) % this.#slots.length;
    }
    this.#size -= n;
    if (this.#size === 0) this.#head = 0;
    return out;
  }

  /** Forget every queued item (not counted as dropped). */
  clear(): void {
    this.#slots = [];
    this.#head = 0;
    this.#size = 0;
  }

  #grow(): void {
    const length = Math.min(this.capacity, Math.max(INITIAL_SLOTS, this.#slots.length * 2));
    const slots = new Array<T | undefined>(length);
    for (let i = 0; i < this.#size; i++) slots[i] = this.#slots[(this.#head + i) % this.#slots.length];
    this.#slots = slots;
    this.#head = 0;
  }
}
