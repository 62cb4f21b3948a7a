/**
 * The engine of {@link SSEClient}: the base engine (`engine/connection.ts`) with the client's hooks —
 * the status table, typed errors, the idle timeout and the browser's visibility — and the
 * carrying out of {@link decide}'s reconnect decision: auth refresh, backoff, waiting while
 * offline, stopping.
 */
import { Connection } from "../engine/connection.js";
import { isEventStream } from "../engine/response.js";
import type {
  ConnectionEvents,
  ConnectionSettings,
  Failure,
  FailureStage,
  Outcome,
} from "../engine/types.js";
import { CallbackError } from "../errors/callback-error.js";
import { ConnectTimeoutError } from "../errors/connect-timeout-error.js";
import { ContentTypeError } from "../errors/content-type-error.js";
import { HttpError } from "../errors/http-error.js";
import { IdleTimeoutError } from "../errors/idle-timeout-error.js";
import { MissingBodyError } from "../errors/missing-body-error.js";
import { NetworkError } from "../errors/network-error.js";
import type { ParseError } from "../errors/parse-error.js";
import { SSEError } from "../errors/sse-error.js";
import { Utf8Decoder } from "../parser/decode.js";
import { type AuthOptions, refreshToken } from "./auth.js";
import { classifyStatus, RETRY_AFTER_STATUSES } from "./classify.js";
import { countBrief, type DecisionSettings, decide } from "./decide.js";
import { isHidden, isOffline, onOnline, onVisibilityChange } from "./environment.js";
import { buildRequest } from "./request.js";
import { parseRetryAfter } from "./retry-policy.js";
import { readSnippet } from "./snippet.js";
import type { RetryInfo } from "./types.js";

/** What the client's engine tells besides what the base engine tells. */
export interface ClientEvents extends ConnectionEvents {
  comment(text: string): void;
  retry(info?: RetryInfo): void;
  /** A failure the client retries after; a fatal one comes with `closed`. */
  error(error: SSEError): void;
}

/** The client's settings on top of the base engine's. */
export interface ClientConnectionSettings extends ConnectionSettings, DecisionSettings {
  auth: AuthOptions | undefined;
  /** 0 turns it off. */
  idleTimeout: number;
  /** 0 turns it off. */
  connectTimeout: number;
  pauseWhenHidden: boolean;
}

export class ClientConnection extends Connection<ClientConnectionSettings, ClientEvents> {
  /** Consecutive failed connections; reset once a connection delivers an event. */
  #attempts = 0;
  /** The auth refresh epoch the current connection's request was built in. */
  #epoch = 0;
  /** A request was built once: a stream body is spent. */
  #built = false;
  /** The last connection was a 401 after which the token was refreshed. */
  #refreshed = false;
  #paused = false;
  /** Clears the current connection's connect timeout and its listener, until its response comes. */
  #connectDone: (() => void) | undefined;
  /** When the current connection opened (ms), if it did. */
  #opened: number | undefined;
  /** Brief connections in a row (see `countBrief` in decide.ts). */
  #brief = 0;
  #unsubscribeVisibility: (() => void) | undefined;

  constructor(settings: ClientConnectionSettings, events: ClientEvents) {
    // The fast decoder: SSEClient is measured on throughput (docs/benchmarks.md).
    super(settings, events, Utf8Decoder);
  }

  override start(): void {
    if (this._state !== "closed") return;
    this.#attempts = 0;
    this.#brief = 0;
    this.#refreshed = false;
    if (this._settings.pauseWhenHidden) {
      this.#unsubscribeVisibility = onVisibilityChange(() => this.#visibilityChanged());
    }
    super.start();
  }

  protected override _stop(error: SSEError | undefined): void {
    this.#paused = false;
    this.#unsubscribeVisibility?.();
    this.#unsubscribeVisibility = undefined;
    super._stop(error);
  }

  #visibilityChanged(): void {
    if (isHidden()) {
      if (this.#paused) return;
      // Close the connection while the page is hidden; `_ready` waits until it is visible.
      this.#paused = true;
      this._abort();
    } else if (this.#paused) {
      this.#paused = false;
      this._wake();
    }
  }

  /**
   * Hook 1: waits while paused (hidden, with `pauseWhenHidden`), then arms the connect and idle
   * timeouts of the connection whose signal is `signal`.
   */
  protected override async _ready(signal: AbortSignal): Promise<void> {
    for (;;) {
      if (this._settings.pauseWhenHidden && isHidden()) this.#paused = true;
      if (!this.#paused) break;
      await this._wait(Number.POSITIVE_INFINITY, () => !this.#paused);
      // Stopped while waiting: `_stop()` aborted this connection.
      if (signal.aborted) return;
    }
    this.#opened = undefined;
    this.#watch(signal);
  }

  /**
   * The connect timeout, until the response comes (`_check` clears it), and the idle timeout: one
   * timer per connection, re-armed from the last read when it fires (it also covers waiting for
   * the headers). The abort that ends every connection clears both.
   */
  #watch(signal: AbortSignal): void {
    const { idleTimeout: idle, connectTimeout } = this._settings;
    if (connectTimeout > 0) {
      const connect = setTimeout(
        () => this._abort(new ConnectTimeoutError(connectTimeout)),
        connectTimeout,
      );
      // Dropped with the timer once the response comes: an open stream holds neither (about
      // 0.3 KB per idle connection, bench/client-heap.ts).
      const clear = () => {
        clearTimeout(connect);
        signal.removeEventListener("abort", clear);
      };
      signal.addEventListener("abort", clear);
      this.#connectDone = clear;
    }
    if (idle <= 0) return;
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const left = this._lastRead + idle - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else this._abort(new IdleTimeoutError(idle));
    };
    timer = setTimeout(check, idle);
    signal.addEventListener("abort", () => clearTimeout(timer));
  }

