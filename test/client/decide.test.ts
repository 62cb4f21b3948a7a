/**
 * The reconnect decision (src/client/decide.ts) walked row by row: every row of its table, with
 * the inputs that select it and the decision it must give. No network, no timers: `decide` is a
 * function of its arguments (and of `shouldRetry`, stubbed here).
 */
import { describe, expect, it, vi } from "vitest";
import {
  BRIEF_CONNECTION,
  countBrief,
  type Decision,
  type DecisionSettings,
  type DecisionState,
  decide,
  MIN_BRIEF_DELAY,
} from "../../src/client/decide.js";
import { resolveRetryOptions } from "../../src/client/retry-policy.js";
import type { Outcome } from "../../src/engine/types.js";
import {
  CallbackError,
  ConnectTimeoutError,
  HttpError,
  IdleTimeoutError,
  NetworkError,
  ResponseInterruptedError,
  RetriesExhaustedError,
  SSEError,
} from "../../src/index.js";

const network = new NetworkError(new Error("ECONNRESET"), true);
const http = (status: number) => new HttpError(new Response(null, { status }), "");

const STATE: DecisionState = {
  attempts: 0,
  refreshed: false,
  serverRetry: undefined,
  offline: false,
  delivered: 0,
  lastEventId: "",
  brief: 0,
};
const SETTINGS: DecisionSettings = {
  // No jitter: delays are exact.
  retry: resolveRetryOptions({ initialDelay: 1000, maxDelay: 30_000, factor: 2, jitter: 0 }),
  reconnect: true,
  reconnectOnEnd: true,
  response: false,
  shouldRetry: undefined,
};

function run(
  outcome: Outcome,
  state: Partial<DecisionState> = {},
  settings: Partial<DecisionSettings> = {},
): Decision {
  return decide(outcome, { ...STATE, ...state }, { ...SETTINGS, ...settings }, () => 0);
}

/** The error a `stop` decision stops with, as the exhausted retries' error. */
function stopError(decision: Decision): RetriesExhaustedError {
  if (decision.do !== "stop") throw new Error(`expected stop, got ${decision.do}`);
  expect(decision.error).toBeInstanceOf(RetriesExhaustedError);
  return decision.error as RetriesExhaustedError;
}

const unauthorized: Outcome = { kind: "unauthorized", error: http(401), epoch: 3 };
const retryable: Outcome = { kind: "error", error: network, retry: true };
const fatal: Outcome = { kind: "error", error: http(404), retry: false };

