/**
 * Bearer auth: a token per connection, one refresh on 401 (shared by the clients of one auth
 * object), and what ends the client when refreshing cannot help.
 */
import { describe, expect, it, vi } from "vitest";
import { type AuthOptions, CallbackError, HttpError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { Collector } from "../fixtures/collector.js";
import { deferred } from "../fixtures/deferred.js";
import { events, status } from "../fixtures/handlers.js";
import { type Handler, useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** Streams to requests carrying `Bearer <valid>`, answers 401 to the others. */
function guarded(valid: string, stream: Handler = events(["data: ok\n\n"])): Handler {
  return (request) =>
    request.headers.authorization === `Bearer ${valid}`
      ? stream(request)
      : status(401, { body: "bad token", headers: { "www-authenticate": "Bearer" } })(request);
}

describe("auth", () => {
  it("calls token() for every connection and sends Authorization: Bearer <token>", async () => {
    const { server } = ctx;
    server.route("/s", [
      events(["id: 1\ndata: a\n\n"], "end"),
      events(["data: b\n\n"], "destroy"),
      events(["data: c\n\n"]),
    ]);
    let calls = 0;
    const token = vi.fn(async () => `t${++calls}`);
    const client = ctx.client(server.url("/s"), { auth: { token }, retry: FAST_RETRY });
    const { messages } = iterate(client);
    await messages.waitFor(3);
    const requests = await server.requestsTo("/s").waitFor(3);
    expect(requests.map((r) => r.headers.authorization)).toEqual([
      "Bearer t1",
      "Bearer t2",
      "Bearer t3",
    ]);
    expect(token).toHaveBeenCalledTimes(3);
  });

  it("sends no Authorization header when token() returns undefined or null", async () => {
    const { server } = ctx;
    server.route("/s", [events(["data: a\n\n"], "end"), events(["data: b\n\n"])]);
    const values = [undefined, null];
    const token = vi.fn(() => values.shift());
    const client = ctx.client(server.url("/s"), { auth: { token }, retry: FAST_RETRY });
    const { messages } = iterate(client);
    await messages.waitFor(2);
    const requests = await server.requestsTo("/s").waitFor(2);
    for (const request of requests) expect(request.headers).not.toHaveProperty("authorization");
    expect(token).toHaveBeenCalledTimes(2);
  });

  it("refreshes once on a 401 and reconnects at once with the new token, spending no attempt", async () => {
    const { server } = ctx;
    let current = "old";
    const refresh = vi.fn(async () => {
      current = "new";
    });
    // 401 to the old token, then a retryable 503 to the new one.
    server.route("/s", [guarded("new"), status(503)]);
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      auth: { token: () => current, refresh },
      // A backoff this long would time the test out: the reconnection after the refresh must not
      // wait for it. One attempt only: had the 401 spent it, the 503 would exhaust the retries.
      retry: { initialDelay: 60_000, jitter: 0, maxAttempts: 1 },
      onRetry: (info) => {
        rec.retries.push(info);
        client.close();
      },
    });
    const { done } = iterate(client);
    const retry = await rec.retries.nth(1);
    expect(retry.attempt).toBe(1);
    expect(retry.cause).toBeInstanceOf(HttpError);
    expect((retry.cause as HttpError).status).toBe(503);
    expect(rec.retries.length).toBe(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(server.requestsTo("/s").items.map((r) => r.headers.authorization)).toEqual([
      "Bearer old",
      "Bearer new",
    ]);
    expect(await done).toEqual({ error: undefined, threw: false });
  });

  it("reconnects after a refresh without onRetry, even with maxAttempts: 0", async () => {
    const { server } = ctx;
    let current = "old";
    const refresh = vi.fn(async () => {
      current = "new";
    });
    server.route("/s", guarded("new"));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      auth: { token: () => current, refresh },
      retry: { initialDelay: 60_000, jitter: 0, maxAttempts: 0 },
      ...rec.callbacks,
    });
    const { messages } = iterate(client);
    expect((await messages.nth(1)).data).toBe("ok");
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(rec.retries.length).toBe(0);
    expect(rec.closes.length).toBe(0);
    expect(rec.opens.length).toBe(1);
    expect(client.readyState).toBe("open");
    expect(server.requestsTo("/s").items.map((r) => r.headers.authorization)).toEqual([
      "Bearer old",
      "Bearer new",
    ]);
  });

  it("ends with the HttpError 401 when the server answers 401 again after the refresh", async () => {
    const { server } = ctx;
    let current = "old";
    const refresh = vi.fn(async () => {
      current = "still-bad";
    });
    server.route("/s", guarded("never"));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      auth: { token: () => current, refresh },
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { done } = iterate(client);
    const { error, threw } = await done;
    expect(threw).toBe(true);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(401);
    expect((error as HttpError).body).toBe("bad token");
    expect((error as HttpError).headers.get("www-authenticate")).toBe("Bearer");
    expect(client.readyState).toBe("closed");
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(rec.retries.length).toBe(0);
    expect(rec.errors.items).toEqual([error]);
    expect(rec.closes.length).toBe(1);
    expect(server.requestsTo("/s").items.map((r) => r.headers.authorization)).toEqual([
      "Bearer old",
      "Bearer still-bad",
    ]);
  });

  it("ends with the HttpError 401 at once when there is no refresh()", async () => {
    const { server } = ctx;
    server.route("/s", guarded("never"));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      auth: { token: () => "t" },
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { error, threw } = await iterate(client).done;
    expect(threw).toBe(true);
    expect((error as HttpError).status).toBe(401);
    expect(rec.retries.length).toBe(0);
    expect(server.requests.length).toBe(1);
  });

  it("ends with CallbackError('auth.refresh') when refresh() rejects", async () => {
    const { server } = ctx;
    server.route("/s", guarded("never"));
    const failure = new Error("refresh token expired");
    const refresh = vi.fn(() => Promise.reject(failure));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      auth: { token: () => "old", refresh },
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { error, threw } = await iterate(client).done;
    expect(threw).toBe(true);
    expect(error).toBeInstanceOf(CallbackError);
    expect((error as CallbackError).option).toBe("auth.refresh");
    expect((error as CallbackError).cause).toBe(failure);
    expect(client.readyState).toBe("closed");
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(rec.retries.length).toBe(0);
    expect(rec.errors.items).toEqual([error]);
    expect(server.requests.length).toBe(1);
  });

  it("ends with CallbackError('auth.token') when token() throws", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: ok\n\n"]));
    const failure = new Error("no session");
    const client = ctx.client(server.url("/s"), {
      auth: {
        token: () => {
          throw failure;
        },
      },
      retry: FAST_RETRY,
    });
    const { error, threw } = await iterate(client).done;
    expect(threw).toBe(true);
    expect(error).toBeInstanceOf(CallbackError);
    expect((error as CallbackError).option).toBe("auth.token");
    expect((error as CallbackError).cause).toBe(failure);
    expect(server.requests.length).toBe(0);
  });

  it("refreshes once for ten clients sharing an auth object that all get a 401 together", async () => {
    const { server } = ctx;
    const CLIENTS = 10;
    let current = "old";
    const unauthorized = new Collector<Response>();
    const allRejected = deferred();
    const refresh = vi.fn(async () => {
      // Slow: it ends only after every client has had its 401.
      await allRejected.promise;
      current = "new";
    });
    const token = vi.fn(() => current);
    const auth: AuthOptions = { token, refresh };
    server.route("/s", guarded("new"));
    const realFetch = globalThis.fetch;
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const response = await realFetch(input, init);
      if (response.status === 401) unauthorized.push(response);
      return response;
    };
    void unauthorized.waitFor(CLIENTS).then(() => allRejected.resolve());

    const recs = Array.from({ length: CLIENTS }, () => recorder());
    const clients = recs.map((rec) =>
      ctx.client(server.url("/s"), { auth, fetch, retry: FAST_RETRY, ...rec.callbacks }),
    );
    const received = new Collector<string>();
    for (const client of clients) client.on("message", (message) => received.push(message.data));

    await received.waitFor(CLIENTS);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(unauthorized.length).toBe(CLIENTS);
    const requests = server.requestsTo("/s").items;
    expect(requests.length).toBe(2 * CLIENTS);
    expect(requests.filter((r) => r.headers.authorization === "Bearer old").length).toBe(CLIENTS);
    expect(requests.filter((r) => r.headers.authorization === "Bearer new").length).toBe(CLIENTS);
    expect(token).toHaveBeenCalledTimes(2 * CLIENTS);
    for (const rec of recs) expect(rec.retries.length).toBe(0);
    for (const client of clients) expect(client.readyState).toBe("open");
  });
});
