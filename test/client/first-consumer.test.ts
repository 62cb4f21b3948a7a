/**
 * Nothing is lost before the first consumer, and no fatal error is silent: messages that arrive
 * while a client has neither a loop nor a listener are held (bounded by highWaterMark, reading
 * paused) for the first consumer; `closed` settles with the end of the client; a fatal error that
 * nobody observed is reported as the platform reports unhandled errors (`reportError`).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { DataParseError, HttpError, SSEClient } from "../../src/index.js";
import { FAST_RETRY, iterate } from "../fixtures/client-recorder.js";
import { events, status } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** Replaces the platform's reportError for one test; returns what it received. */
function captureReports(): unknown[] {
  const reports: unknown[] = [];
  vi.stubGlobal("reportError", (error: unknown) => reports.push(error));
  return reports;
}
afterEach(() => {
  vi.unstubAllGlobals();
});

const TOKENS = ["The", " answer", " is", " forty", " two."];
const stream = TOKENS.map((token) => `data: ${token}\n\n`);

describe("messages before the first consumer", () => {
  it("an await between the constructor and for await loses nothing", async () => {
    const { server } = ctx;
    server.route("/chat", events(stream, "end"));
    const client = ctx.client(server.url("/chat"), { method: "POST", body: { q: 1 } });
    // The whole answer arrives (and the client closes) before anyone consumes it.
    await vi.waitFor(() => expect(client.readyState).toBe("closed"));
    const { messages, done } = iterate(client);
    expect(await done).toEqual({ error: undefined, threw: false });
    expect(messages.items.map((m) => m.data)).toEqual(TOKENS);
  });

  it("the first listener gets the held messages in order, a microtask after on(), then the rest", async () => {
    const { server } = ctx;
    server.route("/s", events(stream, "end"));
    const client = ctx.client(server.url("/s"), { reconnectOnEnd: false });
    await client.closed;
    const got: string[] = [];
    client.on("message", (m) => got.push(m.data));
    expect(got).toEqual([]); // never inside on()
    await Promise.resolve();
    expect(got).toEqual(TOKENS);
  });

  it("a loop and a listener added together both get every held message once", async () => {
    const { server } = ctx;
    server.route("/s", events(stream, "end"));
    const client = ctx.client(server.url("/s"), { reconnectOnEnd: false });
    await client.closed;
    const got: string[] = [];
    client.on("message", (m) => got.push(m.data));
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items.map((m) => m.data)).toEqual(TOKENS);
    expect(got).toEqual(TOKENS);
  });

  it("holding is bounded by highWaterMark: reading pauses until a consumer comes", async () => {
    let pulls = 0;
    let sent = 0;
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          if (sent === 1000) controller.close();
          else controller.enqueue(encoder.encode(`data: ${sent++}\n\n`));
        },
      },
      { highWaterMark: 0 },
    );
    const fetch = async () =>
      new Response(body, { headers: { "content-type": "text/event-stream" } });
    const client = new SSEClient("http://127.0.0.1:1/s", {
      fetch,
      highWaterMark: 8,
      reconnectOnEnd: false,
    });
    // Let the client read as far as it will: many macrotasks, no consumer.
    for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(pulls).toBeLessThanOrEqual(8 + 2);
    expect(pulls).toBeGreaterThanOrEqual(8);
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items.map((m) => m.data)).toEqual(
      Array.from({ length: 1000 }, (_, i) => String(i)),
    );
  });

  it("close() drops what was held: nothing is delivered after it", async () => {
    const { server } = ctx;
    server.route("/s", events(stream, "keep"));
    const client = ctx.client(server.url("/s"));
    await server.requestsTo("/s").nth(1);
    client.close();
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items).toEqual([]);
  });
});

describe("closed: the awaitable end", () => {
  it("rejects with the fatal error", async () => {
    const { server } = ctx;
    server.route("/gone", status(404));
    const client = ctx.client(server.url("/gone"));
    await expect(client.closed).rejects.toBeInstanceOf(HttpError);
  });

  it("resolves after close(), and asked after the end it settles at once", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"], "keep"));
    const client = ctx.client(server.url("/s"));
    const closed = client.closed;
    client.on("message", () => client.close());
    await expect(closed).resolves.toBeUndefined();
    await expect(client.closed).resolves.toBeUndefined();
  });

  it("is the new run's after connect()", async () => {
    const { server } = ctx;
    server.route("/s", [events(["data: a\n\n"], "end"), status(404)]);
    const client = ctx.client(server.url("/s"), { reconnectOnEnd: false, retry: FAST_RETRY });
    await client.closed;
    client.connect();
    await expect(client.closed).rejects.toBeInstanceOf(HttpError);
  });
});

describe("a fatal error nobody observed is reported, never silent", () => {
  it("a 404 with only on() listeners reaches reportError", async () => {
    const reports = captureReports();
    const { server } = ctx;
    server.route("/gone", status(404));
    const client = ctx.client(server.url("/gone"));
    client.on("message", () => {});
    await vi.waitFor(() => expect(client.readyState).toBe("closed"));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeInstanceOf(HttpError);
  });

  it("is not reported when onError, a loop or the closed promise observes it", async () => {
    const reports = captureReports();
    const { server } = ctx;
    server.route("/gone", status(404));
    const onError = vi.fn();
    const a = ctx.client(server.url("/gone"), { onError });
    const b = ctx.client(server.url("/gone"));
    const c = ctx.client(server.url("/gone"));
    const { done } = iterate(b);
    await Promise.all([
      vi.waitFor(() => expect(onError).toHaveBeenCalled()),
      done,
      c.closed.catch(() => {}),
    ]);
    expect(a.readyState).toBe("closed");
    expect(reports).toEqual([]);
  });

  it('parse: "json" on an OpenAI stream: the [DONE] that is not JSON is reported', async () => {
    const reports = captureReports();
    const { server } = ctx;
    server.route("/chat", events(['data: {"n":1}\n\n', "data: [DONE]\n\n"], "end"));
    const client = ctx.client(server.url("/chat"), { method: "POST", parse: "json" });
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items.map((m) => m.data)).toEqual([{ n: 1 }]);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toBeInstanceOf(DataParseError);
  });
});
