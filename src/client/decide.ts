/**
 * The client's reconnect decision: one function from how a connection ended to what the engine
 * does next. The engine (`client-connection.ts`) only carries the decision out; the table below is
 * the whole policy, and test/client/decide.test.ts walks it row by row.
 *
 * | outcome | condition | decision |
 * |---|---|---|
 * | aborted (the page was hidden) | | `now`: the next connection waits until it is visible |
 * | close (204) | | `stop` |
 * | unauthorized (401 with `auth.refresh`) | the last connection was refreshed already | `stop` with the 401 |
 * | unauthorized | otherwise | `refresh`, then reconnect at once (no attempt spent) |
 * | end (clean end of the stream) | `reconnectOnEnd: false` or `retry: false` | `stop` |
 * | error | not retryable (status table, `retry: false`), unless `shouldRetry` says otherwise | `stop` with the error |
 * | error | a timeout (`ConnectTimeoutError`, `IdleTimeoutError`): retryable, as a network error | as below |
 * | error | `shouldRetry` returned a number of ms | as below, with that delay |
 * | retryable error of a response stream | it delivered events and no event ID was given, unless `shouldRetry` says otherwise | `stop` with {@link ResponseInterruptedError}: never replayed |
 * | end or retryable error | offline | `online`: wait for the network, no attempt spent |
 * | end or retryable error | `maxAttempts` failed in a row | `stop` with {@link RetriesExhaustedError} |
 * | end or retryable error | otherwise | `wait`: `Retry-After`, else backoff from the server's `retry:` or `initialDelay` |
 * | end or retryable error | after `brief` brief connections in a row | `wait` as above, but at least the brief floor (unless `shouldRetry` gave the delay) |
 *
 * **Brief connections.** A connection is brief when it opened (a `2xx` event stream) and ended
 * less than {@link BRIEF_CONNECTION} ms later. A server that accepts, sends an event and drops,
 * with `retry: 0` or `Retry-After: 0`, would otherwise be reconnected to at once, forever: each
 * connection delivered an event, so the attempt count starts over and the server's delay is 0
 * (measured: about 550 connections a second). So while connections keep being brief, the wait is
 * at least the client's own backoff counted over them: `initialDelay` (or
 * {@link MIN_BRIEF_DELAY} when it is 0) × `factor`^(brief − 1), capped at `maxDelay` and jittered. The server
 * can lengthen the wait, never shorten it below that floor; one connection that lives
 * {@link BRIEF_CONNECTION} ms resets it. A delay from `shouldRetry` is the user's and is not
 * floored; `maxDelay` caps the floor (only `maxDelay: 0` lets the client reconnect at once).
 *
 * Retryable errors are reported (`report`) before the engine acts, the fatal one by `stop`.
 *
 * A response stream is one whose request is not a subscription: any method but `GET`, or
 * `reconnectOnEnd: false`. Sending its request again produces a new response (a second LLM
 * answer), not the rest of the first, so once it delivered events it is resumed only with an
 * event ID (`Last-Event-ID`); before its first event, retrying is safe and happens as for any stream.
 */

import type { Outcome } from "../engine/types.js";
import { CallbackError } from "../errors/callback-error.js";
import { ResponseInterruptedError } from "../errors/response-interrupted-error.js";
import { RetriesExhaustedError } from "../errors/retries-exhausted-error.js";
import { SSEError } from "../errors/sse-error.js";
import { backoffDelay, type ResolvedRetryOptions } from "./retry-policy.js";
import type { RetryContext } from "./types.js";

/** A connection that opened and ended sooner than this (ms) is brief. */
export const BRIEF_CONNECTION = 1000;

/** The first step of the brief floor when `initialDelay` is 0, in ms. */
export const MIN_BRIEF_DELAY = 100;

/**
 * The count of brief connections in a row after one that lived `lived` ms after it opened
 * (`undefined`: it never opened, as a refused connection or a 503, and leaves the count).
 */
export function countBrief(brief: number, lived: number | undefined): number {
  if (lived === undefined) return brief;
  return lived < BRIEF_CONNECTION ? brief + 1 : 0;
}