describe("decide: one row of the table per test", () => {
  it.each<[string, Outcome, Partial<DecisionState>, Partial<DecisionSettings>, Decision]>([
    ["aborted (paused page) → now", { kind: "aborted" }, {}, {}, { do: "now" }],
    ["close (204) → stop, no error", { kind: "close" }, {}, {}, { do: "stop", error: undefined }],
    ["401 → refresh in its epoch", unauthorized, {}, {}, { do: "refresh", epoch: 3 }],
    [
      "401 right after a refresh → stop with the 401",
      unauthorized,
      { refreshed: true },
      {},
      { do: "stop", error: unauthorized.kind === "unauthorized" ? unauthorized.error : network },
    ],
    [
      "end with reconnectOnEnd: false → stop",
      { kind: "end" },
      {},
      { reconnectOnEnd: false },
      { do: "stop", error: undefined },
    ],
    [
      "end with retry: false → stop",
      { kind: "end" },
      {},
      { reconnect: false },
      { do: "stop", error: undefined },
    ],
    [
      "end → wait the initial delay",
      { kind: "end" },
      {},
      {},
      { do: "wait", delay: 1000, attempt: 1, cause: "end", report: undefined },
    ],
    ["fatal error → stop with it", fatal, {}, {}, { do: "stop", error: http(404) }],
    [
      "retryable error with retry: false → stop with it",
      retryable,
      {},
      { reconnect: false },
      { do: "stop", error: network },
    ],
    [
      "retryable error → report, wait the backoff",
      retryable,
      { attempts: 2 },
      {},
      { do: "wait", delay: 4000, attempt: 3, cause: network, report: network },
    ],
    [
      "retryable error, server sent retry: → backoff from it",
      retryable,
      { serverRetry: 100 },
      {},
      { do: "wait", delay: 100, attempt: 1, cause: network, report: network },
    ],
    [
      "backoff capped at maxDelay",
      retryable,
      { attempts: 20 },
      {},
      { do: "wait", delay: 30_000, attempt: 21, cause: network, report: network },
    ],
    [
      "Retry-After delay wins over backoff",
      { kind: "error", error: http(503), retry: true, delay: 120_000 },
      { attempts: 5 },
      {},
      { do: "wait", delay: 120_000, attempt: 6, cause: http(503), report: http(503) },
    ],
    [
      "end while offline → wait online, nothing reported",
      { kind: "end" },
      { offline: true },
      {},
      { do: "online", report: undefined },
    ],
    [
      "retryable error while offline → report, wait online",
      retryable,
      { offline: true, attempts: 9 },
      { retry: resolveRetryOptions({ maxAttempts: 1 }) },
      { do: "online", report: network },
    ],
  ])("%s", (_name, outcome, state, settings, want) => {
    expect(run(outcome, state, settings)).toEqual(want);
  });

  it("maxAttempts failed in a row → report, stop with RetriesExhaustedError", () => {
    const decision = run(
      retryable,
      { attempts: 3 },
      { retry: resolveRetryOptions({ maxAttempts: 3 }) },
    );
    expect(decision).toMatchObject({ do: "stop", report: network });
    const error = stopError(decision);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(3);
    expect(error.lastError).toBe(network);
  });

  it("maxAttempts reached after clean ends → stop, the last error says the stream ended", () => {
    const decision = run(
      { kind: "end" },
      { attempts: 1 },
      { retry: resolveRetryOptions({ maxAttempts: 1 }) },
    );
    expect(decision).toMatchObject({ do: "stop", report: undefined });
    const error = stopError(decision);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.lastError).toBeInstanceOf(SSEError);
    expect(error.lastError.message).toBe("The server ended the stream");
  });

  it("the jitter draws below the backoff delay, from the injected random source", () => {
    const settings = {
      ...SETTINGS,
      retry: resolveRetryOptions({ initialDelay: 1000, jitter: 0.5 }),
    };
    expect(decide(retryable, STATE, settings, () => 1)).toMatchObject({ delay: 500 });
    expect(decide(retryable, STATE, settings, () => 0)).toMatchObject({ delay: 1000 });
  });
});

describe("decide: a timeout is retried like a network error", () => {
  const connect = new ConnectTimeoutError(30_000);
  const idle = new IdleTimeoutError(45_000);
  it.each([
    ["connectTimeout", connect],
    ["idleTimeout", idle],
  ])("%s → report, wait the backoff", (_, error) => {
    expect(run({ kind: "error", error, retry: true }, { attempts: 1 })).toEqual({
      do: "wait",
      delay: 2000,
      attempt: 2,
      cause: error,
      report: error,
    });
  });

  it("connectTimeout of a response stream (POST): retried, as nothing was delivered", () => {
    const outcome: Outcome = { kind: "error", error: connect, retry: true };
    expect(run(outcome, {}, { response: true, reconnectOnEnd: false })).toMatchObject({
      do: "wait",
      report: connect,
    });
  });

  it("shouldRetry may stop on it", () => {
    const outcome: Outcome = { kind: "error", error: connect, retry: true };
    expect(run(outcome, {}, { shouldRetry: () => false })).toEqual({ do: "stop", error: connect });
  });
});

