/**
 * idleTimeout against a real socket: silence (even before the headers) drops and resumes the
 * connection; comments count as activity. Real time, but every wait is on an event.
 */
import { describe, expect, it } from "vitest";
import { IdleTimeoutError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { events, hang, sse } from "../fixtures/handlers.js";
import { type Handler, useServer } from "../fixtures/recording-server.js";

const ctx = useServer();
const IDLE = 200;

describe("idleTimeout", () => {
  it("drops a silent connection with IdleTimeoutError and resumes with Last-Event-ID", async () => {
    const { server } = ctx;
    // Sends one event, then nothing, socket open.
    server.route("/s", [events(["id: é-1\ndata: a\n\n"]), events(["id: 2\ndata: b\n\n"])]);
    const rec = recorder();
    const times: Record<string, number> = {};
    const client = ctx.client(server.url("/s"), {
      idleTimeout: IDLE,
      retry: FAST_RETRY,
      ...rec.callbacks,
      onError: (error) => {
        times.error = performance.now();
        rec.errors.push(error);
      },
    });
    // Timed as it is delivered, in the task that read it: the silence starts there (the loop
    // below sees the message later, by as much as the machine is loaded).
    client.on("message", () => {
      times.first ??= performance.now();
    });
    const { messages } = iterate(client);
    await messages.nth(1);

    const error = await rec.errors.nth(1);
    expect(error).toBeInstanceOf(IdleTimeoutError);
    expect((error as IdleTimeoutError).timeout).toBe(IDLE);
    const retry = await rec.retries.nth(1);
    expect(retry.cause).toBe(error);
    expect(retry.attempt).toBe(1);

    const all = await messages.waitFor(2);
    expect(all.map((m) => [m.data, m.lastEventId])).toEqual([
      ["a", "é-1"],
      ["b", "2"],
    ]);
    const [first, second] = await server.requestsTo("/s").waitFor(2);
    expect(second?.lastEventId).toBe("é-1");
    // The client, not the server, dropped the first connection, after about IDLE ms of silence.
    expect(await first?.closed).toEqual({ finished: false });
    const silence = (times.error ?? 0) - (times.first ?? 0);
    expect(silence).toBeGreaterThanOrEqual(IDLE - 20);
    expect(silence).toBeLessThan(IDLE * 5);
    expect(rec.errors.length).toBe(1);
    expect(client.readyState).toBe("open");
  });

  it("keeps a connection alive past several timeouts while comments arrive every 50 ms", async () => {
    const { server } = ctx;
    const heartbeat: Handler = ({ res }) => {
      sse(res, ["data: hello\n\n"]);
      const timer = setInterval(() => res.write(": ping\n\n"), 50);
      res.on("close", () => clearInterval(timer));
    };
    server.route("/s", heartbeat);
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      idleTimeout: IDLE,
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { messages } = iterate(client);
    await messages.nth(1);
    const start = performance.now();
    // 16 heartbeats: 800 ms, four idle timeouts long, with no data at all.
    const comments = await rec.comments.waitFor(16);
    expect(performance.now() - start).toBeGreaterThan(IDLE * 3);
    expect(comments.every((text) => text === " ping")).toBe(true);
    expect(server.requests.length).toBe(1);
    expect(rec.errors.length).toBe(0);
    expect(rec.retries.length).toBe(0);
    expect(messages.length).toBe(1);
    expect(client.readyState).toBe("open");
  });

  it.each([
    ["never sends the response headers", hang()],
    ["sends the headers but never a byte of body", events([])],
  ])("times out a server that %s", async (_, silent) => {
    const { server } = ctx;
    server.route("/s", [silent, events(["data: ok\n\n"])]);
    const rec = recorder();
    // Measured from before the client exists, so from before its timer starts: the timeout can
    // never come sooner than IDLE after this (less a millisecond of timer rounding), however
    // late a loaded machine delivers the request to the server.
    const start = performance.now();
    const client = ctx.client(server.url("/s"), {
      idleTimeout: IDLE,
      retry: FAST_RETRY,
      ...rec.callbacks,
    });
    const { messages } = iterate(client);
    const first = await server.requestsTo("/s").nth(1);
    const error = await rec.errors.nth(1);
    const waited = performance.now() - start;
    expect(error).toBeInstanceOf(IdleTimeoutError);
    expect(waited).toBeGreaterThanOrEqual(IDLE - 1);
    expect(waited).toBeLessThan(IDLE * 5);
    expect((await messages.nth(1)).data).toBe("ok");
    expect(await first.closed).toEqual({ finished: false });
    expect(server.requests.length).toBe(2);
    expect(rec.retries.items.map((r) => r.cause)).toEqual([error]);
  });
});
