/**
 * No server input makes SSEClient reconnect in a tight loop: a real server that answers every
 * connection with `retry: 0`, one event and the end of the stream (or with `Retry-After: 0`), on
 * the fake clock, so the count of connections over a minute is exact, whatever the machine's
 * speed. The rule itself is a row of src/client/decide.ts ("brief connections").
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SSEClient } from "../../src/index.js";
import { recorder } from "../fixtures/client-recorder.js";
import { advance, FAKE_NOW } from "../fixtures/fake-clock.js";
import { events, status } from "../fixtures/handlers.js";
import { type Handler, useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

// Only the client's clock is fake: from Node 22 on, fetch (undici) sees the clean end of a body
// through setImmediate, which must stay real or the end never arrives.
beforeEach(() =>
  vi.useFakeTimers({ now: FAKE_NOW, toFake: ["setTimeout", "clearTimeout", "Date"] }),
);
afterEach(() => vi.useRealTimers());

/**
 * Lets `client` reconnect for `span` ms of fake time: each reconnection is awaited (real I/O),
 * then the clock is moved by its delay. Stops early after `max` reconnections (a spinning client).
 */
async function run(
  client: SSEClient,
  retries: ReturnType<typeof recorder>["retries"],
  span: number,
  max = 50,
): Promise<number[]> {
  let elapsed = 0;
  while (retries.length < max) {
    const info = await retries.nth(retries.length + 1);
    if (elapsed + info.delay > span) break;
    elapsed += info.delay;
    await advance(info.delay);
  }
  expect(client.readyState).toBe("connecting");
  return retries.items.map((info) => info.delay);
}

describe("a server that drops every connection right after it opens", () => {
  it.each<[string, Handler]>([
    ["retry: 0, one event, end", events(["retry: 0\ndata: x\n\n"], "end")],
    ["retry: 0, one event, socket destroyed", events(["retry: 0\ndata: x\n\n"], "destroy")],
    ["retry: 0, no event, end", events(["retry: 0\n\n"], "end")],
  ])("(%s) gets at most 7 connections a minute", async (_, handler) => {
    const { server } = ctx;
    server.route("/s", handler);
    const rec = recorder();
    const client = ctx.client(server.url("/s"), { retry: { jitter: 0 }, ...rec.callbacks });
    const delays = await run(client, rec.retries, 60_000);
    // The client's own backoff from initialDelay: 1 s, 2 s, 4 s, ... (the 7th connection at 31 s).
    expect(delays.slice(0, 6)).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    expect(server.requests.length).toBeLessThanOrEqual(7);
  });

  it("Retry-After: 0 on a 503 between brief connections does not shorten the wait", async () => {
    const { server } = ctx;
    const brief = events(["retry: 0\ndata: x\n\n"], "end");
    const busy = status(503, { headers: { "retry-after": "0" } });
    server.route("/s", [brief, busy, brief, busy, brief, busy, brief, busy, brief, busy, brief]);
    const rec = recorder();
    const client = ctx.client(server.url("/s"), { retry: { jitter: 0 }, ...rec.callbacks });
    await run(client, rec.retries, 60_000);
    expect(server.requests.length).toBeLessThanOrEqual(10);
  });

  it("with initialDelay: 0 the floor still grows (from 100 ms)", async () => {
    const { server } = ctx;
    server.route("/s", events(["retry: 0\ndata: x\n\n"], "end"));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      retry: { initialDelay: 0, jitter: 0 },
      ...rec.callbacks,
    });
    const delays = await run(client, rec.retries, 60_000);
    expect(delays.slice(0, 4)).toEqual([100, 200, 400, 800]);
    expect(server.requests.length).toBeLessThanOrEqual(11);
  });
});
