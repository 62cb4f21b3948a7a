/**
 * Callbacks migrants from other SSE clients rely on: `onMessage` sees every message of every type
 * in stream order, interleaved exactly with `onComment`; throwing in `onOpen` rejects that
 * response (a CallbackError through the retry decision) instead of an uncaught exception while
 * the stream carries on.
 */
import { describe, expect, it, vi } from "vitest";
import { CallbackError } from "../../src/index.js";
import { FAST_RETRY, iterate } from "../fixtures/client-recorder.js";
import { events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

describe("onMessage", () => {
  it("gets every message of every type, in stream order with the comments", async () => {
    const { server } = ctx;
    server.route(
      "/s",
      events(
        [": hello\n\ndata: a\n\n", "event: price\ndata: 1\n\n: tick\n\n", "event: x\ndata: b\n\n"],
        "end",
      ),
    );
    const seen: string[] = [];
    const client = ctx.client(server.url("/s"), {
      reconnectOnEnd: false,
      onMessage: (m) => seen.push(`${m.type}:${String(m.data)}`),
      onComment: (text) => seen.push(`#${text}`),
    });
    const typed: string[] = [];
    client.on("price", (m) => typed.push(m.data));
    await client.closed;
    expect(seen).toEqual(["# hello", "message:a", "price:1", "# tick", "x:b"]);
    expect(typed).toEqual(["1"]);
  });

  it("is a consumer: nothing is held for later when only onMessage is given", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n", "data: b\n\n"], "end"));
    const seen: unknown[] = [];
    const client = ctx.client(server.url("/s"), {
      reconnectOnEnd: false,
      onMessage: (m) => seen.push(m.data),
    });
    await client.closed;
    expect(seen).toEqual(["a", "b"]);
    // A loop made afterwards finds the run over, not the messages again.
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items).toEqual([]);
  });
});

describe("onOpen that throws", () => {
  it("rejects the response with a CallbackError: fatal, nothing of that stream is delivered", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"]));
    const onError = vi.fn();
    const client = ctx.client(server.url("/s"), {
      retry: FAST_RETRY,
      onError,
      onOpen: () => {
        throw new Error("wrong server version");
      },
    });
    const { messages, done } = iterate(client);
    const { error, threw } = await done;
    expect(threw).toBe(true);
    expect(error).toBeInstanceOf(CallbackError);
    expect((error as CallbackError).option).toBe("onOpen");
    expect((error as Error).message).toMatch(/wrong server version/);
    expect(messages.items).toEqual([]);
    expect(server.requestsTo("/s").length).toBe(1);
  });

  it("shouldRetry can retry it", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: a\n\n"], "end"));
    let opens = 0;
    const client = ctx.client(server.url("/s"), {
      reconnectOnEnd: false,
      retry: FAST_RETRY,
      shouldRetry: (error) => (error instanceof CallbackError ? true : undefined),
      onOpen: () => {
        if (++opens === 1) throw new Error("not yet");
      },
    });
    const { messages, done } = iterate(client);
    await done;
    expect(messages.items.map((m) => m.data)).toEqual(["a"]);
    expect(opens).toBe(2);
  });
});

describe("id: whether a message carried an id: of its own", () => {
  it("is the event's own id, undefined when lastEventId only carried over (dedup by id works)", async () => {
    const { server } = ctx;
    server.route("/s", events(["id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n"], "end"));
    const { messages, done } = iterate(ctx.client(server.url("/s"), { reconnectOnEnd: false }));
    await done;
    const items = messages.items;
    expect(items.map((m) => [m.data, m.id, m.lastEventId])).toEqual([
      ["a", "1", "1"],
      ["b", undefined, "1"],
      ["c", "2", "2"],
    ]);
  });
});
