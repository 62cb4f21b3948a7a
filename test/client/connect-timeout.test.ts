/**
 * connectTimeout against a real server that accepts the connection and never answers: the client
 * gives up on the response headers after `connectTimeout` ms of the fake clock (not undici's five
 * minutes), reports a ConnectTimeoutError and reconnects, as after a network error. Every step
 * waits on an event: the request reaching the server, the error reaching `onError`.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ConnectTimeoutError, SSEError } from "../../src/index.js";
import { iterate, recorder } from "../fixtures/client-recorder.js";
import { advance, startFakeClock } from "../fixtures/fake-clock.js";
import { events, hang } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

beforeEach(() => startFakeClock());
afterEach(() => vi.useRealTimers());

describe("connectTimeout", () => {
  it("gives up on a server that never sends its headers, reports it and reconnects", async () => {
    const { server } = ctx;
    server.route("/s", [hang(), events(["data: ok\n\n"])]);
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      connectTimeout: 5000,
      retry: { initialDelay: 10, jitter: 0 },
      ...rec.callbacks,
    });
    const { messages } = iterate(client);
    const first = await server.requestsTo("/s").nth(1);
    await advance(4999);
    expect(rec.errors.length).toBe(0);
    await advance(1);
    const error = await rec.errors.nth(1);
    expect(error).toBeInstanceOf(ConnectTimeoutError);
    expect(error).toBeInstanceOf(SSEError);
    expect(error.name).toBe("ConnectTimeoutError");
    expect((error as ConnectTimeoutError).timeout).toBe(5000);
    expect(error.message).toBe("No response within 5000 ms (connectTimeout)");
    // The client, not the server, dropped the connection.
    expect(await first.closed).toEqual({ finished: false });
    const retry = await rec.retries.nth(1);
    expect(retry).toEqual({ attempt: 1, delay: 10, cause: error });
    await advance(10);
    expect((await messages.nth(1)).data).toBe("ok");
    expect(server.requests.length).toBe(2);
  });

  it("is on by default: 30 s", async () => {
    const { server } = ctx;
    server.route("/s", hang());
    const rec = recorder();
    ctx.client(server.url("/s"), { retry: { jitter: 0 }, ...rec.callbacks });
    await server.requestsTo("/s").nth(1);
    await advance(29_999);
    expect(rec.errors.length).toBe(0);
    await advance(1);
    expect(await rec.errors.nth(1)).toMatchObject({ name: "ConnectTimeoutError", timeout: 30_000 });
  });

  it("stops counting once the headers came: a quiet open stream is idleTimeout's business", async () => {
    const { server } = ctx;
    server.route("/s", events([]));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), { connectTimeout: 1000, ...rec.callbacks });
    await rec.opens.nth(1);
    await advance(60_000);
    expect(rec.errors.length).toBe(0);
    expect(client.readyState).toBe("open");
  });

  it("0 turns it off", async () => {
    const { server } = ctx;
    server.route("/s", hang());
    const rec = recorder();
    const client = ctx.client(server.url("/s"), { connectTimeout: 0, ...rec.callbacks });
    await server.requestsTo("/s").nth(1);
    await advance(120_000);
    expect(rec.errors.length).toBe(0);
    expect(client.readyState).toBe("connecting");
  });
});