describe("decide: connections that end right after they open (brief) are backed off", () => {
  // The floor: the client's own backoff counted over the brief connections in a row, from
  // initialDelay (MIN_BRIEF_DELAY when it is 0), capped at maxDelay; the longer of it and the delay.
  it.each<[string, Outcome, Partial<DecisionState>, Partial<DecisionSettings>, number]>([
    [
      "retry: 0, 1st brief connection → initialDelay",
      { kind: "end" },
      { serverRetry: 0, brief: 1 },
      {},
      1000,
    ],
    [
      "retry: 0, 3rd brief connection in a row → initialDelay × 4",
      { kind: "end" },
      { serverRetry: 0, brief: 3 },
      {},
      4000,
    ],
    [
      "retry: 0, many brief connections → maxDelay",
      { kind: "end" },
      { serverRetry: 0, brief: 40 },
      {},
      30_000,
    ],
    [
      "retry: 0, a connection that lived (brief 0) → the server's 0 ms",
      { kind: "end" },
      { serverRetry: 0 },
      {},
      0,
    ],
    [
      "the server's retry: longer than the floor wins",
      { kind: "end" },
      { serverRetry: 5000, brief: 2 },
      {},
      5000,
    ],
    [
      "a retryable error after a brief connection → floored too",
      retryable,
      { serverRetry: 0, brief: 2 },
      {},
      2000,
    ],
    [
      "Retry-After: 0 after brief connections → floored",
      { kind: "error", error: http(503), retry: true, delay: 0 },
      { brief: 3 },
      {},
      4000,
    ],
    [
      `initialDelay: 0 → the floor starts at MIN_BRIEF_DELAY (${MIN_BRIEF_DELAY} ms)`,
      { kind: "end" },
      { serverRetry: 0, brief: 2 },
      { retry: resolveRetryOptions({ initialDelay: 0, jitter: 0 }) },
      MIN_BRIEF_DELAY * 2,
    ],
    [
      "initialDelay: 10 → the floor starts at 10 ms, the user's own choice",
      { kind: "end" },
      { serverRetry: 0, brief: 3 },
      { retry: resolveRetryOptions({ initialDelay: 10, jitter: 0 }) },
      40,
    ],
    [
      "maxDelay caps the floor (maxDelay: 4 in tests keeps them fast)",
      { kind: "end" },
      { serverRetry: 0, brief: 5 },
      { retry: resolveRetryOptions({ initialDelay: 1, maxDelay: 4, jitter: 0 }) },
      4,
    ],
    [
      "attempts past brief: the usual backoff, unchanged",
      retryable,
      { attempts: 3, brief: 1 },
      {},
      8000,
    ],
  ])("%s", (_name, outcome, state, settings, delay) => {
    expect(run(outcome, state, settings)).toMatchObject({ do: "wait", delay });
  });

  it("a delay from shouldRetry is the user's own: not floored", () => {
    expect(run(retryable, { brief: 5 }, { shouldRetry: () => 0 })).toMatchObject({
      do: "wait",
      delay: 0,
    });
  });

  it("the floor is jittered like any delay", () => {
    const settings = { ...SETTINGS, retry: resolveRetryOptions({ jitter: 0.5 }) };
    const state = { ...STATE, serverRetry: 0, brief: 2 };
    expect(decide({ kind: "end" }, state, settings, () => 1)).toMatchObject({ delay: 1000 });
    expect(decide({ kind: "end" }, state, settings, () => 0)).toMatchObject({ delay: 2000 });
  });

  it("countBrief: a connection that opened and ended within BRIEF_CONNECTION ms adds one", () => {
    expect(BRIEF_CONNECTION).toBe(1000);
    expect(countBrief(0, 0)).toBe(1);
    expect(countBrief(3, BRIEF_CONNECTION - 1)).toBe(4);
    expect(countBrief(3, BRIEF_CONNECTION)).toBe(0);
    // A connection that never opened (a refused connection, a 503) leaves the count as it was.
    expect(countBrief(3, undefined)).toBe(3);
  });
});

