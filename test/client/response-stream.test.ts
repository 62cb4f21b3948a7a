/**
 * A response stream (an LLM answer to a POST) is never replayed silently: once it delivered
 * events, a break is resumed only with an event ID; without one the client stops with a
 * ResponseInterruptedError instead of sending the request again. Against a real node:http server;
 * the drop right after a write is repeated so that a race cannot hide.
 */
import { describe, expect, it } from "vitest";
import { NetworkError, ResponseInterruptedError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { destroy, events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();
const ROUNDS = 20;

describe("a POST stream that breaks after 3 tokens", () => {
  it("is not sent again: one POST, the consumer gets the error, no text twice", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { server } = ctx;
      const path = `/chat-${round}`;
      server.route(path, [
        events(["data: The\n\n", "data:  answer\n\n", "data:  is\n\n"], "destroy"),
        events(["data: The\n\n", "data:  answer\n\n", "data:  is forty two.\n\n"], "end"),
      ]);
      const rec = recorder();
      const client = ctx.client(server.url(path), {
        method: "POST",
        body: { prompt: "?" },
        retry: FAST_RETRY,
        ...rec.callbacks,
      });
      const { messages, done } = iterate(client);
      const { error, threw } = await done;
      expect(threw).toBe(true);
      expect(error).toBeInstanceOf(ResponseInterruptedError);
      const interrupted = error as ResponseInterruptedError;
      expect(interrupted.events).toBe(3);
      expect(interrupted.cause).toBeInstanceOf(NetworkError);
      expect(messages.items.map((m) => m.data).join("")).toBe("The answer is");
      expect(server.requestsTo(path).length).toBe(1);
      expect(rec.retries.length).toBe(0);
      expect(client.readyState).toBe("closed");
    }
  });

  it("is resumed once with Last-Event-ID when the server gave event ids", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { server } = ctx;
      const path = `/chat-${round}`;
      server.route(path, [
        events(
          ["id: 1\ndata: The\n\n", "id: 2\ndata:  answer\n\n", "id: 3\ndata:  is\n\n"],
          "destroy",
        ),
        events(["id: 4\ndata:  forty two.\n\n"], "end"),
      ]);
      const client = ctx.client(server.url(path), {
        method: "POST",
        body: { prompt: "?" },
        retry: FAST_RETRY,
      });
      const { messages, done } = iterate(client);
      expect(await done).toEqual({ error: undefined, threw: false });
      expect(messages.items.map((m) => m.data).join("")).toBe("The answer is forty two.");
      const requests = await server.requestsTo(path).waitFor(2);
      expect(requests).toHaveLength(2);
      expect(requests[0]?.lastEventId).toBeUndefined();
      expect(requests[1]?.lastEventId).toBe("3");
      expect(requests[1]?.method).toBe("POST");
    }
  });

  it("is retried as before when it broke before its first event", async () => {
    const { server } = ctx;
    server.route("/chat", [destroy(), events(["data: ok\n\n"], "end")]);
    const client = ctx.client(server.url("/chat"), {
      method: "POST",
      body: { prompt: "?" },
      retry: FAST_RETRY,
    });
    const { messages, done } = iterate(client);
    expect(await done).toEqual({ error: undefined, threw: false });
    expect(messages.items.map((m) => m.data)).toEqual(["ok"]);
    expect(server.requestsTo("/chat").length).toBe(2);
  });

  it("shouldRetry returning true replays it anyway, as asked", async () => {
    const { server } = ctx;
    server.route("/chat", [events(["data: a\n\n"], "destroy"), events(["data: a\n\n"], "end")]);
    const client = ctx.client(server.url("/chat"), {
      method: "POST",
      body: { prompt: "?" },
      retry: FAST_RETRY,
      shouldRetry: () => true,
    });
    const { messages, done } = iterate(client);
    expect(await done).toEqual({ error: undefined, threw: false });
    expect(messages.items.map((m) => m.data)).toEqual(["a", "a"]);
  });

  it("a GET subscription with reconnectOnEnd: false is a response too", async () => {
    const { server } = ctx;
    server.route("/once", [events(["data: a\n\n"], "destroy"), events(["data: a\n\n"], "end")]);
    const client = ctx.client(server.url("/once"), { reconnectOnEnd: false, retry: FAST_RETRY });
    const { done } = iterate(client);
    expect((await done).error).toBeInstanceOf(ResponseInterruptedError);
    expect(server.requestsTo("/once").length).toBe(1);
  });
});
