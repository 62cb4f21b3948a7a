/**
 * Delivering a client's messages: to the listeners of each event type and to every `for await`
 * loop, with backpressure on the read loop when a loop falls behind. It is also the sink of the
 * connection's events and the listener of the abort signal, so a client needs no closure per
 * callback (heap per idle connection is measured in `bench/client.ts`).
 *
 * Nothing is lost for want of a consumer: messages that arrive while the client has neither a
 * listener nor a loop are held (up to `highWaterMark`, then reading pauses as for a slow loop) and
 * handed to the first consumer, in order. And no fatal error goes unseen: one that no `onError`,
 * loop or `closed` promise observed is reported as the platform reports unhandled errors.
 */
import { CallbackError } from "../errors/callback-error.js";
import { DataParseError } from "../errors/data-parse-error.js";
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import type { ClientEvents } from "./client-connection.js";
import { MessageQueue, type QueueOwner } from "./message-queue.js";
import { invoke, reportError } from "./report.js";
import type { ClientMessage, DeliveryOptions, RetryInfo } from "./types.js";

type Listener = (message: ClientMessage<unknown>) => void;
type Message = ClientMessage<unknown>;

/** What a delivery needs of its client. */
export interface DeliveryOwner {
  close(): void;
}

/** A promise with the functions that settle it. */
interface Settler {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class Delivery implements ClientEvents, QueueOwner<Message> {
  /** How the last run ended: iterators made after it end the same way. */
  ended: { error: SSEError | undefined } | undefined;
  /**
   * The listeners of `"message"`, the one type of most streams, kept out of the map: a client with
   * only those needs no Map (about 0.2 KB per client, bench/client-heap.ts).
   */
  #message: Listener[] | undefined;
  /** The listeners of every other type; created on first use. */
  #listeners: Map<string, Listener[]> | undefined;
  /** The loops' queues: an array replaced on change, like the listeners' (smaller than a Set). */
  #queues: MessageQueue<Message>[] | undefined;
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;
  /** Messages no consumer took yet; `#flush` is pending while listeners are to get them. */
  #held: Message[] | undefined;
  #flushing = false;
  /** Bumped by `discard()` (the user's `close()`): a dispatch in progress stops. */
  #epoch = 0;
  /** The `closed` promise of this run, made when first asked for. */
  #closed: Settler | undefined;
  readonly #owner: DeliveryOwner;
  readonly #options: DeliveryOptions;
  readonly #parse: ((data: string, message: SSEMessage) => unknown) | undefined;
  readonly #highWaterMark: number;

  constructor(owner: DeliveryOwner, options: DeliveryOptions) {
    this.#owner = owner;
    this.#options = options;
    const { parse } = options;
    this.#parse = parse === "json" ? parseJson : parse;
    this.#highWaterMark = Math.max(1, options.highWaterMark ?? 64);
    // Watched from the start, also before `connect()`; adding the same listener again is a no-op.
    options.signal?.addEventListener("abort", this);
  }

  /** A run of the client starts: iterators wait for its messages, the abort signal is watched. */
  start(): void {
    // A `closed` promise of the last run stays with it; the new run gets its own when asked.
    if (this.ended) this.#closed = undefined;
    this.ended = undefined;
    this.#options.signal?.addEventListener("abort", this);
  }

  /** Adds a listener for one event type; returns the function that removes it. */
  on(type: string, listener: Listener): () => void {
    // Arrays replaced on change, not Sets: smaller, and a dispatch in progress keeps its snapshot.
    // `concat` allocates the exact length; a spread reserved 17 slots (128 B per event type).
    this.#set(type, (this.#get(type) ?? []).concat(listener));
    // The first listener gets what was held, a microtask later (never inside `on()`), in order:
    // what arrives meanwhile is held behind it.
    if (this.#held && !this.#flushing) {
      this.#flushing = true;
      queueMicrotask(() => this.#flush());
    }
    return () => {
      const current = this.#get(type);
      const index = current ? current.indexOf(listener) : -1;
      if (!current || index === -1) return;
      this.#set(type, current.length === 1 ? undefined : current.filter((_, i) => i !== index));
    };
  }

  #get(type: string): Listener[] | undefined {
    return type === "message" ? this.#message : this.#listeners?.get(type);
  }

  /** Replaces the listeners of `type`; `undefined` when none is left. */
  #set(type: string, listeners: Listener[] | undefined): void {
    if (type === "message") this.#message = listeners;
    else if (listeners) {
      this.#listeners ??= new Map();
      this.#listeners.set(type, listeners);
    } else this.#listeners?.delete(type);
  }

