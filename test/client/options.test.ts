/**
 * Programming errors fail fast: each option that cannot work throws a TypeError or RangeError
 * naming it, in the constructor, before any request. What can only be found when a request is
 * built (a `headers` function's bad header, a RequestInit field `fetch` rejects, a stream body
 * spent by the first connection) ends the client with a fatal error, never a retried NetworkError.
 */
import { describe, expect, it, vi } from "vitest";
import { NetworkError, SSEClient, type SSEClientOptions, SSEError } from "../../src/index.js";
import { FAST_RETRY } from "../fixtures/client-recorder.js";
import { destroy, events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** A fetch that must never be called. */
function untouched(): typeof fetch {
  return vi.fn(() =>
    Promise.reject(new Error("fetch must not be called")),
  ) as unknown as typeof fetch;
}

function construct(url: string, options: SSEClientOptions): () => SSEClient {
  return () => new SSEClient(url, { ...options, start: true });
}

describe("the constructor rejects an option that cannot work, naming it", () => {
  it.each<[string, string, SSEClientOptions, ErrorConstructor, RegExp]>([
    ["a relative URL outside a page", "/events", {}, TypeError, /relative.*absolute URL/],
    ["an invalid URL", "http://[bad", {}, TypeError, /invalid URL/],
    ["an ftp: URL", "ftp://example.com/x", {}, TypeError, /ftp: URLs cannot carry/],
    [
      "method CONNECT",
      "http://h/",
      { method: "CONNECT" },
      TypeError,
      /options\.method must be an HTTP method fetch allows/,
    ],
    ["a method with a space", "http://h/", { method: "GE T" }, TypeError, /options\.method/],
    [
      "a header name fetch rejects",
      "http://h/",
      { headers: { "bad name": "x" } },
      TypeError,
      /options\.headers/,
    ],
    [
      "a header value fetch rejects",
      "http://h/",
      { headers: { x: "a\nb" } },
      TypeError,
      /options\.headers/,
    ],
    [
      "idleTimeout: Infinity",
      "http://h/",
      { idleTimeout: Number.POSITIVE_INFINITY },
      RangeError,
      /options\.idleTimeout/,
    ],
    [
      "idleTimeout: NaN",
      "http://h/",
      { idleTimeout: Number.NaN },
      RangeError,
      /options\.idleTimeout/,
    ],
    [
      'idleTimeout: "500"',
      "http://h/",
      { idleTimeout: "500" as unknown as number },
      TypeError,
      /options\.idleTimeout must be a number/,
    ],
    [
      "connectTimeout: -1",
      "http://h/",
      { connectTimeout: -1 },
      RangeError,
      /options\.connectTimeout/,
    ],
    [
      'connectTimeout: "5000"',
      "http://h/",
      { connectTimeout: "5000" as unknown as number },
      TypeError,
      /options\.connectTimeout must be a number/,
    ],
    [
      "maxEventSize: NaN",
      "http://h/",
      { maxEventSize: Number.NaN },
      RangeError,
      /options\.maxEventSize/,
    ],
    ["maxEventSize: -1", "http://h/", { maxEventSize: -1 }, RangeError, /options\.maxEventSize/],
    [
      "highWaterMark: NaN",
      "http://h/",
      { highWaterMark: Number.NaN },
      RangeError,
      /options\.highWaterMark/,
    ],
    [
      "initialDelay: Infinity",
      "http://h/",
      { retry: { initialDelay: Number.POSITIVE_INFINITY } },
      RangeError,
      /initialDelay must be finite/,
    ],
    ["a GET with a body", "http://h/", { body: "x" }, TypeError, /GET request cannot have a body/],
    [
      "onError that is not a function",
      "http://h/",
      { onError: "log" as never },
      TypeError,
      /options\.onError must be a function/,
    ],
    [
      "auth without a token function",
      "http://h/",
      { auth: { token: "t" as never } },
      TypeError,
      /options\.auth\.token/,
    ],
    [
      'parse that is neither "json" nor a function',
      "http://h/",
      { parse: "yaml" as never },
      TypeError,
      /options\.parse/,
    ],
    [
      "lastEventId with a newline",
      "http://h/",
      { lastEventId: "a\nb" },
      TypeError,
      /options\.lastEventId/,
    ],
  ])("%s", (_name, url, options, type, message) => {
    const fetch = untouched();
    const attempt = construct(url, { ...options, fetch });
    expect(attempt).toThrow(type);
    expect(attempt).toThrow(message);
    expect(fetch).not.toHaveBeenCalled();
  });

  it("accepts the edges: idleTimeout 0, Infinity highWaterMark and maxEventSize, data: URLs", () => {
    const fetch = untouched();
    const client = new SSEClient("data:text/event-stream,", {
      fetch,
      start: false,
      idleTimeout: 0,
      connectTimeout: 0,
      highWaterMark: Number.POSITIVE_INFINITY,
      maxEventSize: Number.POSITIVE_INFINITY,
    });
    expect(client.url).toBe("data:text/event-stream,");
  });
});

describe("what only a request can reveal is fatal, never a network error retried", () => {
  it("a headers function returning a header fetch rejects", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const onRetry = vi.fn();
    const client = ctx.client(server.url("/s"), {
      headers: () => ({ "bad name": "x" }),
      retry: FAST_RETRY,
      onRetry,
    });
    const error = await client.closed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SSEError);
    expect(error).not.toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/Could not build the request/);
    expect(onRetry).not.toHaveBeenCalled();
    expect(server.requestsTo("/s").length).toBe(0);
  });

  it("a RequestInit field fetch rejects (mode: navigate)", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const client = ctx.client(server.url("/s"), {
      mode: "navigate" as RequestMode,
      retry: FAST_RETRY,
    });
    const error = await client.closed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SSEError);
    expect(error).not.toBeInstanceOf(NetworkError);
    expect(server.requestsTo("/s").length).toBe(0);
  });

  it("a ReadableStream body: the first retry says a body function is needed", async () => {
    const { server } = ctx;
    server.route("/s", [destroy(), events(["data: a\n\n"], "end")]);
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{}"));
        controller.close();
      },
    });
    const onError = vi.fn();
    const client = ctx.client(server.url("/s"), {
      method: "POST",
      body,
      retry: FAST_RETRY,
      onError,
    });
    const error = await client.closed.catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /ReadableStream, which can be sent only once.*function/,
    );
    // The first attempt's failure was reported as a network error, then the fatal one.
    expect(onError.mock.calls.map(([e]) => e)).toEqual([expect.any(NetworkError), error]);
    expect(server.requestsTo("/s").length).toBe(1);
  });

  it("every RequestInit field reaches fetch, also ones ssekit does not know (dispatcher, priority)", async () => {
    let seen: RequestInit | undefined;
    const dispatcher = { dispatch: () => false };
    const fetch = vi.fn(async (_url: unknown, init?: RequestInit) => {
      seen = init;
      return new Response("data: a\n\n", { headers: { "content-type": "text/event-stream" } });
    }) as unknown as typeof globalThis.fetch;
    const client = new SSEClient("http://127.0.0.1:1/s", {
      fetch,
      connectTimeout: 5000,
      reconnectOnEnd: false,
      credentials: "include",
      priority: "high",
      dispatcher,
    });
    await client.closed;
    expect(seen).toMatchObject({ credentials: "include", priority: "high", dispatcher });
    expect(seen).not.toHaveProperty("onError");
    expect(seen).not.toHaveProperty("retry");
    expect(seen).not.toHaveProperty("connectTimeout");
  });

  it.each([
    ["no RequestInit field", {}, "no-store"],
    ["other RequestInit fields", { credentials: "include" }, "no-store"],
    ["cache: undefined, for a platform that refuses the field", { cache: undefined }, undefined],
    ["its own cache mode", { cache: "no-cache" }, "no-cache"],
  ] as const)(
    'cache: "no-store" unless the options give a cache mode: %s',
    async (_, options, cache) => {
      const seen: (RequestInit | undefined)[] = [];
      const fetch = vi.fn(async (_url: unknown, init?: RequestInit) => {
        seen.push(init);
        return new Response("data: a\n\n", { headers: { "content-type": "text/event-stream" } });
      }) as unknown as typeof globalThis.fetch;
      // Two clients: the defaults are shared, and one client's fields never reach another's.
      for (let i = 0; i < 2; i++) {
        const client = new SSEClient("http://127.0.0.1:1/s", {
          fetch,
          reconnectOnEnd: false,
          ...options,
        });
        await client.closed;
      }
      expect(seen.map((init) => init?.cache)).toEqual([cache, cache]);
    },
  );
});
