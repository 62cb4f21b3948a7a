/** The types of the engine's seam: its settings, its events and how a connection ends. */
import type { SSEError } from "../errors/sse-error.js";
import type { SSEMessage } from "../parser/message.js";
import type { ParserOptions } from "../parser/parser.js";
import type { BodyOption, HeadersOption, RequestInitFields } from "./request.js";

/** The state of a client: `connecting` includes waiting to reconnect. */
export type ReadyState = "connecting" | "open" | "closed";

/**
 * How the engine tells its owner what happens. Called synchronously, in order. The base engine
 * tells only what `EventSource` needs; the client's engine tells more (`ClientEvents`).
 */
export interface ConnectionEvents {
  open(response: Response): void;
  message(message: SSEMessage): void;
  /** A reconnection is scheduled (the client's engine says which attempt and when). */
  retry(info?: unknown): void;
  /** The engine stopped: by `close()`, a fatal error (`error` set) or a clean end. */
  closed(error: SSEError | undefined): void;
  /** When it returns a promise, reading waits for it: the consumer is behind. */
  backpressure?(): Promise<void> | undefined;
}

/** What the base engine needs. */
export interface ConnectionSettings {
  /** Without credentials: they are in {@link ConnectionSettings.basic}. */
  url: string;
  /** `Authorization: Basic` for the credentials the URL had (see `splitCredentials`), if any. */
  basic?: string | undefined;
  method: string;
  headers: HeadersOption | undefined;
  body: BodyOption | undefined;
  init: RequestInitFields;
  fetch: typeof fetch | undefined;
  lastEventId?: string | undefined;
  maxEventSize?: number | undefined;
}

/**
 * The parser callbacks and options the engine implements: the engine is the parser's options
 * object, so a connection needs no closure per callback (heap per connection is measured).
 */
export type ParserCallbacks = Pick<
  ParserOptions,
  "onMessage" | "onRetry" | "onError" | "maxEventSize" | "lastEventId"
>;

/** How one connection ended. */
export type Outcome =
  | { kind: "end" }
  | { kind: "close" }
  | { kind: "aborted" }
  | { kind: "unauthorized"; error: SSEError; epoch: number }
  // `error` is undefined where the base engine names none: EventSource's `error` events carry
  // nothing. The client's engine always names one (its `_error`, `_check` and `_aborted`).
  | { kind: "error"; error: SSEError | undefined; retry: boolean; delay?: number };

/** The outcome of a failed connection: the one kind of {@link Outcome} that `_error` returns. */
export type Failure = Extract<Outcome, { kind: "error" }>;

/** Where a connection failed: building the request, connecting, or reading the body. */
export type FailureStage = "build" | "connect" | "read";
