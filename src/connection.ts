/**
 * The connection engine: connect, read and parse, then reconnect or stop, until closed.
 *
 * This base class alone is the spec's EventSource processing model (HTML §9.2.3): a GET with
 * `Accept: text/event-stream`, "fail the connection" on any status but 200 or another content
 * type, "reestablish the connection" after network errors and the end of the stream, waiting the
 * fixed reconnection time. {@link ClientConnection} overrides its policy methods for
 * {@link SSEClient}; the loop, the read path and the teardown are the same code for both.
 */
import { isEventStream } from "./classify.js";
import { type ByteDecoder, StreamingDecoder } from "./decode.js";
import type { ParseError } from "./errors/parse-error.js";
import { SSEError } from "./errors/sse-error.js";
import { Parser, type SSEParser } from "./parse.js";
import {
  type BodyOption,
  baseRequest,
  type HeadersOption,
  type RequestInitFields,
} from "./request.js";
import { MAX_TIMER_DELAY } from "./retry-policy.js";
import type { SSEMessage } from "./types.js";

/** The state of a client: `connecting` includes waiting to reconnect. */
export type ReadyState = "connecting" | "open" | "closed";

/** What {@link SSEClientOptions.onRetry} learns about a scheduled reconnection. */
export interface RetryInfo {
  /** The number of this reconnection among consecutive failed ones, from 1. */
  attempt: number;
  /** How long the client waits before reconnecting, in ms. */
  delay: number;
  /** Why: the error, or `"end"` when the server ended the stream cleanly. */
  cause: SSEError | "end";
}

/**
 * How the engine tells its owner what happens. Called synchronously, in order. The base engine
 * tells only what `EventSource` needs; the client's engine tells more (see `ClientEvents`).
 */
export interface ConnectionEvents {
  open(response: Response): void;
  message(message: SSEMessage): void;
  /**
   * A reconnection is scheduled; the client's engine says which attempt and when, the base
   * engine (whose delay is always the reconnection time) passes nothing.
   */
  retry(info?: RetryInfo): void;
  /** The engine stopped: by `close()`, a fatal error (`error` set) or a clean end. */
  closed(error: SSEError | undefined): void;
  /** When it returns a promise, reading waits for it: the consumer is behind. */
  backpressure?(): Promise<void> | undefined;
}

/** What the base engine needs. */
export interface ConnectionSettings {
  url: string;
  method: string;
  headers: HeadersOption | undefined;
  body: BodyOption | undefined;
  init: RequestInitFields;
  fetch: typeof fetch | undefined;
  lastEventId?: string | undefined;
  maxEventSize?: number | undefined;
}

/** How one connection ended. */
export type Outcome =
  | { kind: "end" }
  | { kind: "close" }
  | { kind: "aborted" }
  | { kind: "unauthorized"; error: SSEError; epoch: number }
  // `error` is undefined where the base engine names none: EventSource's `error` events carry
  // nothing. The client's engine always names one (`_error`, its `_check`).
  | { kind: "error"; error: SSEError | undefined; retry: boolean; delay?: number };

/** Where a connection failed: building the request, connecting, or reading the body. */
export type FailureStage = "build" | "connect" | "read";

// Naming: `#x` members are this class's own; `_x` members are shared with the client's engine
// (protected) or read by the owner (`_state`). Both are internal and both come out short in a
// minified bundle: `#x` by any minifier, `_x` by our build (tsup.config.ts, mangleProps).
export class Connection {
  /** The state of the loop; `SSEClient.readyState`. */
  _state: ReadyState = "closed";
  // The client's engine keeps its own references to its settings and events.
  readonly #settings: ConnectionSettings;
  readonly #events: ConnectionEvents;
  readonly #parser: SSEParser;
  /** Identifies the current run of the loop; `close()` and `start()` bump it. */
  protected _run = 0;
  // `declare`: assigned later, so no class-field definition is emitted for them.
  /** The `retry:` field last received: the reconnection time from then on. */
  declare protected _serverRetry: number | undefined;
  /** Wakes the loop from a wait early. */
  declare protected _wake: (() => void) | undefined;
  /** The current connection's; `_stop()` aborts it as it bumps `_run`. */
  declare protected _controller: AbortController | undefined;
  /** The reader of the open stream, cancelled on abort (see {@link Connection.handleEvent}). */
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Set by a parser error; the connection ends with it. */
  #parseError: ParseError | undefined;

  constructor(settings: ConnectionSettings, events: ConnectionEvents) {
    this.#settings = settings;
    this.#events = events;
    // The connection is the parser's options object: its callbacks are methods, not closures.
    this.#parser = new Parser(this, this._decoder());
  }

