/**
 * The connection engine: connect, read and parse, then reconnect or stop, until closed.
 *
 * This base class alone is the spec's EventSource processing model (HTML §9.2.3): a GET with
 * `Accept: text/event-stream`, "fail the connection" on any status but 200 or another content
 * type, "reestablish the connection" after network errors and the end of the stream, waiting the
 * fixed reconnection time. `EventSource` uses it as it is; the client's engine
 * (`client/client-connection.ts`) overrides the hooks below. The loop, the read path, the wait
 * and the teardown are this file's alone.
 *
 * The seam, in loop order. A subclass overrides only these; it reads the base's state
 * (`_state`, `_settings`, `_events`, `_serverRetry`, `_delivered`, `_lastRead`, `_live(run)`) and
 * changes it only through `_stop()`, `_abort()`, `_wake()` and `_wait()`:
 *
 * 1. `_ready(signal)`: a connection is due; it starts once the returned promise settles (an
 *    override may wait, and arm watches that end the connection by `_abort(reason)`: it gets the
 *    connection's signal, not its controller, so that every abort cancels the reader too).
 * 2. `_build(signal)`: the `RequestInit` of this connection (may call user callbacks).
 * 3. `_check(response, signal)`: judges the response: `undefined` opens the stream, an
 *    `Outcome` ends the connection.
 * 4. `_error(cause, stage)`: the outcome of a connection that failed (the base names no error).
 * 5. `_aborted(signal)`: what an abort of the connection meant, as an `Outcome`.
 * 6. `_next(outcome, run)`: what follows a connection: wait (the loop then reconnects) or stop.
 * 7. `_stop(error)`: the end of a run; an override releases its own resources, then calls super.
 *
 * A chunk's path: the loop's read → `Parser.feed` → this class's parser callbacks
 * ({@link ParserCallbacks}) → `ConnectionEvents.message` → the owner.
 */
import type { ParseError } from "../errors/parse-error.js";
import { SSEError } from "../errors/sse-error.js";
import type { ByteDecoder } from "../parser/decode.js";
import type { SSEMessage } from "../parser/message.js";
import { Parser, type SSEParser } from "../parser/parser.js";
import { baseRequest } from "./request.js";
import { isEventStream } from "./response.js";
import type {
  ConnectionEvents,
  ConnectionSettings,
  Failure,
  FailureStage,
  Outcome,
  ParserCallbacks,
  ReadyState,
} from "./types.js";
import { MAX_TIMER_DELAY } from "./wait.js";

/**
 * The reconnection time before the server sets one with `retry:`. The spec leaves it to the user
 * agent; 3 s is what Chromium and undici use. (The client's engine has its backoff instead.)
 */
const RECONNECTION_TIME = 3000;

// Naming: `#x` members are this class's own; `_x` members are the seam (protected) or read by the
// owner (`_state`). Both come out short in a minified bundle: `#x` by any minifier, `_x` by our
// build (tsup.config.ts, mangleProps).
export class Connection<
  Settings extends ConnectionSettings = ConnectionSettings,
  Events extends ConnectionEvents = ConnectionEvents,
