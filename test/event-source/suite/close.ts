/**
 * close() (HTML §9.2.2; WPT eventsource-close, eventsource-request-cancellation): the event
 * sequence up to CLOSED, close() at each point of a connection's life (right away, before the
 * response, in onerror, while waiting to reconnect, after a failure), and the request it aborts.
 * Ids close-*.
 */
import { describe, expect } from "vitest";
import { newKey } from "../helpers.js";
import { CLOSED, CONNECTING, type SuiteContext } from "./context.js";

export function closeSection(ctx: SuiteContext): void {
  const { record, scripted, timePasses, test } = ctx;
  describe("close() (eventsource-close, eventsource-request-cancellation)", () => {
    test("close-sequence", "the event sequence over two reconnections ending in 204", async () => {
      const { source, rec, requests } = scripted([
        { body: ["retry: 10\ndata: opened\n\n"] },
        { body: ["data: reconnected\n\n"] },
        { status: 204 },
      ]);
      await rec.until((events) => events.some((e) => e.readyState === CLOSED), "CLOSED");
      await timePasses();
      expect(rec.log).toEqual([
        "open:1",
        "message:1:opened",
        "error:0",
        "open:1",
        "message:1:reconnected",
        "error:0",
        "error:2",
      ]);
      expect(source.readyState).toBe(CLOSED);
      expect(await requests()).toHaveLength(3);
    });

    test("close-immediately", "close() right after construction: no event at all", async () => {
      const { source, rec } = record(ctx.fx.message("retry: 10\ndata: x\n\n", { after: "end" }));
      source.close();
      expect(source.readyState).toBe(CLOSED);
      await timePasses();
      expect(rec.log).toEqual([]);
    });

    test("close-aborts", "close() aborts the request: the server sees the client go", async () => {
      const key = newKey();
      const { source, rec } = record(ctx.fx.message("data: x\n\n", { key }));
      await rec.count(1, "message");
      source.close();
      const log = await ctx.fx.log(key, { wait: "closed", n: 1 });
      expect(log.timedOut).toBe(false);
      expect(log.requests[0]?.endedBy).toBe("client");
      expect(rec.log).toEqual(["open:1", "message:1:x"]);
    });

    test("close-while-connecting", "close() before the response: nothing fires", async () => {
      const { source, rec, serverLog } = scripted([
        { delay: 300, body: ["data: late\n\n"], after: "hold" },
      ]);
      const arrived = await serverLog({ wait: "count", n: 1 });
      expect(arrived.timedOut).toBe(false);
      source.close();
      const log = await serverLog({ wait: "closed", n: 1 });
      expect(log.requests[0]?.endedBy).toBe("client");
      await timePasses();
      expect(rec.log).toEqual([]);
    });

    test("close-in-onerror", "close() in onerror while reconnecting: no reconnection", async () => {
      const { source, rec, requests } = scripted([{ body: ["retry: 10\ndata: a\n\n"] }]);
      source.onerror = () => {
        expect(source.readyState).toBe(CONNECTING);
        source.close();
        expect(source.readyState).toBe(CLOSED);
      };
      await rec.count(1, "error");
      await timePasses();
      expect(rec.log).toEqual(["open:1", "message:1:a", "error:0"]);
      expect(await requests()).toHaveLength(1);
    });

    test("close-during-wait", "close() while waiting to reconnect cancels it", async () => {
      const { source, rec, requests } = scripted([{ body: ["retry: 10\ndata: a\n\n"] }]);
      await rec.count(1, "error");
      // After the error event's task, outside any handler.
      source.close();
      await timePasses();
      expect(rec.log).toEqual(["open:1", "message:1:a", "error:0"]);
      expect(await requests()).toHaveLength(1);
    });

    test(
      "close-after-fail",
      "close() in onerror after a failure; close() is idempotent",
      async () => {
        const key = newKey();
        const { source, rec } = record(ctx.fx.status(404, key));
        source.onerror = () => {
          source.close();
          source.close();
        };
        await rec.count(1, "error");
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
        source.close();
        expect(source.readyState).toBe(CLOSED);
      },
    );
  });
}