  /**
   * How the parser decodes bytes: a plain streaming decoder here, the least code; the client
   * engine takes the faster `Utf8Decoder`. Called from the constructor.
   */
  protected _decoder(): new () => ByteDecoder {
    return StreamingDecoder;
  }

  /** Parser option: the limit of one line or one event. */
  get maxEventSize(): number | undefined {
    return this.#settings.maxEventSize;
  }

  /** Parser callback: an event. */
  onMessage(message: SSEMessage): void {
    this.#events.message(message);
  }

  /** Parser callback: the server's `retry:` field. */
  onRetry(ms: number): void {
    this._serverRetry = ms;
  }

  /** Parser callback: a limit was broken; the rest of the chunk is dropped, the connection fails. */
  onError(error: ParseError): void {
    this.#parseError = error;
    this.#parser.reset();
  }

  /**
   * The last event ID. Also the parser's option of that name, read while the parser is being
   * created, before there is a parser to ask.
   */
  get lastEventId(): string {
    return this.#parser?.lastEventId ?? this.#settings.lastEventId;
  }

  /** Starts connecting, unless already running. */
  start(): void {
    if (this._state !== "closed") return;
    this._state = "connecting";
    this.#loop(++this._run);
  }

  /** Stops everything at once: request, reader, timers, listeners. Idempotent. */
  close(): void {
    if (this._state !== "closed") this._stop(undefined);
  }

  protected _stop(error: SSEError | undefined): void {
    this._run++;
    this._state = "closed";
    this.#parser.reset();
    this._controller?.abort();
    this._controller = undefined;
    this._wake?.();
    this.#events.closed(error);
  }

  /** The abort of the current connection: cancel its reader (an object listener, no closure). */
  handleEvent(): void {
    this.#reader?.cancel().catch(() => {});
  }

