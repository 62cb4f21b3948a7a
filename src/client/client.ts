import type { RequestInitFields } from "../engine/request.js";
import type { ReadyState } from "../engine/types.js";
import { ClientConnection } from "./client-connection.js";
import { Delivery } from "./delivery.js";
import { resolveRetryOptions } from "./retry-policy.js";
import type { ClientMessage, EventMap, MessageOf, SSEClientOptions } from "./types.js";

/**
 * A resilient Server-Sent Events client over `fetch`: any method and body, fresh headers and auth
 * per connection, resume with `Last-Event-ID`, backoff, typed errors, listeners and `for await`.
 *
 * @typeParam Events - event type → data type, when the `parse` option gives typed data.
 *
 * @example
 * ```ts
 * const client = new SSEClient("/api/chat", { method: "POST", body: { prompt }, parse: "json" });
 * for await (const message of client) console.log(message.data);
 * ```
 */
export class SSEClient<Events extends EventMap = Record<string, string>>
  implements AsyncIterable<MessageOf<Events>>
{
  /** The URL of the stream. */
  readonly url: string;
  readonly #connection: ClientConnection;
  readonly #delivery: Delivery;
  readonly #signal: AbortSignal | undefined;

  constructor(url: string | URL, options: SSEClientOptions = {}) {
    this.url = String(url);
    const method = (options.method ?? "GET").toUpperCase();
    if ((method === "GET" || method === "HEAD") && options.body != null) {
      throw new TypeError(`A ${method} request cannot have a body`);
    }
    if (options.lastEventId && /[\0\r\n]/.test(options.lastEventId)) {
      throw new TypeError("lastEventId cannot contain NUL, CR or LF");
    }
    const reconnectOnEnd = options.reconnectOnEnd ?? method === "GET";
    const retry = resolveRetryOptions(options.retry === false ? {} : options.retry);
    this.#signal = options.signal;
    this.#delivery = new Delivery(this, options);
    this.#connection = new ClientConnection(
      {
        url: this.url,
        method,
        headers: options.headers,
        body: options.body,
        auth: options.auth,
        init: pickInit(options),
        fetch: options.fetch,
        retry,
        reconnect: options.retry !== false,
        reconnectOnEnd,
        response: method !== "GET" || !reconnectOnEnd,
        idleTimeout: options.idleTimeout ?? 0,
        maxEventSize: options.maxEventSize,
        lastEventId: options.lastEventId ?? "",
        pauseWhenHidden: options.pauseWhenHidden ?? false,
        shouldRetry: options.shouldRetry,
      },
      this.#delivery,
    );
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
    if (this.#connection._state !== "closed") this.#connection.close();
    // Never started (start: false): still end the iterators waiting for it.
    else if (!this.#delivery.ended) this.#delivery.closed(undefined);
  }

  /**
   * Calls `listener` for every message of event type `type` (`"message"` for events without an
   * `event:` field). Returns the function that removes it.
   */
  on<K extends keyof Events & string>(
    type: K,
    listener: (message: ClientMessage<Events[K], K>) => void,
  ): () => void {
    return this.#delivery.on(type, listener as (message: ClientMessage<unknown>) => void);
  }

  /**
   * Yields every message, in order. The loop ends when the client closes, throws the error that
   * closed it, and `break` closes the client. Start iterating before awaiting anything else:
   * messages are delivered to the consumers present when they arrive.
   */
  [Symbol.asyncIterator](): AsyncIterator<MessageOf<Events>, undefined> {
    return this.#delivery.iterate() as AsyncIterator<MessageOf<Events>, undefined>;
  }
}

/** The `RequestInit` fields of the options; one shared empty object when there are none. */
function pickInit(options: SSEClientOptions): RequestInitFields {
  let init: Record<string, unknown> | undefined;
  for (const key of INIT_FIELDS) {
    if (options[key] === undefined) continue;
    init ??= {};
    init[key] = options[key];
  }
  return init ?? NO_INIT;
}

// Pure: bundlers drop it from builds that import only EventSource or the parser.
const NO_INIT: RequestInitFields = /* @__PURE__ */ Object.freeze({});

const INIT_FIELDS = [
  "cache",
  "credentials",
  "integrity",
  "keepalive",
  "mode",
  "redirect",
  "referrer",
  "referrerPolicy",
] as const satisfies readonly (keyof RequestInitFields)[];
