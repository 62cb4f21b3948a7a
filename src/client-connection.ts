/**
 * The engine of {@link SSEClient}: the base {@link Connection} with the client's policy on top —
 * the status table, auth refresh, backoff with `Retry-After`, `maxAttempts`, `shouldRetry`, the
 * idle timeout, and the browser's online and visibility signals.
 */
import { type AuthOptions, refreshToken } from "./auth.js";
import { classifyStatus, isEventStream, RETRY_AFTER_STATUSES } from "./classify.js";
import {
  Connection,
  type ConnectionEvents,
  type ConnectionSettings,
  cancel,
  type FailureStage,
  type Outcome,
  type RetryInfo,
} from "./connection.js";
import type { ByteDecoder } from "./decode.js";
import { Utf8Decoder } from "./decode.js";
import { isHidden, isOffline, onOnline, onVisibilityChange } from "./environment.js";
import { CallbackError } from "./errors/callback-error.js";
import { ContentTypeError } from "./errors/content-type-error.js";
import { HttpError } from "./errors/http-error.js";
import { IdleTimeoutError } from "./errors/idle-timeout-error.js";
import { MissingBodyError } from "./errors/missing-body-error.js";
import { NetworkError } from "./errors/network-error.js";
import { RetriesExhaustedError } from "./errors/retries-exhausted-error.js";
import { SSEError } from "./errors/sse-error.js";
import { buildRequest } from "./request.js";
import {
  backoffDelay,
  MAX_TIMER_DELAY,
  parseRetryAfter,
  type ResolvedRetryOptions,
} from "./retry-policy.js";
import type { SSEMessage } from "./types.js";

/** What {@link SSEClientOptions.shouldRetry} is told besides the error. */
export interface RetryContext {
  /** The attempt number the reconnection would have. */
  attempt: number;
  /** What the client decided by itself. */
  retry: boolean;
}

/** What the client's engine tells besides what the base engine tells. */
export interface ClientEvents extends ConnectionEvents {
  retry(info: RetryInfo): void;
  comment(text: string): void;
  /** A failure the client retries after; a fatal one comes with `closed`. */
  error(error: SSEError): void;
}

/** The client's settings on top of the base engine's. */
export interface ClientConnectionSettings extends ConnectionSettings {
  auth: AuthOptions | undefined;
  /** The backoff schedule. */
  retry: ResolvedRetryOptions;
  /** `false` (the `retry: false` option): no reconnection unless `shouldRetry` asks for one. */
  reconnect: boolean;
  reconnectOnEnd: boolean;
  /** 0 turns it off. */
  idleTimeout: number;
  pauseWhenHidden: boolean;
  shouldRetry: ((error: SSEError, context: RetryContext) => boolean | undefined) | undefined;
}

export class ClientConnection extends Connection {
  readonly #settings: ClientConnectionSettings;
  readonly #events: ClientEvents;
  /** Consecutive failed connections; reset once a connection delivers an event. */
  #attempts = 0;
  /** The current connection delivered an event. */
  #delivered = false;
  /** The auth refresh epoch the current connection's request was built in. */
  #epoch = 0;
  /** When the last byte arrived, for the idle timeout. */
  #lastActivity = 0;
  /** The last connection was a 401 after which the token was refreshed. */
  #refreshed = false;
  #paused = false;
  #unsubscribeVisibility: (() => void) | undefined;

  constructor(settings: ClientConnectionSettings, events: ClientEvents) {
    super(settings, events);
    this.#settings = settings;
    this.#events = events;
  }

  override start(): void {
    if (this._state !== "closed") return;
    this.#attempts = 0;
    this.#refreshed = false;
    if (this.#settings.pauseWhenHidden) {
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
      // Close the connection while the page is hidden; `_connect` waits until it is visible.
      this.#paused = true;
      this._controller?.abort();
    } else if (this.#paused) {
      this.#paused = false;
      this._wake?.();
    }
  }

