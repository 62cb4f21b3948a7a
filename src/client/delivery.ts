/**
 * Delivering a client's messages: to the listeners of each event type and to every `for await`
 * loop, with backpressure on the read loop when a loop falls behind. It is also the sink of the
 * connection's events and the listener of the abort signal, so a client needs no closure per
 * callback (heap per idle connection is measured in `bench/client.ts`).
 */
import { DataParseError } from "../errors/data-parse-error.js";
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import type { ClientEvents } from "./client-connection.js";
import { MessageQueue, type QueueOwner } from "./message-queue.js";
import type { ClientMessage, DeliveryOptions, RetryInfo } from "./types.js";

type Listener = (message: ClientMessage<unknown>) => void;

/** What a delivery needs of its client. */
export interface DeliveryOwner {
  close(): void;
}

export class Delivery implements ClientEvents, QueueOwner<ClientMessage<unknown>> {
  /** How the last run ended: iterators made after it end the same way. */
  ended: { error: SSEError | undefined } | undefined;
  // Created on first use: a client with one listener and no loop pays for nothing else.
  #listeners: Map<string, Listener[]> | undefined;
  #queues: Set<MessageQueue<ClientMessage<unknown>>> | undefined;
  #drained: { promise: Promise<void>; resolve: () => void } | undefined;
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
    this.ended = undefined;
    this.#options.signal?.addEventListener("abort", this);
  }

  /** Adds a listener for one event type; returns the function that removes it. */
  on(type: string, listener: Listener): () => void {
    // Arrays replaced on change, not Sets: smaller, and a dispatch in progress keeps its snapshot.
    this.#listeners ??= new Map<string, Listener[]>();
    const listeners = this.#listeners;
    listeners.set(type, [...(listeners.get(type) ?? []), listener]);
    return () => {
      const current = listeners.get(type);
      const index = current ? current.indexOf(listener) : -1;
      if (!current || index === -1) return;
      if (current.length === 1) listeners.delete(type);
      else
        listeners.set(
          type,
          current.filter((_, i) => i !== index),
        );
    };
  }

  /** A new `for await` loop. */
  iterate(): MessageQueue<ClientMessage<unknown>> {
    const queue = new MessageQueue(this.#highWaterMark, this);
    if (this.ended) queue.end(this.ended.error, this.ended.error !== undefined);
    else {
      this.#queues ??= new Set();
      this.#queues.add(queue);
    }
    return queue;
  }

  /** The abort signal of the options fired: closing is what it means. */
  handleEvent(): void {
    this.#owner.close();
  }

  open(response: Response): void {
    invoke(this.#options.onOpen, response);
  }

  message(raw: SSEMessage): void {
    let message = raw as ClientMessage<unknown>;
    const parse = this.#parse;
    if (parse) {
      let data: unknown;
      try {
        data = parse(raw.data, raw);
      } catch (error) {
        invoke(this.#options.onError, new DataParseError(raw, error));
        return;
      }
      message = { type: raw.type, data, lastEventId: raw.lastEventId };
    }
    if (this.#queues) for (const queue of this.#queues) queue.push(message);
    const listeners = this.#listeners?.get(raw.type);
    if (!listeners) return;
    for (let i = 0; i < listeners.length; i++) {
      try {
        (listeners[i] as Listener)(message);
      } catch (error) {
        reportError(error);
      }
      // close() from a listener: nothing more is delivered, not even to the other listeners.
      if (this.ended) return;
    }
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
    if (error) invoke(this.#options.onError, error);
    invoke(this.#options.onClose, undefined);
  }

  backpressure(): Promise<void> | undefined {
    if (!this.#queues) return undefined;
    for (const queue of this.#queues) {
      if (queue.full) {
        if (!this.#drained) {
          let resolve!: () => void;
          const promise = new Promise<void>((r) => {
            resolve = r;
          });
          this.#drained = { promise, resolve };
        }
        return this.#drained.promise;
      }
    }
    return undefined;
  }

  pulled(): void {
    if (!this.#drained) return;
    if (this.#queues) for (const queue of this.#queues) if (queue.full) return;
    this.#resolveDrained();
  }

  returned(queue: MessageQueue<ClientMessage<unknown>>): void {
    this.#queues?.delete(queue);
    this.#owner.close();
  }

  #resolveDrained(): void {
    const drained = this.#drained;
    this.#drained = undefined;
    drained?.resolve();
  }
}

const parseJson = (data: string): unknown => JSON.parse(data);

/** Calls a user callback; what it throws is reported and never stops the stream. */
function invoke<T>(callback: ((arg: T) => void) | undefined, arg: T): void {
  if (!callback) return;
  try {
    callback(arg);
  } catch (error) {
    reportError(error);
  }
}

/**
 * Reports an exception thrown by a user callback without stopping the stream: to the platform's
 * `reportError` where there is one (browsers, Deno, workers), else thrown from a microtask, as
 * `EventTarget` does, so it is never swallowed.
 */
function reportError(error: unknown): void {
  const report = (globalThis as { reportError?: (error: unknown) => void }).reportError;
  if (typeof report === "function") report(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}
