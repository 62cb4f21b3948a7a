/**
 * An event past `maxEventSize` against a real socket: the client skips it, reports the ParseError
 * to `onError` and delivers what follows on the same connection (no reconnection that would
 * download the same event again). The parser's own rules: test/parser/parser.test.ts, "maxEventSize".
 */
import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/index.js";
import { FAST_RETRY, iterate, recorder } from "../fixtures/client-recorder.js";
import { events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

describe("an event past maxEventSize", () => {
  it.each([
    ["one long line", [`id: 1\ndata: ${"x".repeat(500)}\n\n`]],
    ["many short lines", [`id: 1\n${"data: 0123456789\n".repeat(50)}\n`]],
    [
      "a long line over several chunks",
      ["id: 1\ndata: ", "x".repeat(300), "x".repeat(300), "\n\n"],
    ],
  ])(
    "(%s) is skipped and reported; the next event arrives on the same connection",
    async (_, big) => {
      const { server } = ctx;
      server.route("/s", events(["data: before\n\n", ...big, "id: 2\ndata: after\n\n"], "keep"));
      const rec = recorder();
      const client = ctx.client(server.url("/s"), {
        maxEventSize: 100,
        retry: FAST_RETRY,
        ...rec.callbacks,
      });
      const { messages } = iterate(client);
      const delivered = await messages.waitFor(2);
      expect(delivered.map((m) => [m.data, m.lastEventId])).toEqual([
        ["before", ""],
        ["after", "2"],
      ]);
      expect(rec.errors.items).toHaveLength(1);
      const error = rec.errors.items[0] as ParseError;
      expect(error).toBeInstanceOf(ParseError);
      expect(error.limit).toBe(100);
      expect(server.requests.length).toBe(1);
      expect(rec.retries.length).toBe(0);
      expect(client.readyState).toBe("open");
    },
  );

  it("is reported once per event, and a stream of them never reconnects", async () => {
    const { server } = ctx;
    const big = `data: ${"y".repeat(200)}\n\n`;
    server.route("/s", events([big, "data: a\n\n", big, big, "data: b\n\n"], "end"));
    const rec = recorder();
    const client = ctx.client(server.url("/s"), {
      maxEventSize: 100,
      retry: false,
      ...rec.callbacks,
    });
    const { messages, done } = iterate(client);
    expect(await done).toEqual({ error: undefined, threw: false });
    expect(messages.items.map((m) => m.data)).toEqual(["a", "b"]);
    expect(rec.errors.items.map((e) => e.name)).toEqual(["ParseError", "ParseError", "ParseError"]);
    expect(server.requests.length).toBe(1);
  });
});
