/**
 * The public types of {@link SSEClient}: its options, its messages and what its callbacks are
 * told. One file, so that a user's "go to definition" lands where every option is documented.
 */
import type { BodyOption, HeadersOption, RequestInitFields } from "../engine/request.js";
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import type { AuthOptions } from "./auth.js";
import type { RetryOptions } from "./retry-policy.js";

/** What {@link SSEClientOptions.onRetry} learns about a scheduled reconnection. */
export interface RetryInfo {
  /** The number of this reconnection among consecutive failed ones, from 1. */
  attempt: number;
  /**
   * How long the client waits before reconnecting, in ms. (A wait longer than `setTimeout`'s
   * limit, about 24.8 days, is cut to it.)
   */
  delay: number;
  /** Why: the error, or `"end"` when the server ended the stream cleanly. */
  cause: SSEError | "end";
}

/** What {@link SSEClientOptions.shouldRetry} is told besides the error. */
export interface RetryContext {
  /** The attempt number the reconnection would have. */
  attempt: number;
  /** What the client decided by itself. */
  retry: boolean;
}

/** The `share` option's object form; see {@link SSEClientOptions.share}. */
export interface ShareOptions {
  /**
   * The name of the shared stream: clients with the same key share one connection.
   * @defaultValue derived from the URL, the method and the request options that are plain values
   */
  key?: string;
}

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
  /** The event's own `id:` field; `undefined` when it had none (see {@link SSEMessage.id}). */
  id?: string | undefined;
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
  /**
   * The last event ID to resume from, sent as `Last-Event-ID` on the first connection. An ID
   * with a control character other than TAB (U+0001 to U+001F, U+007F) is never sent, from here
   * or from the server's `id:`: Node's and Chromium's `fetch` refuse it in a header, so the request
   * goes without `Last-Event-ID`, in every runtime alike.
   */
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
  /**
   * Drop and retry a connection whose response (status and headers) has not come this many ms
   * after the connection started (building the request included: your `headers`, `body` and
   * `auth.token` functions), with a {@link ConnectTimeoutError}, retried like a network error.
   * `0` turns it off. Without it, Node's `fetch` waits 5 minutes for the headers and browsers
   * wait as long as the TCP connection lives. 30 s is far more than an event-stream server needs
   * (it sends its headers when it accepts the stream, before any event), and leaves room for cold
   * starts and slow proxies. Once the headers came, only `idleTimeout` watches the stream.
   * @defaultValue 30_000
   */
  connectTimeout?: number;
  /**
   * In browsers, one connection for every client of this stream: across tabs, windows and in one
   * page, clients with the same key hold ONE connection (one tab's client connects, the others
   * get its messages), handed over with `Last-Event-ID` when that client closes. Needs
   * `import "ssekit/share"` once in the app (else a TypeError); where the platform lacks Web Locks
   * or `BroadcastChannel`, each client connects on its own. GET subscriptions only: with another
   * method, or `reconnectOnEnd: false`, or `pauseWhenHidden`, it is a TypeError.
   * See docs/sharing.md.
   * @defaultValue false
   */
  share?: boolean | ShareOptions;
  /** Aborting it closes the client, like {@link SSEClient.close}. */
  signal?: AbortSignal;
  /** The `fetch` to use. @defaultValue the global `fetch`, looked up at every connection */
  fetch?: typeof fetch;
  /**
   * The parser's limit for one line or one event's data (see {@link ParserOptions.maxEventSize}).
   * An event past it is skipped and reported to `onError` as a {@link ParseError}; the stream goes
   * on with the next event, on the same connection.
   * @defaultValue 134_217_728 (128 Mi UTF-16 code units)
   */
  maxEventSize?: number;
  /**
   * Parses each message's data: `"json"` for `JSON.parse`, or a function. A failure is reported to
   * `onError` as a {@link DataParseError} (holding the raw data), the message is skipped, and the
   * stream goes on.
   */
  parse?: ParseOption;
  /**
   * Overrides the retry decision for one error: return `true` to retry (after the usual delay), a
   * number to retry after that many ms, `false` to stop, or `undefined` to keep the client's own
   * decision (given as `context.retry`). A number that is not a delay (negative, `NaN`) ends the
   * client with a {@link CallbackError}.
   */
  shouldRetry?: (error: SSEError, context: RetryContext) => boolean | number | undefined;
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
  /**
   * The connection is open: a `2xx` event stream. Throwing rejects this response: the connection
   * is dropped and the {@link CallbackError} goes through the retry decision (fatal unless
   * `shouldRetry` says otherwise), like a response the client itself rejects.
   */
  onOpen?: (response: Response) => void;
  /**
   * Every message, whatever its event type, in stream order and before the listeners of its type;
   * with `onComment`, the whole stream in order (a `for await` loop gets messages a microtask
   * later, so only callbacks see comments and messages interleaved exactly).
   */
  onMessage?: (message: ClientMessage<unknown>) => void;
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

/** The `parse` option: `"json"`, or a function from the raw data (and message) to the data. */
export type ParseOption = "json" | ((data: string, message: SSEMessage) => unknown);

/**
 * The data types of a client's messages: the event map given as a type argument; without one,
 * `string`, or what `parse` makes: `unknown` for `"json"` (the server's JSON is not checked), the
 * function's return type for a function.
 */
export type DataMap<Events extends EventMap, Parse> = [Parse] extends [undefined]
  ? Events
  : [Record<string, string>] extends [Events]
    ? [Events] extends [Record<string, string>]
      ? [Parse] extends ["json"]
        ? Record<string, unknown>
        : [Parse] extends [(data: string, message: SSEMessage) => infer Data]
          ? Record<string, Data>
          : Events
      : Events
    : Events;

/** The callbacks and settings of {@link SSEClientOptions} that delivering messages uses. */
export type DeliveryOptions = Pick<
  SSEClientOptions,
  | "onOpen"
  | "onMessage"
  | "onError"
  | "onRetry"
  | "onClose"
  | "onComment"
  | "parse"
  | "highWaterMark"
  | "signal"
>;
