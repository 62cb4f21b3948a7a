/**
 * The buffer behind one `for await` loop over a client. It tells the read loop when it is full, so
 * a slow consumer stops the client from reading the network (TCP backpressure then reaches the
 * server) instead of queueing without bound.
 */
/** Who a queue reports to: the read loop may resume, or the consumer stopped early. */
export interface QueueOwner<T> {
  /** The consumer took a message. */
  pulled(): void;
  /** The consumer stopped early (`break`). */
  returned(queue: MessageQueue<T>): void;
}

/**
 * One message's step of a loop: made by `new`, not as an object literal. V8 may decide to allocate
 * what a literal makes in the old generation once it sees many of them survive a GC (allocation-
 * site pretenuring), and in about 1 process in 10 it did so for these: each step then pointed at
 * a young message, every scavenge promoted the messages, and `for await` cost about 1.3 µs per
 * event instead of 0.7 (`npm run bench:client`; test/client/young-steps.test.ts).
 * V8 never pretenures objects made by `new`. (The price, measured but not explained: about 80 ns
 * more per event in the usual mode, against 600 in the slow one.)
 */
class Step<T> implements IteratorYieldResult<T> {
  readonly done = false;
  constructor(readonly value: T) {}
}

export class MessageQueue<T> implements AsyncIterator<T, undefined> {
  private buffer: T[] = [];
  private head = 0;
  /** The pending `next()`'s resolve. (A rejection goes through it too: one function kept, not two.) */
  private waiting:
    | ((result: IteratorResult<T, undefined> | Promise<IteratorResult<T, undefined>>) => void)
    | undefined;
  private ended = false;
  private error: unknown;
  private failed = false;

  /**
   * @param highWaterMark - how many messages may wait before {@link MessageQueue.full} says so.
   * @param owner - told when the consumer takes a message or stops early.
   */
  constructor(
    private readonly highWaterMark: number,
    private readonly owner: QueueOwner<T>,
  ) {}

  /** Whether the consumer is behind by `highWaterMark` messages or more. */
  get full(): boolean {
    return this.buffer.length - this.head >= this.highWaterMark;
  }

  push(value: T): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting(new Step(value));
    } else {
      this.buffer.push(value);
    }
  }

  /** Ends the queue: the consumer gets what is buffered, then the end (or `error`, if given). */
  end(error?: unknown, failed = false): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    this.failed = failed;
    if (this.waiting) this.settleWaiting();
  }

  next(): Promise<IteratorResult<T, undefined>> {
    if (this.head < this.buffer.length) {
      const value = this.buffer[this.head] as T;
      this.buffer[this.head++] = undefined as T;
      if (this.head === this.buffer.length) {
        this.buffer = [];
        this.head = 0;
      }
      this.owner.pulled();
      return Promise.resolve(new Step(value));
    }
    if (this.ended) return this.finish();
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.owner.pulled();
    });
  }

  return(): Promise<IteratorResult<T, undefined>> {
    const wasEnded = this.ended;
    this.ended = true;
    this.failed = false;
    this.buffer = [];
    this.head = 0;
    if (!wasEnded) this.owner.returned(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  private finish(): Promise<IteratorResult<T, undefined>> {
    if (this.failed) {
      // The error is thrown once; the iterator is done afterwards.
      this.failed = false;
      return Promise.reject(this.error);
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  private settleWaiting(): void {
    const resolve = this.waiting;
    this.waiting = undefined;
    // Resolved with `finish()`'s rejected promise, the pending `next()` rejects.
    resolve?.(this.failed ? this.finish() : { value: undefined, done: true });
  }
}
