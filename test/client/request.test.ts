/**
 * What SSEClient puts on the wire: method, body, headers, and which fetch sends them, on the first
 * connection and on every reconnection. Checked by a real node:http server.
 */
import { describe, expect, it, vi } from "vitest";
import { SSEClient } from "../../src/index.js";
import { utf8 } from "../fixtures/bytes.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { deferred } from "../fixtures/deferred.js";
import { events, sse } from "../fixtures/handlers.js";
import { type Handler, useServer } from "../fixtures/recording-server.js";
import { macrotask } from "../fixtures/ticks.js";

const ctx = useServer();

/** A stream that sends one event and stays open. */
const one = (data: string): Handler => events([`data: ${data}\n\n`]);

describe("request body and headers", () => {
  it("POSTs a plain object as JSON with content-type application/json, with async headers", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    const headers = vi.fn(async () => {
      await macrotask();
      return { "x-request-token": "abc-123" };
    });
    const body = { prompt: "héllo 日本 😀", n: [1, 2, 3], nested: { ok: true } };
    const client = ctx.client(server.url("/s"), { method: "POST", body, headers });
    const { messages } = iterate(client);

    const request = await server.requestsTo("/s").nth(1);
    expect(request.method).toBe("POST");
    expect(request.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(request.body)).toEqual(body);
    expect(request.headers["x-request-token"]).toBe("abc-123");
    expect(headers).toHaveBeenCalledTimes(1);
    expect((await messages.nth(1)).data).toBe("ok");
  });

  it("sends an array as JSON too, and keeps a content-type the caller set", async () => {
    const { server } = ctx;
    server.route("/array", one("a"));
    server.route("/typed", one("t"));
    ctx.client(server.url("/array"), { method: "POST", body: [1, "two", { three: 3 }] });
    ctx.client(server.url("/typed"), {
      method: "POST",
      body: { data: { type: "x" } },
      headers: { "Content-Type": "application/vnd.api+json" },
    });

    const array = await server.requestsTo("/array").nth(1);
    expect(array.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(array.body)).toEqual([1, "two", { three: 3 }]);
    const typed = await server.requestsTo("/typed").nth(1);
    expect(typed.headers["content-type"]).toBe("application/vnd.api+json");
    expect(JSON.parse(typed.body)).toEqual({ data: { type: "x" } });
  });

  it("evaluates the body and headers functions again for every reconnection", async () => {
    const { server } = ctx;
    // Clean end, broken stream, then an open one: two reconnections of different causes.
    server.route("/s", [
      events(["id: 1\ndata: first\n\n"], "end"),
      events(["id: 2\ndata: second\n\n", "data: partial"], "destroy"),
      one("third"),
    ]);
    let bodyCalls = 0;
    let headerCalls = 0;
    const body = vi.fn(async () => ({ call: ++bodyCalls }));
    const headers = vi.fn(() => ({ "x-call": String(++headerCalls) }));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      method: "POST",
      body,
      headers,
      reconnectOnEnd: true,
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { messages } = iterate(client);

    expect((await messages.waitFor(3)).map((m) => m.data)).toEqual(["first", "second", "third"]);
    const requests = await server.requestsTo("/s").waitFor(3);
    expect(requests.map((r) => JSON.parse(r.body))).toEqual([
      { call: 1 },
      { call: 2 },
      { call: 3 },
    ]);
    expect(requests.map((r) => r.headers["x-call"])).toEqual(["1", "2", "3"]);
    expect(requests.map((r) => r.headers["content-type"])).toEqual([
      "application/json",
      "application/json",
      "application/json",
    ]);
    expect(requests.map((r) => r.lastEventId)).toEqual([undefined, "1", "2"]);
    expect(body).toHaveBeenCalledTimes(3);
    expect(headers).toHaveBeenCalledTimes(3);
    expect(rec.retries.items.map((r) => r.cause === "end")).toEqual([true, false]);
  });

  // `cache: "no-store"` (the default) makes fetch send Cache-Control and Pragma itself, as for
  // EventSource; ssekit sets no such header (in a browser, the caller's would force a CORS
  // preflight: test/browser/client.browser.test.ts shows there is none).
  it("sends Accept: text/event-stream, and the no-cache headers of cache: no-store", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    ctx.client(server.url("/s"));
    const request = await server.requestsTo("/s").nth(1);
    expect(request.method).toBe("GET");
    expect(request.headers.accept).toBe("text/event-stream");
    expect(request.headers["cache-control"]).toBe("no-cache");
    expect(request.headers.pragma).toBe("no-cache");
    expect(request.headers).not.toHaveProperty("last-event-id");
    expect(request.headers).not.toHaveProperty("authorization");
    expect(request.headers).not.toHaveProperty("content-type");
    expect(request.body).toBe("");
  });

  it("keeps an Accept header the caller set", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    ctx.client(server.url("/s"), { headers: [["Accept", "text/event-stream, */*;q=0.1"]] });
    const request = await server.requestsTo("/s").nth(1);
    expect(request.headers.accept).toBe("text/event-stream, */*;q=0.1");
  });

  it.each(["GET", "get", "HEAD"])("throws a TypeError for a body with method %s", (method) => {
    const fetch = vi.fn<typeof globalThis.fetch>();
    expect(() => new SSEClient(ctx.server.url("/s"), { method, body: "x", fetch })).toThrow(
      TypeError,
    );
    expect(() => new SSEClient(ctx.server.url("/s"), { method, body: { a: 1 }, fetch })).toThrow(
      TypeError,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it("passes a string body through as it is (no JSON encoding)", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    ctx.client(server.url("/s"), { method: "POST", body: '{"already":"json"} ünï' });
    const request = await server.requestsTo("/s").nth(1);
    expect(request.body).toBe('{"already":"json"} ünï');
    expect(request.headers["content-type"]).toBe("text/plain;charset=UTF-8");
  });

  it("passes URLSearchParams through as a form", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    ctx.client(server.url("/s"), {
      method: "PUT",
      body: new URLSearchParams({ a: "1", b: "é & ü" }),
    });
    const request = await server.requestsTo("/s").nth(1);
    expect(request.method).toBe("PUT");
    expect(request.body).toBe("a=1&b=%C3%A9+%26+%C3%BC");
    expect(request.headers["content-type"]).toBe("application/x-www-form-urlencoded;charset=UTF-8");
  });

  it("passes bytes through as they are", async () => {
    const { server } = ctx;
    server.route("/s", one("ok"));
    ctx.client(server.url("/s"), {
      method: "POST",
      body: utf8("raw bytes ✓"),
      headers: { "content-type": "application/octet-stream" },
    });
    const request = await server.requestsTo("/s").nth(1);
    expect(request.body).toBe("raw bytes ✓");
    expect(request.headers["content-type"]).toBe("application/octet-stream");
  });
});