  /**
   * Parser callback: an event broke `maxEventSize`. The parser has discarded it (up to the next
   * blank line) and goes on; the client reports it and keeps the connection, where the base
   * fails it: reconnecting would only download the same event again.
   */
  override onError(error: ParseError): void {
    this._events.error(error);
  }

  /** Parser callback, besides the base's: a comment line (a heartbeat), told as it is. */
  onComment(text: string): void {
    this._events.comment(text);
  }

  /** Hook 2: the request with the client's additions; remembers its auth refresh epoch. */
  protected override async _build(signal: AbortSignal): Promise<RequestInit> {
    const settings = this._settings;
    const { body } = settings;
    if (this.#built && typeof ReadableStream !== "undefined" && body instanceof ReadableStream) {
      throw new SSEError(
        "options.body is a ReadableStream, which can be sent only once: to reconnect, pass a function that returns a new body",
      );
    }
    this.#built = true;
    const { init, epoch } = await buildRequest(settings, this.lastEventId, signal);
    this.#epoch = epoch;
    // A request `fetch` refuses to build (a forbidden header from a `headers` function, a bad
    // `RequestInit` field) fails here, fatally, not as a network error retried forever.
    if (typeof Request === "function")
      new Request(settings.url, { ...init, body: null, signal: null });
    return init;
  }

  /** Hook 3: the status table of {@link classifyStatus}; any 2xx but 204 is a stream. */
  protected override async _check(
    response: Response,
    signal: AbortSignal,
  ): Promise<Outcome | undefined> {
    this.#connectDone?.();
    this.#connectDone = undefined;
    const { status } = response;
    if (status >= 200 && status < 300 && status !== 204) {
      if (!isEventStream(response.headers.get("content-type")))
        return { kind: "error", error: new ContentTypeError(response), retry: false };
      if (!response.body)
        return { kind: "error", error: new MissingBodyError(response), retry: false };
      this.#opened = Date.now();
      return undefined;
    }
    const decision = classifyStatus(status);
    if (decision === "close") return { kind: "close" };
    const error = new HttpError(response, await readSnippet(response, signal));
    if (status === 401 && this._settings.auth?.refresh)
      return { kind: "unauthorized", error, epoch: this.#epoch };
    const outcome: Outcome = { kind: "error", error, retry: decision === "retry" };
    if (RETRY_AFTER_STATUSES.has(status)) {
      const delay = parseRetryAfter(response.headers.get("retry-after"));
      if (delay !== undefined) outcome.delay = delay;
    }
    return outcome;
  }

  /**
   * Hook 4: the base's outcome (the network is retried, building the request is not), with the
   * typed error `onError` hears and `for await` ends with. An SSEError is ours whatever the stage
   * (a failed `onOpen`, a spent body): no retry unless `shouldRetry` says so.
   */
  protected override _error(cause: unknown, stage: FailureStage): Failure {
    if (cause instanceof SSEError) return { kind: "error", error: cause, retry: false };
    const error =
      stage === "build"
        ? new SSEError(
            `Could not build the request: ${cause instanceof Error ? cause.message : String(cause)}`,
            { cause },
          )
        : new NetworkError(cause, stage === "read");
    return { ...super._error(cause, stage), error };
  }

  /** Hook 5: a timeout aborts with its error as the reason: a failure to retry after. */
  protected override _aborted(signal: AbortSignal): Outcome {
    const reason: unknown = signal.reason;
    if (reason instanceof IdleTimeoutError || reason instanceof ConnectTimeoutError)
      return { kind: "error", error: reason, retry: true };
    return super._aborted(signal);
  }

  /** Hook 6: carries out {@link decide}'s decision. */
  protected override async _next(outcome: Outcome, run: number): Promise<void> {
    // A connection that delivered an event was a success: the count of failures starts over.
    if (this._delivered > 0) this.#attempts = 0;
    if (outcome.kind === "end" || outcome.kind === "error") {
      const opened = this.#opened;
      this.#brief = countBrief(this.#brief, opened === undefined ? undefined : Date.now() - opened);
    }
    const decision = decide(
      outcome,
      {
        attempts: this.#attempts,
        refreshed: this.#refreshed,
        serverRetry: this._serverRetry,
        offline: isOffline(),
        delivered: this._delivered,
        lastEventId: this.lastEventId,
        brief: this.#brief,
      },
      this._settings,
    );
    // `shouldRetry` may have closed the client, and `onError` may close it.
    if (!this._live(run)) return;
    if (decision.do !== "now") this.#refreshed = decision.do === "refresh";
    if ("report" in decision && decision.report) {
      this._events.error(decision.report);
      if (!this._live(run)) return;
    }
    switch (decision.do) {
      case "stop":
        this._stop(decision.error);
        return;
      case "refresh":
        try {
          await refreshToken(this._settings.auth as AuthOptions, decision.epoch);
        } catch (error) {
          if (this._live(run)) this._stop(new CallbackError("auth.refresh", error));
        }
        return;
      case "online":
        await this._wait(Number.POSITIVE_INFINITY, () => !isOffline(), onOnline);
        return;
      case "wait": {
        const { delay, attempt, cause } = decision;
        this.#attempts = attempt;
        // Woken early when the network comes back. The timer runs before the announcement, so
        // that a `close()` from `onRetry` clears it.
        const waiting = this._wait(delay, undefined, onOnline);
        this._events.retry({ attempt, delay, cause });
        return waiting;
      }
      case "now":
        return;
    }
  }
}
