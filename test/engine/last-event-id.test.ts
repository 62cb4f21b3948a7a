/**
 * `Last-Event-ID` for ids no header can carry, against a real socket, for both clients (the
 * request is built once, in src/engine/request.ts). An `id:` with a control character (U+0001 to
 * U+0008, U+000B, U+000C, U+000E to U+001F, U+007F) is a valid id, but Node's fetch refuses to send
 * it in a header: reconnection must still reach the server, with no `Last-Event-ID` at all (the
 * documented choice: a header the server never sent cannot be guessed right, see SECURITY.md).
 */
import { describe, expect, it } from "vitest";
import { EventSource } from "../../src/index.js";
import { FAST_RETRY, iterate } from "../fixtures/client-recorder.js";
import { Collector } from "../fixtures/collector.js";
import { events } from "../fixtures/handlers.js";
import { useServer } from "../fixtures/recording-server.js";

const ctx = useServer();

/** Every character the issue names: the C0 controls but NUL, TAB, LF and CR, and DEL. */
const CONTROLS = [
  ...Array.from({ length: 8 }, (_, i) => i + 1),
  0x0b,
  0x0c,
  ...Array.from({ length: 18 }, (_, i) => i + 0x0e),
  0x7f,
].map((code) => String.fromCharCode(code));

describe("an id with a control character", () => {
  it("SSEClient reconnects without Last-Event-ID, then resumes from the next normal id", async () => {
    const { server } = ctx;
    const id = `a${CONTROLS.join("")}b`;
    server.route("/s", [
      events([`id: ${id}\ndata: 1\n\n`], "end"),
      events(["id: 2\ndata: 2\n\n"], "end"),
      events(["data: 3\n\n"], "keep"),
    ]);
    const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
    const { messages } = iterate(client);
    const got = await messages.waitFor(3);
    expect(got.map((m) => [m.data, m.lastEventId])).toEqual([
      ["1", id],
      ["2", "2"],
      ["3", "2"],
    ]);
    const requests = await server.requestsTo("/s").waitFor(3);
    expect(requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, undefined, "2"]);
  });

  it.each(CONTROLS.map((c) => [c.charCodeAt(0).toString(16).padStart(2, "0"), c]))(
    "SSEClient: U+00%s alone still reaches the server on reconnection",
    async (_, control) => {
      const { server } = ctx;
      server.route("/s", [
        events([`id: x${control}\ndata: 1\n\n`], "end"),
        events(["data: 2\n\n"], "keep"),
      ]);
      const client = ctx.client(server.url("/s"), { retry: FAST_RETRY });
      const { messages } = iterate(client);
      await messages.waitFor(2);
      const [, second] = await server.requestsTo("/s").waitFor(2);
      expect(second?.headers["last-event-id"]).toBeUndefined();
    },
  );

  it("SSEClient: the lastEventId option with a control character sends no header", async () => {
    const { server } = ctx;
    server.route("/s", events(["data: 1\n\n"], "keep"));
    const client = ctx.client(server.url("/s"), { lastEventId: "a\u0001b" });
    const { messages } = iterate(client);
    await messages.nth(1);
    const [first] = await server.requestsTo("/s").waitFor(1);
    expect(first?.headers["last-event-id"]).toBeUndefined();
  });

  it("EventSource reconnects without Last-Event-ID, then resumes from the next normal id", async () => {
    const { server } = ctx;
    const id = `a${CONTROLS.join("")}b`;
    server.route("/s", [
      events([`retry: 1\nid: ${id}\ndata: 1\n\n`], "end"),
      events(["id: 2\ndata: 2\n\n"], "end"),
      events(["data: 3\n\n"], "keep"),
    ]);
    const source = new EventSource(server.url("/s"));
    const received = new Collector<[string, string]>();
    source.onmessage = (event) => received.push([event.data, event.lastEventId]);
    try {
      expect(await received.waitFor(3)).toEqual([
        ["1", id],
        ["2", "2"],
        ["3", "2"],
      ]);
      const requests = await server.requestsTo("/s").waitFor(3);
      expect(requests.map((r) => r.headers["last-event-id"])).toEqual([undefined, undefined, "2"]);
    } finally {
      source.close();
    }
  });
});
