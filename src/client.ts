import type { AuthOptions } from "./auth.js";
import { ClientConnection, type RetryContext } from "./client-connection.js";
import type { ReadyState, RetryInfo } from "./connection.js";
import { Delivery } from "./delivery.js";
import type { SSEError } from "./errors/sse-error.js";
import type { BodyOption, HeadersOption, RequestInitFields } from "./request.js";
import { type RetryOptions, resolveRetryOptions } from "./retry-policy.js";
import type { SSEMessage } from "./types.js";

/** Maps event types to the type of their (parsed) data, e.g. `{ delta: { content: string } }`. */
export type EventMap = Record<string, unknown>;

/** A message of event type `K`, with data typed by the event map. */
export interface ClientMessage<Data = string, Type extends string = string> {
  /** The event type (`"message"` when the server sent none). */
  type: Type;
  /** The data: the raw string, or what the `parse` option made of it. */
  data: Data;
  /** The last event ID at dispatch time; it persists across events and reconnections. */
  lastEventId: string;
}

/** The union of the messages an event map describes: what `for await` yields. */
export type MessageOf<Events extends EventMap> = {
  [K in keyof Events & string]: ClientMessage<Events[K], K>;
}[keyof Events & string];

/** Options of {@link SSEClient}. Functions are called for every (re)connection. */
export interface SSEClientOptions extends RequestInitFields {
  /** Connect in the constructor; with `false`, {@link SSEClient.connect} starts. @defaultValue true */
  start?: boolean;
  /** The HTTP method. @defaultValue "GET" */
  method?: string;
  /**
   * The request body: any `BodyInit`, or a plain object/array sent as JSON (with
   * `content-type: application/json` unless set), or a function returning one, called for every
   * connection (a stream body can be sent once only: pass a function to reconnect with one).
   */
  body?: BodyOption;
  /** Request headers, or a sync/async function returning them, called for every connection. */
  headers?: HeadersOption;
  /** Bearer-token auth with refresh on 401; see {@link AuthOptions}. */
  auth?: AuthOptions;
  /** The last event ID to resume from, sent as `Last-Event-ID` on the first connection. */
  lastEventId?: string;
  /** Reconnection backoff, or `false` to never reconnect. */
  retry?: RetryOptions | false;
  /**
   * Reconnect when the server ends the stream cleanly. The default suits each kind of stream: a
   * `GET` is a subscription and resumes, any other method (an LLM answer to a `POST`) is a response
   * that must not be replayed and closes.
   * @defaultValue `true` for GET, `false` otherwise
   */
  reconnectOnEnd?: boolean;
  /**
   * Drop and retry the connection when no byte at all (comments count) arrives for this many ms.
   * Off by default; with a server that sends a heartbeat comment every 15 s, 45_000 is a good
   * value (three missed heartbeats).
   * @defaultValue 0 (off)
   */
  idleTimeout?: number;
  /** Aborting it closes the client, like {@link SSEClient.close}. */
  signal?: AbortSignal;
  /** The `fetch` to use. @defaultValue the global `fetch`, looked up at every connection */
  fetch?: typeof fetch;
  /** The parser's limit for one line or one event's data; see {@link ParserOptions.maxEventSize}. */
  maxEventSize?: number;
  /**
   * Parses each message's data: `"json"` for `JSON.parse`, or a function. A failure is reported to
   * `onError` as a {@link DataParseError} (holding the raw data), the message is skipped, and the
   * stream goes on.
   */
  parse?: "json" | ((data: string, message: SSEMessage) => unknown);
  /**
   * Overrides the retry decision for one error: return `true` to retry, `false` to stop, or
   * `undefined` to keep the client's own decision (given as `context.retry`).
   */
  shouldRetry?: (error: SSEError, context: RetryContext) => boolean | undefined;
  /**
   * In browsers, close the connection while the page is hidden and resume (with `Last-Event-ID`)
   * when it is visible again. Off by default: many apps need updates in background tabs.
   * @defaultValue false
   */
  pauseWhenHidden?: boolean;
  /**
   * How many messages a `for await` loop may fall behind before the client stops reading the
   * network until it catches up.
   * @defaultValue 64
   */
  highWaterMark?: number;
  /** The connection is open: a `2xx` event stream. */
  onOpen?: (response: Response) => void;
  /**
   * Every error: transient ones (followed by `onRetry`) and the fatal one that ends the client
   * (then `readyState` is already `"closed"` and `onClose` follows).
   */
  onError?: (error: SSEError) => void;
  /** A reconnection is scheduled. */
  onRetry?: (info: RetryInfo) => void;
  /** The client closed: by {@link SSEClient.close}, the signal, a fatal error or the end of the stream. */
  onClose?: () => void;
  /** A comment line arrived (servers send them as heartbeats); the text after the colon. */
  onComment?: (comment: string) => void;
}

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
        reconnectOnEnd: options.reconnectOnEnd ?? method === "GET",
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
