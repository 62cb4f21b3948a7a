/**
 * The reconnection schedule through the real SSEClient, with fake timers and a fake `fetch` that
 * answers with hand-built Responses (no network): growth by factor, cap, jitter bounds, the
 * server's `retry:` field, Retry-After, when the attempt counter resets, maxAttempts, and that the
 * next request really waits for the delay to pass.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HttpError, NetworkError, RetriesExhaustedError, SSEError } from "../../src/index.js";
import { utf8 } from "../fixtures/bytes.js";
import { fakeClients } from "../fixtures/fake-client.js";
import { advance, settle, startFakeClock } from "../fixtures/fake-clock.js";
import { fakeFetch, sseResponse, statusResponse } from "../fixtures/fake-fetch.js";
import { SSE_CONTENT_TYPE } from "../fixtures/sse-heads.js";

const clients = fakeClients("http://sse.test/stream");
const start = clients.start;

beforeEach(() => {
  startFakeClock();
});

afterEach(() => {
  clients.closeAll();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("growth and cap", () => {
  it("delays grow by the factor from initialDelay and stop at maxDelay", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const h = start(fetch, {
      retry: { initialDelay: 1000, factor: 2, maxDelay: 10_000, jitter: 0 },
    });
    await settle();
    const expected = [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000];
    for (const [i, delay] of expected.entries()) {
      expect(calls).toHaveLength(i + 1);
      expect(h.retries).toHaveLength(i + 1);
      expect(h.retries[i]).toMatchObject({ attempt: i + 1, delay });
      await advance(delay);
    }
    expect(h.retries.map((r) => r.delay).slice(0, expected.length)).toEqual(expected);
    // Each request went out exactly one delay after the one before.
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
    expect(gaps).toEqual(expected.slice(0, gaps.length));
  });

  it("uses the documented defaults: 1000 ms, factor 2, cap 30 s", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { fetch } = fakeFetch(statusResponse(500));
    const h = start(fetch);
    await settle();
    for (let i = 0; i < 7; i++) await advance(h.retries[i]?.delay ?? 0);
    expect(h.retries.map((r) => r.delay)).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("factor 3 grows by 3", async () => {
    const { fetch } = fakeFetch(statusResponse(502));
    const h = start(fetch, { retry: { initialDelay: 100, factor: 3, jitter: 0 } });
    await settle();
    for (let i = 0; i < 3; i++) await advance(h.retries[i]?.delay ?? 0);
    expect(h.retries.map((r) => r.delay)).toEqual([100, 300, 900, 2700]);
  });

  it("onRetry reports the error as the cause, after onError got it", async () => {
    const { fetch } = fakeFetch(statusResponse(503));
    const order: string[] = [];
    const h = start(fetch, {
      retry: { jitter: 0 },
      onError: (e) => order.push(`error ${(e as HttpError).status}`),
      onRetry: (r) => order.push(`retry ${r.attempt}`),
    });
    await settle();
    expect(order).toEqual(["error 503", "retry 1"]);
    expect(h.client.readyState).toBe("connecting");
  });

  it("a rejected fetch is a NetworkError and is retried on the same schedule", async () => {
    const { fetch, calls } = fakeFetch(new TypeError("fetch failed"));
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    await advance(1000);
    await advance(2000);
    expect(calls).toHaveLength(3);
    expect(h.retries.map((r) => r.delay)).toEqual([1000, 2000, 4000]);
    const cause = h.retries[0]?.cause;
    expect(cause).toBeInstanceOf(NetworkError);
    expect((cause as NetworkError).duringStream).toBe(false);
    expect((cause as NetworkError).cause).toBeInstanceOf(TypeError);
  });
});

describe("jitter", () => {
  it("random() = 0 gives the full delay", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0);
    const { fetch } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { jitter: 0.5 } });
    await settle();
    for (let i = 0; i < 3; i++) await advance(h.retries[i]?.delay ?? 0);
    expect(h.retries.map((r) => r.delay)).toEqual([1000, 2000, 4000, 8000]);
  });

  it("random() -> 1 gives delay × (1 − jitter)", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1 - Number.EPSILON);
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { jitter: 0.5 } });
    await settle();
    for (let i = 0; i < 3; i++) await advance(h.retries[i]?.delay ?? 0);
    expect(h.retries.map((r) => r.delay)).toEqual([500, 1000, 2000, 4000]);
    expect(calls).toHaveLength(4);
  });

  it("with jitter 0.25 the shortest delay is 3/4", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1 - Number.EPSILON);
    const { fetch } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { jitter: 0.25, initialDelay: 4000 } });
    await settle();
    expect(h.retries[0]?.delay).toBe(3000);
  });

  it("with the real Math.random every delay stays in [d/2, d] (default jitter 0.5)", async () => {
    const { fetch } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { maxDelay: 8000 } });
    await settle();
    for (let i = 0; i < 12; i++) await advance(h.retries[i]?.delay ?? 0);
    expect(h.retries).toHaveLength(13);
    for (const { attempt, delay } of h.retries) {
      const d = Math.min(8000, 1000 * 2 ** (attempt - 1));
      expect(delay).toBeGreaterThanOrEqual(d / 2);
      expect(delay).toBeLessThanOrEqual(d);
    }
  });

  it("the jittered delay is the one actually waited", async () => {
    vi.spyOn(Math, "random").mockReturnValue(0.5);
    const { fetch, calls } = fakeFetch(statusResponse(503));
    start(fetch, { retry: { jitter: 0.5, initialDelay: 1000 } });
    await settle();
    await advance(749);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
  });
});

describe("the server's retry: field", () => {
  it("replaces the base delay (a stream that sends retry: 5000 then ends)", async () => {
    const { fetch, calls } = fakeFetch(sseResponse("retry: 5000\n\n"));
    const h = start(fetch, { retry: { initialDelay: 1000, maxDelay: 60_000, jitter: 0 } });
    await settle();
    expect(h.retries[0]).toEqual({ attempt: 1, delay: 5000, cause: "end" });
    await advance(4999);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
    // No message was delivered: the counter keeps growing from the new base.
    expect(h.retries[1]).toEqual({ attempt: 2, delay: 10_000, cause: "end" });
  });

  it("stays in force for later failures of other kinds", async () => {
    const { fetch } = fakeFetch(sseResponse("retry: 300\n\n"), statusResponse(503));
    // initialDelay below 300: the stream ended at once (a brief connection), and the server's
    // delay may lengthen the client's own backoff, never shorten it (decide.ts).
    const h = start(fetch, { retry: { initialDelay: 100, jitter: 0 } });
    await settle();
    await advance(300);
    expect(h.retries.map((r) => r.delay)).toEqual([300, 600]);
    expect(h.retries[1]?.cause).toBeInstanceOf(HttpError);
  });

  it("is still capped by maxDelay", async () => {
    const { fetch } = fakeFetch(sseResponse("retry: 50000\n\n"));
    const h = start(fetch, { retry: { maxDelay: 20_000, jitter: 0 } });
    await settle();
    expect(h.retries[0]?.delay).toBe(20_000);
  });

  it("with a message: attempt 1 every time, at the server's delay", async () => {
    const { fetch, calls } = fakeFetch(sseResponse("retry: 2500\ndata: x\n\n"));
    // These connections are brief (they end at once): the floor is the client's own backoff over
    // them, 500, 1000, 2000 ms, still below the server's 2500 (test/client/spin.test.ts goes on).
    const h = start(fetch, { retry: { initialDelay: 500, jitter: 0 } });
    await settle();
    await advance(2500);
    await advance(2500);
    expect(calls).toHaveLength(3);
    expect(h.retries.map((r) => [r.attempt, r.delay])).toEqual([
      [1, 2500],
      [1, 2500],
      [1, 2500],
    ]);
  });
});

describe("Retry-After", () => {
  it("delay-seconds on 503 set the delay exactly (no jitter, no backoff)", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503, { "retry-after": "7" }));
    const h = start(fetch, { retry: { jitter: 0.5 } });
    await settle();
    expect(h.retries[0]).toMatchObject({ attempt: 1, delay: 7000 });
    await advance(6999);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
    expect(h.retries[1]).toMatchObject({ attempt: 2, delay: 7000 });
  });

  it("delay-seconds on 429 too", async () => {
    const { fetch } = fakeFetch(statusResponse(429, { "retry-after": "3" }));
    const h = start(fetch);
    await settle();
    expect(h.retries[0]?.delay).toBe(3000);
    expect(h.retries[0]?.cause).toMatchObject({ status: 429 });
  });

  it("may ask for more than maxDelay", async () => {
    const { fetch } = fakeFetch(statusResponse(503, { "retry-after": "120" }));
    const h = start(fetch, { retry: { maxDelay: 10_000 } });
    await settle();
    expect(h.retries[0]?.delay).toBe(120_000);
  });

  it("an HTTP date sets the delay to the time until then", async () => {
    vi.setSystemTime(new Date("2030-06-01T12:00:00Z"));
    const { fetch, calls } = fakeFetch(
      statusResponse(503, { "retry-after": "Sat, 01 Jun 2030 12:00:30 GMT" }),
    );
    const h = start(fetch, { retry: { jitter: 0.5 } });
    await settle();
    expect(h.retries[0]).toMatchObject({ attempt: 1, delay: 30_000 });
    await advance(29_999);
    expect(calls).toHaveLength(1);
    await advance(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBe(Date.parse("2030-06-01T12:00:30Z"));
    // The same date is now in the past: reconnect at once.
    expect(h.retries[1]).toMatchObject({ attempt: 2, delay: 0 });
    // (fake timers run a 0 ms timer set during a tick 1 ms later, as Node does.)
    await advance(1);
    expect(calls).toHaveLength(3);
  });

  it("is ignored on other retried statuses (500, 502, 408)", async () => {
    for (const code of [500, 502, 408]) {
      const { fetch } = fakeFetch(statusResponse(code, { "retry-after": "9" }));
      const h = start(fetch, { retry: { jitter: 0 } });
      await settle();
      expect(h.retries[0]?.delay).toBe(1000);
      h.client.close();
    }
  });

  it("a malformed header falls back to the backoff", async () => {
    for (const value of ["soon", "", "5 seconds"]) {
      const { fetch } = fakeFetch(statusResponse(503, { "retry-after": value }));
      const h = start(fetch, { retry: { jitter: 0 } });
      await settle();
      expect(h.retries[0]?.delay).toBe(1000);
      h.client.close();
    }
  });

  it('a malformed number that Date.parse misreads as a date ("1.5", "-1") falls back to the backoff too', async () => {
    for (const value of ["1.5", "-1"]) {
      const { fetch } = fakeFetch(statusResponse(503, { "retry-after": value }));
      const h = start(fetch, { retry: { jitter: 0 } });
      await settle();
      expect(h.retries[0]?.delay).toBe(1000);
      h.client.close();
    }
  });
});

describe("the attempt counter", () => {
  it("a server that accepts and closes at once without data keeps growing the delay", async () => {
    const { fetch, calls } = fakeFetch(sseResponse(""));
    const h = start(fetch, { retry: { jitter: 0, maxDelay: 100_000 } });
    await settle();
    // 10 s of fake time: 1 + 2 + 4 = 7 s spent on three reconnections, the fourth waits 8 s.
    await advance(10_000);
    expect(calls).toHaveLength(4);
    expect(h.retries.map((r) => [r.attempt, r.delay, r.cause])).toEqual([
      [1, 1000, "end"],
      [2, 2000, "end"],
      [3, 4000, "end"],
      [4, 8000, "end"],
    ]);
  });

  it("comments and a retry: field are not messages: no reset", async () => {
    const { fetch } = fakeFetch(sseResponse(": ping\nretry: 1000\nid: 5\n\n"));
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    await advance(1000);
    await advance(2000);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
  });

  it("a connection that delivered a message resets it to attempt 1", async () => {
    const { fetch, calls } = fakeFetch(
      statusResponse(503),
      statusResponse(503),
      statusResponse(503),
      sseResponse("data: hello\n\n"),
      statusResponse(503),
    );
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    await advance(1000);
    await advance(2000);
    await advance(4000);
    expect(calls).toHaveLength(4);
    expect(h.retries.map((r) => [r.attempt, r.delay])).toEqual([
      [1, 1000],
      [2, 2000],
      [3, 4000],
      [1, 1000], // the stream delivered a message, then ended
    ]);
    await advance(1000);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 3, 1, 2]);
  });

  it("a message followed by a broken body also resets it", async () => {
    const broken = () => {
      let sent = false;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent) controller.error(new Error("connection reset"));
          else controller.enqueue(utf8("data: x\n\n"));
          sent = true;
        },
      });
      return new Response(body, { headers: SSE_CONTENT_TYPE });
    };
    const { fetch } = fakeFetch(statusResponse(503), statusResponse(503), broken);
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    await advance(1000);
    await advance(2000);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 1]);
    const cause = h.retries[2]?.cause;
    expect(cause).toBeInstanceOf(NetworkError);
    expect((cause as NetworkError).duringStream).toBe(true);
  });

  it("an open stream without a message does not reset it", async () => {
    const { fetch } = fakeFetch(
      statusResponse(503),
      statusResponse(503),
      sseResponse(": hi\n\n"),
      statusResponse(503),
    );
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    await advance(1000);
    await advance(2000);
    await advance(4000);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 3, 4]);
  });
});

describe("maxAttempts", () => {
  it("ends with RetriesExhaustedError (attempts, lastError) via onError and onClose", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const states: string[] = [];
    const h = start(fetch, { retry: { maxAttempts: 3, jitter: 0 } });
    const client = h.client;
    const original = h.errors.push.bind(h.errors);
    h.errors.push = (...errors: SSEError[]) => {
      states.push(client.readyState);
      return original(...errors);
    };
    await settle();
    await advance(1000);
    await advance(2000);
    expect(h.closes).toBe(0);
    await advance(4000);
    expect(calls).toHaveLength(4); // the first connection and 3 reconnections
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 3]);
    const last = h.errors.at(-1);
    expect(last).toBeInstanceOf(RetriesExhaustedError);
    const exhausted = last as RetriesExhaustedError;
    expect(exhausted.attempts).toBe(3);
    expect(exhausted.lastError).toBeInstanceOf(HttpError);
    expect((exhausted.lastError as HttpError).status).toBe(503);
    expect(exhausted.cause).toBe(exhausted.lastError);
    expect(exhausted).toBeInstanceOf(SSEError);
    // The fatal error comes with readyState already closed; onClose follows once.
    expect(states.at(-1)).toBe("closed");
    expect(client.readyState).toBe("closed");
    expect(h.closes).toBe(1);
    // Nothing more happens.
    await advance(120_000);
    expect(calls).toHaveLength(4);
    expect(h.retries).toHaveLength(3);
  });

  it("the iterator throws the RetriesExhaustedError", async () => {
    const { fetch } = fakeFetch(new TypeError("fetch failed"));
    const h = start(fetch, { retry: { maxAttempts: 2, jitter: 0 }, start: false });
    const outcome = (async () => {
      const seen: unknown[] = [];
      try {
        for await (const message of h.client) seen.push(message);
      } catch (error) {
        return { seen, error };
      }
      return { seen, error: undefined };
    })();
    h.client.connect();
    await settle();
    await advance(1000);
    await advance(2000);
    const { seen, error } = await outcome;
    expect(seen).toEqual([]);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect((error as RetriesExhaustedError).attempts).toBe(2);
    expect((error as RetriesExhaustedError).lastError).toBeInstanceOf(NetworkError);
    expect(h.errors.at(-1)).toBe(error);
  });

  it("maxAttempts: 0 gives up on the first failure, without a reconnection", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(500));
    const h = start(fetch, { retry: { maxAttempts: 0 } });
    await settle();
    expect(calls).toHaveLength(1);
    expect(h.retries).toEqual([]);
    const error = h.errors.at(-1) as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(0);
    expect(h.client.readyState).toBe("closed");
  });

  it("a clean end counts as a failed attempt; lastError says the server ended the stream", async () => {
    const { fetch } = fakeFetch(sseResponse(""));
    const h = start(fetch, { retry: { maxAttempts: 1, jitter: 0 } });
    await settle();
    await advance(1000);
    const error = h.errors.at(-1) as RetriesExhaustedError;
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.attempts).toBe(1);
    expect(error.lastError).toBeInstanceOf(SSEError);
    expect(h.client.readyState).toBe("closed");
  });

  it("a delivered message gives a fresh budget", async () => {
    const { fetch, calls } = fakeFetch(
      statusResponse(503),
      statusResponse(503),
      sseResponse("data: ok\n\n"),
      statusResponse(503),
      statusResponse(503),
      statusResponse(503),
    );
    const h = start(fetch, { retry: { maxAttempts: 2, jitter: 0 } });
    await settle();
    await advance(1000); // 2nd fetch: 503 (attempt 2)
    await advance(2000); // 3rd fetch: message, end -> attempt 1
    await advance(1000); // 4th: 503 -> attempt 2
    expect(h.client.readyState).toBe("connecting");
    await advance(2000); // 5th: 503 -> exhausted
    expect(calls).toHaveLength(5);
    expect(h.retries.map((r) => r.attempt)).toEqual([1, 2, 1, 2]);
    expect(h.errors.at(-1)).toBeInstanceOf(RetriesExhaustedError);
    expect((h.errors.at(-1) as RetriesExhaustedError).attempts).toBe(2);
  });
});

describe("time has to pass", () => {
  it("the next fetch happens only once the fake clock reached the delay", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { jitter: 0, initialDelay: 1500 } });
    await settle();
    expect(calls).toHaveLength(1);
    // Flushing promises alone does not reconnect.
    for (let i = 0; i < 5; i++) await settle();
    expect(calls).toHaveLength(1);
    await advance(1499);
    expect(calls).toHaveLength(1);
    expect(h.client.readyState).toBe("connecting");
    await advance(1);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.at).toBe((calls[0]?.at ?? 0) + 1500);
    await advance(2999);
    expect(calls).toHaveLength(2);
    await advance(1);
    expect(calls).toHaveLength(3);
  });

  it("a stream ending at once does not reconnect in a tight loop", async () => {
    const { fetch, calls } = fakeFetch(sseResponse(""));
    start(fetch, { retry: { jitter: 0 } });
    for (let i = 0; i < 20; i++) await settle();
    expect(calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1);
  });

  it("close() during the wait cancels the timer: no fetch later", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: { jitter: 0 } });
    await settle();
    h.client.close();
    expect(vi.getTimerCount()).toBe(0);
    await advance(60_000);
    expect(calls).toHaveLength(1);
    expect(h.closes).toBe(1);
  });

  it("retry: false never reconnects", async () => {
    const { fetch, calls } = fakeFetch(statusResponse(503));
    const h = start(fetch, { retry: false });
    await settle();
    await advance(60_000);
    expect(calls).toHaveLength(1);
    expect(h.retries).toEqual([]);
    expect((h.errors[0] as HttpError).status).toBe(503);
    expect(h.client.readyState).toBe("closed");
  });
});
