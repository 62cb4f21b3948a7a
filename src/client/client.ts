import type { ReadyState } from "../engine/types.js";
import { ClientConnection } from "./client-connection.js";
import { Delivery } from "./delivery.js";
import { resolveOptions, resolveURL } from "./options.js";
import { type ClientEngine, sharing } from "./share-hook.js";
import type {
  ClientMessage,
  DataMap,
  EventMap,
  MessageOf,
  ParseOption,
  SSEClientOptions,
} from "./types.js";

/**
 * A resilient Server-Sent Events client over `fetch`: any method and body, fresh headers and auth
 * per connection, resume with `Last-Event-ID`, backoff, typed errors, listeners and `for await`.
 *
 * @typeParam Events - event type → data type, when the `parse` option gives typed data. Without
 *   it, data is a `string`, `unknown` with `parse: "json"`, or what a `parse` function returns.
 * @typeParam Parse - the `parse` option, inferred from the options (not meant to be written).
 *
 * @example
 * ```ts
 * const client = new SSEClient("/api/chat", { method: "POST", body: { prompt }, parse: "json" });
 * for await (const message of client) console.log(message.data);
 * ```
 */
export class SSEClient<
  Events extends EventMap = Record<string, string>,
  Parse extends ParseOption | undefined = ParseOption | undefined,
> implements AsyncIterable<MessageOf<DataMap<Events, Parse>>>
{
  /** The URL of the stream. */
  readonly url: string;
  readonly #connection: ClientEngine;
  readonly #delivery: Delivery;
  readonly #signal: AbortSignal | undefined;

  /**
   * @throws TypeError or RangeError, naming the option, for an option that cannot work (a relative
   *   URL outside a page, a forbidden method, a header `fetch` rejects, a timeout that is not a
   *   number of ms, ...): before any request is sent.
   */
  constructor(
    url: string | URL,
    // `Parse | ParseOption`: inferred from a literal `parse`, any parse accepted with `Events` given.
    given: Omit<SSEClientOptions, "parse"> & { parse?: Parse | ParseOption } = {},
  ) {
    const options = given as SSEClientOptions;
    this.url = resolveURL(url);
    const settings = resolveOptions(this.url, options);
    const share = sharing(options, settings);
    this.#signal = options.signal;
    this.#delivery = new Delivery(this, options);
    this.#connection = share
      ? share(this.#delivery)
      : new ClientConnection(settings, this.#delivery);
    if (options.start !== false) this.connect();
  }

  /** `"connecting"` (also while waiting to reconnect), `"open"` or `"closed"`. */
  get readyState(): ReadyState {
    return this.#connection._state;
  }

  /** The last event ID: sent as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#connection.lastEventId;
  }

  /**
   * Starts connecting: needed only with `start: false`, or to start again after {@link close}.
   * Does nothing while connecting or open.
   */
  connect(): void {
    if (this.#signal?.aborted) {
      this.close();
      return;
    }
    if (this.#connection._state !== "closed") return;
    this.#delivery.start();
    this.#connection.start();
  }

  /**
   * Stops at once: aborts the request, ends every `for await` loop, and leaves no timer, socket,
   * reader or listener behind. No message is delivered after it, even when called from a listener.
   * Idempotent.
   */
  close(): void {
    this.#delivery.discard();
    if (this.#connection._state !== "closed") this.#connection.close();
    // Never started (start: false): still end the iterators waiting for it.
    else if (!this.#delivery.ended) this.#delivery.closed(undefined);
  }

  /**
   * Settles when the client closes: resolves after {@link SSEClient.close}, the signal or a clean
   * end of the stream, and rejects with the fatal error that closed it. Awaiting it (or handling
   * it) observes that error; a fatal error that neither this promise, `onError` nor a `for await`
   * loop observed is reported as the platform reports unhandled errors, never dropped silently.
   * After {@link SSEClient.connect} starts the client again, it is the new run's promise.
   */
  get closed(): Promise<void> {
    return this.#delivery.whenClosed();
  }

  /**
   * Calls `listener` for every message of event type `type` (`"message"` for events without an
   * `event:` field). Returns the function that removes it.
   */
  on<K extends keyof DataMap<Events, Parse> & string>(
    type: K,
    listener: (message: ClientMessage<DataMap<Events, Parse>[K], K>) => void,
  ): () => void {
    return this.#delivery.on(type, listener as (message: ClientMessage<unknown>) => void);
  }

  /**
   * Yields every message, in order. The loop ends when the client closes, throws the error that
   * closed it, and `break` closes the client. Messages that arrived before the first consumer
   * (a loop or a listener) are held for it, up to `highWaterMark` (then reading pauses), so an
   * `await` between `new SSEClient()` and the loop loses nothing.
   */
  [Symbol.asyncIterator](): AsyncIterator<MessageOf<DataMap<Events, Parse>>, undefined> {
    return this.#delivery.iterate() as AsyncIterator<MessageOf<DataMap<Events, Parse>>, undefined>;
  }
}