  /**
   * Waits while paused, then connects, watched for the idle timeout. Not itself async: a frame of
   * its own suspended for the whole connection would be heap paid per open connection.
   */
  protected override _connect(controller: AbortController): Promise<Outcome> {
    if (this.#settings.pauseWhenHidden && isHidden()) this.#paused = true;
    if (this.#paused) return this.#connectWhenVisible(controller);
    this.#delivered = false;
    this.#watch(controller);
    return super._connect(controller);
  }

  async #connectWhenVisible(controller: AbortController): Promise<Outcome> {
    const run = this._run;
    await this.#waitUntil(run, () => !this.#paused);
    if (run !== this._run) return { kind: "aborted" };
    // Returned, not awaited: this frame ends here.
    return this._connect(controller);
  }

  /** A failure's typed error: what the client reports to `onError` and ends `for await` with. */
  protected override _error(cause: unknown, stage: FailureStage): SSEError {
    if (stage !== "build") return new NetworkError(cause, stage === "read");
    return cause instanceof SSEError
      ? cause
      : new SSEError("Could not build the request", { cause });
  }

  /** An idle timeout aborts with its error as the reason: a failure to retry after. */
  protected override _aborted(signal: AbortSignal): Outcome {
    const reason: unknown = signal.reason;
    if (reason instanceof IdleTimeoutError) return { kind: "error", error: reason, retry: true };
    return super._aborted(signal);
  }

  override onMessage(message: SSEMessage): void {
    this.#delivered = true;
    super.onMessage(message);
  }

  /** Parser callback: a comment line (a heartbeat). */
  onComment(text: string): void {
    this.#events.comment(text);
  }

  /** Every chunk is activity, for the idle timeout. */
  protected override _feed(chunk: Uint8Array): void {
    if (this.#settings.idleTimeout > 0) this.#lastActivity = Date.now();
    super._feed(chunk);
  }

  /** The fast decoder: SSEClient is measured on throughput (docs/benchmarks.md). */
  protected override _decoder(): new () => ByteDecoder {
    return Utf8Decoder;
  }

  protected override async _build(signal: AbortSignal): Promise<RequestInit> {
    const { init, epoch } = await buildRequest(this.#settings, this.lastEventId, signal);
    this.#epoch = epoch;
    return init;
  }

  /**
   * The idle timeout: one timer per connection, re-armed from `lastActivity` when it fires, cleared
   * by the abort that ends every connection. It also covers waiting for the response headers.
   */
  #watch(controller: AbortController): void {
    const idle = this.#settings.idleTimeout;
    if (idle <= 0) return;
    const { signal } = controller;
    this.#lastActivity = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    const check = () => {
      const left = this.#lastActivity + idle - Date.now();
      if (left > 0) timer = setTimeout(check, left);
      else controller.abort(new IdleTimeoutError(idle));
    };
    timer = setTimeout(check, idle);
    signal.addEventListener("abort", () => clearTimeout(timer));
  }

  /** The status table of {@link classifyStatus}; any 2xx but 204 is a stream. */
  protected override async _check(
    response: Response,
    signal: AbortSignal,
  ): Promise<Outcome | undefined> {
    // The response arrived: activity, for the idle timeout.
    this.#lastActivity = Date.now();
    const { status } = response;
    if (status >= 200 && status < 300 && status !== 204) {
      if (!isEventStream(response.headers.get("content-type"))) {
        await cancel(response);
        return { kind: "error", error: new ContentTypeError(response), retry: false };
      }
      if (!response.body)
        return { kind: "error", error: new MissingBodyError(response), retry: false };
      return undefined;
    }
    const decision = classifyStatus(status);
    if (decision === "close") {
      await cancel(response);
      return { kind: "close" };
    }
    const error = new HttpError(response, await readSnippet(response, signal));
    if (status === 401 && this.#settings.auth?.refresh)
      return { kind: "unauthorized", error, epoch: this.#epoch };
    const outcome: Outcome = { kind: "error", error, retry: decision === "retry" };
    if (RETRY_AFTER_STATUSES.has(status)) {
      const delay = parseRetryAfter(response.headers.get("retry-after"));
      if (delay !== undefined) outcome.delay = delay;
    }
    return outcome;
  }

  protected override async _next(outcome: Outcome, run: number): Promise<void> {
    const settings = this.#settings;
    // A connection that delivered an event was a success: the backoff starts over.
    if (this.#delivered) this.#attempts = 0;
    let cause: SSEError | "end";
    let forcedDelay: number | undefined;
    switch (outcome.kind) {
      case "aborted":
        return; // Paused: `_connect` waits.
      case "close":
        this._stop(undefined);
        return;
      case "unauthorized":
        if (this.#refreshed) {
          this._stop(outcome.error);
          return;
        }
        try {
          await refreshToken(settings.auth as AuthOptions, outcome.epoch);
        } catch (error) {
          if (run === this._run) this._stop(new CallbackError("auth.refresh", error));
          return;
        }
        // Reconnect at once, without spending an attempt.
        this.#refreshed = true;
        return;
      case "end":
        this.#refreshed = false;
        if (!settings.reconnectOnEnd || !settings.reconnect) {
          this._stop(undefined);
          return;
        }
        cause = "end";
        break;
      case "error": {
        this.#refreshed = false;
        // Named by `_error`, `_check` or `_aborted` here, or by the parser: never undefined.
        const error = outcome.error as SSEError;
        let retry = outcome.retry && settings.reconnect;
        const override = settings.shouldRetry?.(error, {
          attempt: this.#attempts + 1,
          retry,
        });
        if (run !== this._run) return;
        if (override !== undefined) retry = override;
        if (!retry) {
          this._stop(error);
          return;
        }
        this.#events.error(error);
        if (run !== this._run) return;
        cause = error;
        forcedDelay = outcome.delay;
        break;
      }
    }
    return this.#schedule(run, cause, forcedDelay);
  }

  /** Backoff: waits before the next attempt, or stops when attempts ran out. */
  async #schedule(
    run: number,
    cause: SSEError | "end",
    forcedDelay: number | undefined,
  ): Promise<void> {
    const policy = this.#settings.retry;
    if (isOffline()) {
      // Offline: no attempt is spent; the `online` event reconnects at once.
      await this.#waitUntil(run, () => !isOffline(), true);
      return;
    }
    if (this.#attempts >= policy.maxAttempts) {
      const last = cause === "end" ? new SSEError("The server ended the stream") : cause;
      this._stop(new RetriesExhaustedError(this.#attempts, last));
      return;
    }
    const attempt = ++this.#attempts;
    const delay = Math.min(
      forcedDelay ?? backoffDelay(attempt, this._serverRetry ?? policy.initialDelay, policy),
      MAX_TIMER_DELAY,
    );
    // Woken early when the network comes back.
    return this._wait(delay, { attempt, delay, cause }, onOnline);
  }

  /** Waits until `ready()` holds, checked when woken (visibility) or on `online` events. */
  #waitUntil(run: number, ready: () => boolean, online = false): Promise<void> {
    if (run !== this._run || ready()) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (run === this._run && !ready()) return;
        unsubscribe();
        this._wake = undefined;
        resolve();
      };
      const unsubscribe = online ? onOnline(check) : () => {};
      this._wake = check;
    });
  }
}

/** Reads the start of an error response's body for {@link HttpError.body}, within a second. */
async function readSnippet(response: Response, signal: AbortSignal): Promise<string> {
  const body = response.body;
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let size = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  try {
    while (size < HttpError.MAX_BODY && !signal.aborted) {
      const result = await Promise.race([reader.read(), timeout]);
      if (!result || result.done) break;
      const chunk = result.value.subarray(0, HttpError.MAX_BODY - size);
      size += chunk.length;
      text += decoder.decode(chunk, { stream: true });
    }
  } catch {
    // A body that breaks off still leaves the status to report; keep what was read.
  } finally {
    clearTimeout(timer);
    reader.cancel().catch(() => {});
  }
  return text + decoder.decode();
}