describe("which fetch", () => {
  it("uses the fetch option for every connection, never the global one", async () => {
    const { server } = ctx;
    server.route("/s", [events(["id: 1\ndata: a\n\n"], "end"), one("b")]);
    const realFetch = globalThis.fetch;
    const custom = vi.fn<typeof fetch>((input, init) => realFetch(input, init));
    const globalSpy = vi.spyOn(globalThis, "fetch");
    try {
      const client = ctx.client(server.url("/s"), {
        method: "POST",
        body: "x",
        reconnectOnEnd: true,
        retry: FAST_RETRY,
        fetch: custom,
      });
      const { messages } = iterate(client);
      await messages.waitFor(2);
      expect(custom).toHaveBeenCalledTimes(2);
      const [input, init] = custom.mock.calls[0] ?? [];
      expect(input).toBe(server.url("/s"));
      expect(init?.method).toBe("POST");
      expect(init?.body).toBe("x");
      expect(init?.signal).toBeInstanceOf(AbortSignal);
      expect(new Headers(init?.headers).get("accept")).toBe("text/event-stream");
      expect(globalSpy).not.toHaveBeenCalled();
    } finally {
      globalSpy.mockRestore();
    }
  });

  it("looks the global fetch up at every connection, not at construction", async () => {
    const { server } = ctx;
    const release = deferred();
    const hold: Handler = async ({ res }) => {
      sse(res, ["id: 1\ndata: a\n\n"]);
      await release.promise;
      res.end();
    };
    server.route("/s", [hold, one("b")]);
    const original = globalThis.fetch;
    const wrapper = vi.fn<typeof fetch>((input, init) => original(input, init));
    try {
      const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
      const { messages } = iterate(client);
      await server.requestsTo("/s").nth(1);
      // The first connection went out through the original; patch the global now, as msw does.
      globalThis.fetch = wrapper;
      release.resolve();
      expect((await messages.waitFor(2)).map((m) => m.data)).toEqual(["a", "b"]);
      expect(wrapper).toHaveBeenCalledTimes(1);
      expect(wrapper.mock.calls[0]?.[0]).toBe(server.url("/s"));
      expect((await server.requestsTo("/s").nth(2)).lastEventId).toBe("1");
    } finally {
      globalThis.fetch = original;
      release.resolve();
    }
  });
});