> implements ParserCallbacks
{
  /** The state of the loop; `SSEClient.readyState`. Written by this class only. */
  _state: ReadyState = "closed";
  /** Read by a subclass too (with its own fields): one reference per connection, not two. */
  protected readonly _settings: Settings;
  protected readonly _events: Events;
  readonly #parser: SSEParser;
  /** Identifies the current run of the loop; `start()` and `_stop()` bump it. */
  #run = 0;
  // Read by the seam, written by this class only (test/architecture.test.ts checks it).
  /** The `retry:` field last received: the reconnection time from then on. */
  protected _serverRetry: number | undefined;
  /** How many events the current (or last) connection delivered. */
  protected _delivered = 0;
  /** When the current connection last received something: its response or a chunk (ms). */
  protected _lastRead = 0;
  /** Ends the current wait; with `force` (`_stop()`, the timer), whatever `ready` says. */
  #wake: ((force?: boolean) => void) | undefined;
  /** The current connection's; `_stop()` and `_abort()` abort it. */
  #controller: AbortController | undefined;
  /** The reader of the open stream, cancelled by `_abort()` (see there). */
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  /** Set by a parser error; the connection ends with it. */
  #parseError: ParseError | undefined;

  /** `Decoder`: how the parser decodes bytes (EventSource's is smaller, the client's faster). */
  constructor(settings: Settings, events: Events, Decoder: new () => ByteDecoder) {
    this._settings = settings;
    this._events = events;
    this.#parser = new Parser(this, Decoder);
  }

  /** The limit of one line or one event. */
  get maxEventSize(): number | undefined {
    return this._settings.maxEventSize;
  }

  /**
   * The last event ID. Also the parser's option of that name, read while the parser is being
   * created, before there is a parser to ask.
   */
  get lastEventId(): string {
    return this.#parser?.lastEventId ?? this._settings.lastEventId;
  }

  onMessage(message: SSEMessage): void {
    this._delivered++;
    this._events.message(message);
  }

  /** The server's `retry:` field. */
  onRetry(ms: number): void {
    this._serverRetry = ms;
  }

  /** A limit was broken; the rest of the chunk is dropped, the connection fails. */
  onError(error: ParseError): void {
    this.#parseError = error;
    this.#parser.reset();
  }

  /** Whether run `run` of the loop is still the current one (no `close()` since). */
  protected _live(run: number): boolean {
    return run === this.#run;
  }

  /** Starts connecting, unless already running. */
  start(): void {
    if (this._state !== "closed") return;
    this._state = "connecting";
    this.#loop(++this.#run);
  }

  /** Stops everything at once: request, reader, timers, listeners. Idempotent. */
  close(): void {
    if (this._state !== "closed") this._stop(undefined);
  }

  /** Ends the run: nothing of it is delivered afterwards; `events.closed` is told last. */
  protected _stop(error: SSEError | undefined): void {
    this.#run++;
    this._state = "closed";
    this.#parser.reset();
    this._abort();
    this.#wake?.(true);
    this._events.closed(error);
  }

  /**
   * Aborts the current connection, if any, with `reason`; its outcome is `_aborted()`'s. Then
   * cancels its reader, which wakes a pending read also with a `fetch` that ignores the signal
   * (msw's, say): after the abort, which undici must see first to destroy the socket. No listener
   * on the signal does it: that cost 64 B per open connection (bench/client-heap.ts).
   */
  protected _abort(reason?: unknown): void {
    this.#controller?.abort(reason);
    this.#controller = undefined;
    this.#reader?.cancel().catch(() => {});
  }

  /** Wakes the current wait: it ends if it has no `ready`, or once `ready()` holds. */
  protected _wake(): void {
    this.#wake?.(false);
  }

  /**
   * The engine's one wait: until `ms` have passed (`Infinity`: no timer), or until `_wake()` or
   * what `subscribe` listens to wakes it, or `_stop()` ends it. With `ready`, a wake-up ends the
   * wait only if `ready()` holds at that moment (and a wait whose `ready()` holds already does not
   * start). The timer is capped at setTimeout's limit, the one place the cap is applied; neither
   * the timer nor the subscription outlives the wait.
   */
  protected _wait(
    ms: number,
    ready?: () => boolean,
    subscribe?: (wake: () => void) => () => void,
  ): Promise<void> {
    if (ready?.()) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const end = (force?: boolean) => {
        if (!force && ready && !ready()) return;
        clearTimeout(timer);
        unsubscribe?.();
        this.#wake = undefined;
        resolve();
      };
      const timer =
        ms < Infinity ? setTimeout(end, Math.min(ms, MAX_TIMER_DELAY), true) : undefined;
      const unsubscribe = subscribe?.(() => end());
      this.#wake = end;
    });
  }

  /**
   * The loop: connections until the run ends. One frame for all of it: while a stream is open, it
   * is the only function suspended. A suspended async function costs its frame, its promise and
   * its `await`'s closures (about 0.4 KB per open connection, bench/client-heap.ts) and keeps all
   * its variables: the request and the response are dropped before reading, each chunk once parsed.
   *
   * `_stop()` aborts the signal as it ends the run, so after every `await` `signal.aborted` alone
   * tells whether to go on. A subclass may abort it for reasons of its own, through `_abort()`
   * (the client's timeouts, its pause): `_aborted()` turns the reason into the outcome.
   */
  async #loop(run: number): Promise<void> {
    const parser = this.#parser;
    try {
      // Connecting starts a microtask later, as "in parallel" in the spec: the user's callbacks
      // (headers, body, token) never run inside the constructor or `connect()`, and a `close()`
      // right after construction sends nothing.
      await undefined;
      while (run === this.#run) {
        const controller = new AbortController();
        const { signal } = controller;
        this.#controller = controller;
        this.#parseError = undefined;
        this._delivered = 0;
        let outcome: Outcome | undefined;
        let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
        // Until a reader takes its body: a connection that ends before then drops the body here,
        // however it ends (a rejected response, a throwing `onOpen`, an abort).
        let response: Response | undefined;
        let stage: FailureStage = "build";
        // `break connection` ends the connection (with no outcome: by an abort), as a `return`
        // would in a function of its own, which would be one more frame suspended.
        // biome-ignore lint/suspicious/noConfusingLabels: the exits of one connection, as returns.
        connection: try {
          await this._ready?.(signal);
          if (signal.aborted) break connection;
          let init: RequestInit | undefined = await this._build(signal);
          if (signal.aborted) break connection;
          stage = "connect";
          // Looked up at call time, so that msw and other patchers of the global fetch work.
          response = await (this._settings.fetch ?? fetch)(this._settings.url, init);
          init = undefined;
          this._lastRead = Date.now();
          if (!signal.aborted) outcome = await this._check(response, signal);
          if (outcome) break connection;
          // Checked again (judging the response takes a while, a `close()` may come in), then
          // "announce the connection", then "interpret res's body line by line".
          if (!signal.aborted) {
            this._state = "open";
            this._events.open(response);
          }
          if (signal.aborted) break connection;
          reader = (response.body as ReadableStream<Uint8Array>).getReader();
          response = undefined;
          stage = "read";
          // For `_abort()`, which cancels it.
          this.#reader = reader;
          // Nothing of an earlier connection (a partial line, an event) carries over.
          parser.reset();
          for (;;) {
            const wait = this._events.backpressure?.();
            if (wait) await wait;
            if (signal.aborted) break connection;
            let chunk: ReadableStreamReadResult<Uint8Array> | undefined = await reader.read();
            if (signal.aborted) break connection;
            if (chunk.done) break;
            this._lastRead = Date.now();
            parser.feed(chunk.value);
            chunk = undefined;
            const error = this.#parseError;
            if (error) {
              outcome = { kind: "error", error, retry: false };
              break connection;
            }
          }
          // "Once the end of the file is reached, any pending data must be discarded."
          parser.end();
          outcome = { kind: "end" };
        } catch (error) {
          if (!signal.aborted) outcome = this._error(error, stage);
        }
        // Every other way out has its outcome.
        outcome ??= this._aborted(signal);
        // Releases the socket and the body, unless `_abort()` did already (only it aborts).
        if (this.#controller === controller) this._abort();
        if (this.#reader === reader) this.#reader = undefined;
        // Drops a body no reader took: its connection is freed (a `fetch` may ignore the abort).
        response?.body?.cancel().catch(() => {});
        if (run !== this.#run) return;
        this._state = "connecting";
        await this._next(outcome, run);
      }
    } catch (error) {
      // The loop handles every failure itself; reaching here is a bug in ssekit: say so loudly.
      if (run === this.#run) this._stop(new SSEError("ssekit internal error", { cause: error }));
    }
  }

  /**
   * Hook 6: what follows an outcome. "Reestablish the connection" on network errors and the end
   * of the stream, waiting the reconnection time; otherwise "fail the connection".
   */
  protected async _next(outcome: Outcome, _run: number): Promise<void> {
    // (Only a subclass aborts without stopping, and it decides what follows.)
    if (outcome.kind === "end" || (outcome.kind === "error" && outcome.retry)) {
      // "Wait a delay equal to the reconnection time of the event source": fixed, no backoff.
      // The timer runs before the announcement, so that a `close()` from it clears the timer.
      const waiting = this._wait(this._serverRetry ?? RECONNECTION_TIME);
      this._events.retry();
      await waiting;
    } else {
      this._stop("error" in outcome ? outcome.error : undefined);
    }
  }

  /**
   * Hook 1: a connection is due; resolves once it may start (the client waits while paused, then
   * arms its timeouts). `signal` is the connection's, aborted when it ends. The base needs nothing.
   */
  protected _ready?(signal: AbortSignal): Promise<void>;

  /**
   * Hook 4: the outcome of a failure at `stage`: retried, unless building the request failed (a
   * user callback, a bad header). The base names no error; the client's engine does.
   */
  protected _error(_cause: unknown, stage: FailureStage): Failure {
    return { kind: "error", error: undefined, retry: stage !== "build" };
  }

  /** Hook 5: what an abort meant: here always our own `_stop()`; the client has more reasons. */
  protected _aborted(_signal: AbortSignal): Outcome {
    return { kind: "aborted" };
  }

  /** Hook 2: builds the request of one connection. */
  protected _build(signal: AbortSignal): Promise<RequestInit> {
    return baseRequest(this._settings, this.lastEventId, signal);
  }

  /**
   * Hook 3: judges a response: `undefined` opens the stream. "If res's status is not 200, or if
   * res's `Content-Type` is not `text/event-stream`, then fail the connection."
   */
  protected async _check(response: Response, _signal: AbortSignal): Promise<Outcome | undefined> {
    if (
      response.status === 200 &&
      isEventStream(response.headers.get("content-type")) &&
      response.body
    ) {
      return undefined;
    }
    return { kind: "error", error: undefined, retry: false };
  }
}