  async #loop(run: number): Promise<void> {
    try {
      // Connecting starts a microtask later, as "in parallel" in the spec: the user's callbacks
      // (headers, body, token) never run inside the constructor or `connect()`, and a `close()`
      // right after construction sends nothing.
      await undefined;
      while (run === this._run) {
        const outcome = await this._connect(new AbortController());
        if (run !== this._run) return;
        this._state = "connecting";
        await this._next(outcome, run);
      }
    } catch (error) {
      // The loop handles every failure itself; reaching here is a bug in ssekit: say so loudly.
      if (run === this._run) this._stop(new SSEError("ssekit internal error", { cause: error }));
    }
  }

  /**
   * What follows an outcome: wait, then the loop reconnects; or stop. "Reestablish the connection"
   * on network errors and the end of the stream, waiting the reconnection time; otherwise "fail
   * the connection".
   */
  protected async _next(outcome: Outcome, _runId: number): Promise<void> {
    // (Only a subclass aborts without stopping, and it decides what follows.)
    if (outcome.kind === "end" || (outcome.kind === "error" && outcome.retry)) {
      // "Wait a delay equal to the reconnection time of the event source": fixed, no backoff.
      await this._wait(this._serverRetry ?? RECONNECTION_TIME);
    } else {
      this._stop("error" in outcome ? outcome.error : undefined);
    }
  }

  /**
   * Waits `ms` before reconnecting, announced by `events.retry(info)`; woken early through
   * `_wake`: by `close()`, by what `subscribe` listens to, or by a subclass (the client's, when a
   * hidden page becomes visible). The timer runs before the announcement, so that a
   * `close()` from the callback clears it.
   */
  protected _wait(
    ms: number,
    info?: RetryInfo,
    subscribe?: (wake: () => void) => () => void,
  ): Promise<void> {
    const sleeping = new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        unsubscribe?.();
        this._wake = undefined;
        resolve();
      };
      // Capped at setTimeout's limit: past it, timers fire at once (`retry: 3000000000`).
      const timer = setTimeout(done, Math.min(ms, MAX_TIMER_DELAY));
      const unsubscribe = subscribe?.(done);
      this._wake = done;
    });
    this.#events.retry(info);
    return sleeping;
  }

  /** Feeds a chunk of the body to the parser. */
  protected _feed(chunk: Uint8Array): void {
    this.#parser.feed(chunk);
  }

  /**
   * One connection: build the request, fetch, judge the response, announce the connection, read
   * the body to its end. Never rejects.
   *
   * While the stream is open only this function is suspended, and what it keeps alive is heap
   * paid per open connection. A suspended async function keeps all its variables, used again or
   * not (measured: about 0.6 KB per connection), so the request and the response are dropped
   * before reading.
   *
   * `_stop()` aborts the signal as it ends the run, so after every `await` here `signal.aborted`
   * alone tells whether to go on. A subclass may abort `controller` for reasons of its own
   * (the client's idle timeout): `_aborted()` turns the reason into the outcome.
   */
  protected async _connect(controller: AbortController): Promise<Outcome> {
    const { signal } = controller;
    const parser = this.#parser;
    const events = this.#events;
    const settings = this.#settings;
    this._controller = controller;
    this.#parseError = undefined;
    // A throw before the request is built is a user callback or a bad header (no retry); after
    // it, the network failed, while connecting or (with `reader`) while reading the body.
    let built = false;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      let init: RequestInit | undefined = await this._build(signal);
      if (signal.aborted) return this._aborted(signal);
      built = true;
      // Looked up at call time, so that msw and other patchers of the global fetch work.
      let response: Response | undefined = await (settings.fetch ?? globalThis.fetch)(
        settings.url,
        init,
      );
      init = undefined;
      if (!signal.aborted) {
        const verdict = await this._check(response, signal);
        if (verdict) return verdict;
      }
      // (Checked again: judging the response may take a while, and a `close()` may come in.)
      if (!signal.aborted) {
        // "Announce the connection", then "interpret res's body line by line".
        this._state = "open";
        events.open(response);
      }
      if (signal.aborted) {
        await cancel(response);
        return this._aborted(signal);
      }
      reader = (response.body as ReadableStream<Uint8Array>).getReader();
      response = undefined;
      // Wakes a pending read on close, also with a `fetch` (msw's, say) that ignores the signal.
      // Added once reading starts, after fetch's own listener: undici must see the abort first to
      // destroy the socket rather than finish the request quietly.
      this.#reader = reader;
      signal.addEventListener("abort", this);
      // Nothing of an earlier connection (partial line or character, undispatched event) carries over.
      parser.reset();
      for (;;) {
        const wait = events.backpressure?.();
        if (wait) await wait;
        if (signal.aborted) return this._aborted(signal);
        const { done, value } = await reader.read();
        if (signal.aborted) return this._aborted(signal);
        if (done) break;
        this._feed(value);
        if (this.#parseError) return { kind: "error", error: this.#parseError, retry: false };
      }
      // "Once the end of the file is reached, any pending data must be discarded."
      parser.end();
      return { kind: "end" };
    } catch (error) {
      if (signal.aborted) return this._aborted(signal);
      // Building the request failed (a user callback, a bad header): no retry. The network: retry
      // ("connect" also covers what judging the response throws, which our checks never do).
      const stage = !built ? "build" : reader ? "read" : "connect";
      return { kind: "error", error: this._error(error, stage), retry: built };
    } finally {
      signal.removeEventListener("abort", this);
      if (this.#reader === reader) this.#reader = undefined;
      // Releases the socket whatever happened (a no-op once the body was read to its end).
      controller.abort();
      if (this._controller === controller) this._controller = undefined;
    }
  }

  /** The error a failure is reported with: none here; the client's engine names it. */
  protected _error(_cause: unknown, _stage: FailureStage): SSEError | undefined {
    return undefined;
  }

  /** What an abort meant: here always our own `_stop()`; the client's engine has more reasons. */
  protected _aborted(_signal: AbortSignal): Outcome {
    return { kind: "aborted" };
  }

  /** Builds the request of one connection. */
  protected _build(signal: AbortSignal): Promise<RequestInit> {
    return baseRequest(this.#settings, this.lastEventId, signal);
  }

  /**
   * Judges a response: `undefined` opens the stream. "If res's status is not 200, or if res's
   * `Content-Type` is not `text/event-stream`, then fail the connection."
   */
  protected async _check(response: Response, _signal: AbortSignal): Promise<Outcome | undefined> {
    if (
      response.status === 200 &&
      isEventStream(response.headers.get("content-type")) &&
      response.body
    ) {
      return undefined;
    }
    await cancel(response);
    return { kind: "error", error: undefined, retry: false };
  }
}

/**
 * The reconnection time before the server sets one with `retry:`. The spec leaves it to the user
 * agent; 3 s is what Chromium and undici use. (The client's engine has its backoff instead.)
 */
const RECONNECTION_TIME = 3000;

/** Drops a response body we will not read, so its connection is freed. */
export async function cancel(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // The body is unwanted; failing to cancel it changes nothing for the caller.
  }
}