  /** A new `for await` loop; the first one gets what was held. */
  iterate(): MessageQueue<Message> {
    const queue = new MessageQueue(this.#highWaterMark, this);
    const held = this.#held;
    if (held) {
      for (const message of held) queue.push(message);
      // Listeners about to be flushed still get them; else they are the loop's alone.
      if (!this.#flushing) this.#release();
    }
    if (this.ended) queue.end(this.ended.error, this.ended.error !== undefined);
    else {
      this.#queues = (this.#queues ?? []).concat(queue);
    }
    return queue;
  }

  /** The end of the current run: resolves on `close()` or a clean end, rejects with a fatal error. */
  whenClosed(): Promise<void> {
    if (!this.#closed) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      this.#closed = { promise, resolve, reject };
      const ended = this.ended;
      if (ended) this.#settle(ended.error);
    }
    return this.#closed.promise;
  }

  /** `close()` by the user: what was held is dropped with the run. */
  discard(): void {
    this.#epoch++;
    this.#flushing = false;
    this.#release();
  }

  /** The abort signal of the options fired: closing is what it means. */
  handleEvent(): void {
    this.#owner.close();
  }

  /** Throws a {@link CallbackError} when `onOpen` throws: the engine then rejects the response. */
  open(response: Response): void {
    try {
      this.#options.onOpen?.(response);
    } catch (error) {
      throw new CallbackError("onOpen", error);
    }
  }

  message(raw: SSEMessage): void {
    let message = raw as Message;
    const parse = this.#parse;
    if (parse) {
      let data: unknown;
      try {
        data = parse(raw.data, raw);
      } catch (error) {
        const failure = new DataParseError(raw, error);
        // A message that could not be parsed is lost: never silently.
        if (this.#options.onError) invoke(this.#options.onError, failure);
        else reportError(failure);
        return;
      }
      message = { type: raw.type, data, lastEventId: raw.lastEventId, id: raw.id };
    }
    if (this.#queues) for (const queue of this.#queues) queue.push(message);
    const { onMessage } = this.#options;
    if (onMessage) {
      const epoch = this.#epoch;
      invoke(onMessage, message);
      if (epoch !== this.#epoch) return;
    }
    if (
      this.#flushing ||
      (!onMessage && !this.#queues?.length && !this.#message && !this.#listeners?.size)
    ) {
      this.#held ??= [];
      this.#held.push(message);
      return;
    }
    this.#dispatch(message);
  }

  comment(text: string): void {
    invoke(this.#options.onComment, text);
  }

  error(error: SSEError): void {
    invoke(this.#options.onError, error);
  }

  retry(info: RetryInfo): void {
    invoke(this.#options.onRetry, info);
  }

  closed(error: SSEError | undefined): void {
    // The run is torn down before any callback: a `close()` from `onError` finds the client
    // closed already, and a `connect()` from it starts a new run that nothing here undoes.
    this.ended = { error };
    const queues = this.#queues;
    this.#queues = undefined;
    if (queues) for (const queue of queues) queue.end(error, error !== undefined);
    this.#resolveDrained();
    this.#options.signal?.removeEventListener("abort", this);
    const { onError } = this.#options;
    if (this.#closed) this.#settle(error);
    else if (error && !onError && !queues?.length) reportError(error);
    if (error) invoke(onError, error);
    invoke(this.#options.onClose, undefined);
  }

  backpressure(): Promise<void> | undefined {
    let full = (this.#held?.length ?? 0) >= this.#highWaterMark;
    if (!full && this.#queues) for (const queue of this.#queues) full ||= queue.full;
    if (!full) return undefined;
    if (!this.#drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => {
        resolve = r;
      });
      this.#drained = { promise, resolve };
    }
    return this.#drained.promise;
  }

  pulled(): void {
    if (!this.#drained || this.#held) return;
    if (this.#queues) for (const queue of this.#queues) if (queue.full) return;
    this.#resolveDrained();
  }

  returned(queue: MessageQueue<Message>): void {
    this.#queues = this.#queues?.filter((q) => q !== queue);
    this.#owner.close();
  }

  /** Calls the listeners of the message's type, in order; `close()` from one stops the rest. */
  #dispatch(message: Message): void {
    const listeners = this.#get(message.type);
    if (!listeners) return;
    const epoch = this.#epoch;
    for (let i = 0; i < listeners.length; i++) {
      // Through `invoke`, not a try/catch here: with one inside this loop, V8 compiled it one of
      // two ways from run to run, one twice as slow (18 or 36 ns per message, timed over 5
      // million; `npm run bench:client` measures `on()` per event).
      invoke(listeners[i], message);
      // close() from a listener: nothing more is delivered, not even to the other listeners.
      if (epoch !== this.#epoch) return;
    }
  }

  /** Hands the held messages to the listeners (the loops have them already). */
  #flush(): void {
    if (!this.#flushing) return;
    this.#flushing = false;
    const held = this.#held ?? [];
    this.#held = undefined;
    const epoch = this.#epoch;
    for (const message of held) {
      this.#dispatch(message);
      // close() from a listener drops the rest.
      if (epoch !== this.#epoch) return;
    }
    this.pulled();
  }

  #release(): void {
    this.#held = undefined;
    this.pulled();
  }

  #settle(error: SSEError | undefined): void {
    const closed = this.#closed as Settler;
    if (error) closed.reject(error);
    else closed.resolve();
  }

  #resolveDrained(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.resolve();
  }
}

const parseJson = (data: string): unknown => JSON.parse(data);