describe("decide: shouldRetry overrides the client's own choice for errors", () => {
  it("is told the error, the attempt it would be and the client's choice", () => {
    const shouldRetry = vi.fn(() => undefined);
    run(fatal, { attempts: 4 }, { shouldRetry });
    run(retryable, { attempts: 0 }, { shouldRetry, reconnect: false });
    expect(shouldRetry.mock.calls).toEqual([
      [http(404), { attempt: 5, retry: false }],
      [network, { attempt: 1, retry: false }],
    ]);
  });

  it("true retries a fatal error (and with retry: false)", () => {
    expect(run(fatal, {}, { shouldRetry: () => true, reconnect: false })).toEqual({
      do: "wait",
      delay: 1000,
      attempt: 1,
      cause: http(404),
      report: http(404),
    });
  });

  it("a number retries after that many ms, also a fatal error", () => {
    expect(run(fatal, { attempts: 1 }, { shouldRetry: () => 250 })).toEqual({
      do: "wait",
      delay: 250,
      attempt: 2,
      cause: http(404),
      report: http(404),
    });
    expect(run(retryable, {}, { shouldRetry: () => 0 })).toMatchObject({ do: "wait", delay: 0 });
  });

  it("a number that is no delay ends the client with a CallbackError", () => {
    for (const bad of [-1, Number.NaN]) {
      const decision = run(retryable, {}, { shouldRetry: () => bad });
      expect(decision).toMatchObject({ do: "stop" });
      const error = (decision as { error?: unknown }).error as CallbackError;
      expect(error).toBeInstanceOf(CallbackError);
      expect(error.option).toBe("shouldRetry");
    }
  });

  it("false stops on a retryable error", () => {
    expect(run(retryable, {}, { shouldRetry: () => false })).toEqual({
      do: "stop",
      error: network,
    });
  });

  it("undefined keeps the client's choice", () => {
    expect(run(retryable, {}, { shouldRetry: () => undefined })).toMatchObject({ do: "wait" });
    expect(run(fatal, {}, { shouldRetry: () => undefined })).toMatchObject({ do: "stop" });
  });

  it("is not asked about clean ends, 204, 401 or pauses", () => {
    const shouldRetry = vi.fn(() => false);
    for (const outcome of [
      { kind: "end" },
      { kind: "close" },
      unauthorized,
      { kind: "aborted" },
    ] as Outcome[]) {
      run(outcome, {}, { shouldRetry });
    }
    expect(shouldRetry).not.toHaveBeenCalled();
  });
});

describe("decide: a response stream (POST, or reconnectOnEnd: false) is never replayed", () => {
  const response = { response: true, reconnectOnEnd: false };

  it("a break before the first event is retried as for any stream", () => {
    expect(run(retryable, { delivered: 0 }, response)).toMatchObject({ do: "wait", attempt: 1 });
    expect(run({ kind: "error", error: http(503), retry: true }, {}, response)).toMatchObject({
      do: "wait",
    });
  });

  it("a break after events without an event ID stops with ResponseInterruptedError", () => {
    const decision = run(retryable, { delivered: 3 }, response);
    if (decision.do !== "stop") throw new Error(`expected stop, got ${decision.do}`);
    const error = decision.error as ResponseInterruptedError;
    expect(error).toBeInstanceOf(ResponseInterruptedError);
    expect(error.events).toBe(3);
    expect(error.cause).toBe(network);
    expect(error.message).toMatch(/broke off after 3 events and was not replayed/);
  });

  it("a break after events with an event ID resumes (Last-Event-ID)", () => {
    expect(run(retryable, { delivered: 3, lastEventId: "7" }, response)).toMatchObject({
      do: "wait",
      report: network,
    });
  });

  it("shouldRetry is told the client would not retry, and may still ask for a replay", () => {
    const shouldRetry = vi.fn(() => true);
    expect(
      run(retryable, { delivered: 2, attempts: 0 }, { ...response, shouldRetry }),
    ).toMatchObject({
      do: "wait",
    });
    expect(shouldRetry).toHaveBeenCalledWith(network, { attempt: 1, retry: false });
  });

  it("a fatal error stays that error; a subscription (GET) resumes without an ID", () => {
    expect(run(fatal, { delivered: 2 }, response)).toEqual({ do: "stop", error: http(404) });
    expect(run(retryable, { delivered: 2 })).toMatchObject({ do: "wait" });
  });

  it("a clean end of a response follows reconnectOnEnd", () => {
    expect(run({ kind: "end" }, { delivered: 5 }, response)).toEqual({
      do: "stop",
      error: undefined,
    });
  });
});