/** What the engine does next. */
export type Decision =
  /** Stop with `error` (none: a clean stop); `report` is told first. */
  | { do: "stop"; error: SSEError | undefined; report?: SSEError | undefined }
  /** Refresh the token of a 401 to a request built in refresh epoch `epoch`, then reconnect. */
  | { do: "refresh"; epoch: number }
  /** Report `report`, announce the attempt, wait `delay` ms (woken by `online`), reconnect. */
  | {
      do: "wait";
      delay: number;
      attempt: number;
      cause: SSEError | "end";
      report: SSEError | undefined;
    }
  /** Report `report`, then wait until the network is back and reconnect. */
  | { do: "online"; report: SSEError | undefined }
  /** Reconnect at once. */
  | { do: "now" };

/** What the engine knows when a connection ends. */
export interface DecisionState {
  /** Consecutive failed connections before this one; 0 once a connection delivered an event. */
  attempts: number;
  /** The connection before this one was a 401 after which the token was refreshed. */
  refreshed: boolean;
  /** The server's `retry:` field, if it sent one. */
  serverRetry: number | undefined;
  /** The platform says there is no network (`navigator.onLine === false`). */
  offline: boolean;
  /** How many events the connection that ended delivered. */
  delivered: number;
  /** The last event ID: empty when the server never gave one. */
  lastEventId: string;
  /** Brief connections in a row, the one that ended included (see {@link countBrief}). */
  brief: number;
}

/** The client's settings the decision reads. */
export interface DecisionSettings {
  /** The backoff schedule. */
  retry: ResolvedRetryOptions;
  /** `false` (the `retry: false` option): no reconnection unless `shouldRetry` asks for one. */
  reconnect: boolean;
  reconnectOnEnd: boolean;
  /** A response stream (any method but GET, or `reconnectOnEnd: false`): never replayed. */
  response: boolean;
  shouldRetry:
    | ((error: SSEError, context: RetryContext) => boolean | number | undefined)
    | undefined;
}

/**
 * Decides what follows `outcome`. A function of its arguments, but for the user's `shouldRetry`
 * (which it calls, and which may close the client: the engine checks afterwards) and the random
 * jitter of the backoff (`random`, injectable).
 */
export function decide(
  outcome: Outcome,
  state: DecisionState,
  settings: DecisionSettings,
  random: () => number = Math.random,
): Decision {
  let cause: SSEError | "end";
  let delay: number | undefined;
  // A delay the user's `shouldRetry` chose: not floored.
  let chosen = false;
  switch (outcome.kind) {
    case "aborted":
      return { do: "now" };
    case "close":
      return { do: "stop", error: undefined };
    case "unauthorized":
      return state.refreshed
        ? { do: "stop", error: outcome.error }
        : { do: "refresh", epoch: outcome.epoch };
    case "end":
      if (!settings.reconnectOnEnd || !settings.reconnect) return { do: "stop", error: undefined };
      cause = "end";
      break;
    case "error": {
      // Named by the client's `_error`, `_check` or `_aborted`, or by the parser: never undefined.
      const error = outcome.error as SSEError;
      // A response that delivered events and cannot be resumed would be replayed from its start.
      const replay = settings.response && state.delivered > 0 && state.lastEventId === "";
      const retryable = outcome.retry && settings.reconnect;
      const retry = retryable && !replay;
      const override = settings.shouldRetry?.(error, { attempt: state.attempts + 1, retry });
      delay = outcome.delay;
      // A number: retry after that many ms.
      if (typeof override === "number") {
        if (!(override >= 0)) {
          const problem = new RangeError(`shouldRetry returned ${override}, not a delay in ms`);
          return { do: "stop", error: new CallbackError("shouldRetry", problem) };
        }
        delay = override;
        chosen = true;
      } else if (!(override ?? retry)) {
        return {
          do: "stop",
          error: retryable && replay ? new ResponseInterruptedError(state.delivered, error) : error,
        };
      }
      cause = error;
      break;
    }
  }
  const report = cause === "end" ? undefined : cause;
  // Offline: no attempt is spent; the `online` event reconnects at once.
  if (state.offline) return { do: "online", report };
  const policy = settings.retry;
  if (state.attempts >= policy.maxAttempts) {
    const last = report ?? new SSEError("The server ended the stream");
    return { do: "stop", error: new RetriesExhaustedError(state.attempts, last), report };
  }
  const attempt = state.attempts + 1;
  delay ??= backoffDelay(attempt, state.serverRetry ?? policy.initialDelay, policy, random);
  if (state.brief > 0 && !chosen) {
    const base = policy.initialDelay || MIN_BRIEF_DELAY;
    delay = Math.max(delay, backoffDelay(state.brief, base, policy, random));
  }
  return { do: "wait", delay, attempt, cause, report };
}
