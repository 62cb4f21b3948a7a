/**
 * Reestablishing the connection (HTML §9.2.3, "reestablish the connection", and the retry and id
 * fields of §9.2.6; WPT eventsource-reconnect): an error event and a reconnection after the end of
 * the stream, a drop or a refused connection, the reconnection time from `retry:` and the values it
 * ignores, the last event ID carried over, and nothing of one connection's stream leaking into the
 * next. Ids reconnect-*.
 */
import { describe, expect } from "vitest";
import { utf8 } from "../helpers.js";
import type { SuiteContext } from "./context.js";

export function reconnectSection(ctx: SuiteContext): void {
  const { record, scripted, dataOf, test } = ctx;
  describe("reestablishing the connection (eventsource-reconnect)", () => {
    test("reconnect-end", "end of stream: error while CONNECTING, then reconnect", async () => {
      const { rec } = scripted([
        { status: 200, body: ["retry: 10\ndata: ok\n\n"] },
        { body: ["data: data\n\n"], after: "hold" },
      ]);
      await rec.count(2, "message");
      expect(rec.log).toEqual(["open:1", "message:1:ok", "error:0", "open:1", "message:1:data"]);
    });

    test("reconnect-network-error", "a dropped connection is reestablished", async () => {
      const { rec, serverLog } = scripted([
        // (The pause before the drop: see the reconnect-reset tests.)
        { body: ["retry: 10\ndata: a\n\n", "data: partial", { wait: 30 }], after: "destroy" },
        { body: ["data: b\n\n"], after: "hold" },
      ]);
      await rec.count(2, "message");
      expect(rec.log).toEqual(["open:1", "message:1:a", "error:0", "open:1", "message:1:b"]);
      const log = await serverLog();
      expect(log.requests[0]?.endedBy).toBe("destroy");
    });

    test(
      "reconnect-refused",
      "a refused connection is reestablished (error while CONNECTING)",
      async () => {
        const { source, rec } = record(`http://127.0.0.1:${ctx.info.closedPort}/es/message`);
        await rec.count(1, "error");
        expect(rec.log).toEqual(["error:0"]);
        source.close();
      },
    );

    test("reconnect-retry", "waits the reconnection time (retry: 0400 is 400 ms)", async () => {
      const { rec, reconnectGap } = scripted([
        { body: ["retry: 0400\ndata: a\n\n"] },
        { body: ["data: b\n\n"], after: "hold" },
      ]);
      await rec.count(2, "message");
      const gap = await reconnectGap(1);
      // The client sees the end after the server does: the gap is at least the delay
      // (less timer jitter). 400 read as octal would be 256 ms.
      expect(gap).toBeGreaterThanOrEqual(380);
      expect(gap).toBeLessThan(2500);
      // The error event comes when the connection ends, before the wait, not after it.
      const [error, reopen] = rec.events.filter((e, i) => i >= 2 && e.type !== "message");
      expect([error?.type, reopen?.type]).toEqual(["error", "open"]);
      expect((reopen?.at ?? 0) - (error?.at ?? 0)).toBeGreaterThanOrEqual(380);
    });

    test("reconnect-retry-persists", "the reconnection time lasts over connections", async () => {
      const { rec, reconnectGap } = scripted([
        { body: ["retry: 300\ndata: a\n\n"] },
        { body: ["data: b\n\n"] },
        { body: ["data: c\n\n"], after: "hold" },
      ]);
      await rec.count(3, "message");
      const gap = await reconnectGap(2);
      expect(gap).toBeGreaterThanOrEqual(285);
      expect(gap).toBeLessThan(2500);
    });

    test("reconnect-retry-bogus", "retry values that are not all digits are ignored", async () => {
      const { rec, reconnectGap } = scripted([
        {
          body: [
            "retry: 300\nretry: 5000x\nretry: -1\nretry: 1 0\nretry:+5\nretry: 1.5\ndata: a\n\n",
          ],
        },
        { body: ["data: b\n\n"], after: "hold" },
      ]);
      await rec.count(2, "message", 4500);
      const gap = await reconnectGap(1);
      expect(gap).toBeGreaterThanOrEqual(285);
      expect(gap).toBeLessThan(2500);
    });

    test("reconnect-retry-empty", "an empty retry field changes nothing", async () => {
      expect(await dataOf("retry\ndata: test\n\n", 1)).toEqual(["test"]);
    });

    test(
      "reconnect-retry-empty-value",
      "an empty retry value keeps the reconnection time",
      async () => {
        // "If the field value consists of only ASCII digits ... Otherwise, ignore the field": an
        // empty value is no integer, so the 300 ms set before it stays.
        const { rec, reconnectGap } = scripted([
          { body: ["retry: 300\nretry\nretry:\nretry: \ndata: a\n\n"] },
          { body: ["data: b\n\n"], after: "hold" },
        ]);
        await rec.count(2, "message", 4500);
        const gap = await reconnectGap(1);
        expect(gap).toBeGreaterThanOrEqual(285);
        expect(gap).toBeLessThan(2500);
      },
    );

    test(
      "reconnect-lasteventid",
      "the last event ID persists into the next connection",
      async () => {
        const messages = await scripted([
          { body: ["id: …\nretry: 10\ndata: hello\n\n"] },
          { body: ["data: {{lastEventId}}\n\ndata: again\n\n"], after: "hold" },
        ]).collect(3);
        expect(messages.map((m) => [m.data, m.lastEventId])).toEqual([
          ["hello", "…"],
          ["…", "…"],
          ["again", "…"],
        ]);
      },
    );

    test("reconnect-reset-bom", "each connection's stream may start with a BOM", async () => {
      const { rec } = scripted([
        { body: ["\uFEFFretry: 10\ndata: one\n\n"] },
        { body: ["\uFEFFdata: two\n\n"], after: "hold" },
      ]);
      await rec.count(2, "message");
      expect(rec.log).toEqual(["open:1", "message:1:one", "error:0", "open:1", "message:1:two"]);
    });

    // Each twice: the first connection ends cleanly, or is dropped (a network error). The
    // server writes the complete event, then the unfinished tail, then pauses before the end:
    // a stream that errors discards what the page has not read yet (Streams' error() empties
    // the queue, and Chromium's own EventSource loses data that arrives with the drop too), so
    // the pause makes sure the tail is read before the drop and the test sees the reset.
    for (const after of ["end", "destroy"] as const) {
      const expected = ["open:1", "message:1:one", "error:0", "open:1", "message:1:two"];

      test(`reconnect-reset-line-${after}`, `a partial line never leaks (${after})`, async () => {
        const { rec } = scripted([
          { body: ["retry: 10\ndata: one\n\n", "data: leak", { wait: 30 }], gap: 20, after },
          { body: ["ed\n\ndata: two\n\n"], after: "hold" },
        ]);
        await rec.count(2, "message");
        expect(rec.log).toEqual(expected);
      });

      test(
        `reconnect-reset-utf8-${after}`,
        `a partial UTF-8 sequence never leaks (${after})`,
        async () => {
          // "data: " then the first two bytes of "€" (E2 82 AC); the next connection starts with
          // the third. Carried over, they would make "€" or a U+FFFD part of a data line.
          const first = [...utf8("data: "), 0xe2, 0x82];
          const second = [0xac, ...utf8("\n\ndata: two\n\n")];
          const b64 = (bytes: number[]) => ({ b64: btoa(String.fromCharCode(...bytes)) });
          const { rec } = scripted([
            {
              body: ["retry: 10\ndata: one\n\n", b64(first), { wait: 30 }],
              gap: 20,
              after,
            },
            { body: [b64(second)], after: "hold" },
          ]);
          await rec.count(2, "message");
          expect(rec.log).toEqual(expected);
        },
      );

      test(
        `reconnect-reset-event-${after}`,
        `an undispatched event never leaks (${after})`,
        async () => {
          const { rec, requests } = scripted(
            [
              {
                body: [
                  "retry: 10\nid: 1\ndata: one\n\n",
                  "id: 2\nevent: typed\ndata: pending\n",
                  { wait: 30 },
                ],
                gap: 20,
                after,
              },
              { body: ["\ndata: two\n\n"], after: "hold" },
            ],
            ["typed"],
          );
          await rec.count(2, "message");
          expect(rec.log).toEqual(expected);
          // The id of the undispatched event was never committed.
          expect(rec.messages().map((m) => m.lastEventId)).toEqual(["1", "1"]);
          expect((await requests())[1]?.lastEventId).toBe("1");
        },
      );
    }
  });
}
