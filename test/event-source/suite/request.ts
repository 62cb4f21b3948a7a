/**
 * The request (HTML §9.2.2's request and §9.2.3's reconnection request; WPT request-accept,
 * request-cache-control, request-credentials, eventsource-cross-origin-preflight): method, Accept,
 * no caching, Last-Event-ID, and in a browser the CORS side: no preflight, Origin, withCredentials,
 * CORS failures. Ids request-*, credentials-* and cors-*.
 */
import { describe, expect } from "vitest";
import { newKey } from "../helpers.js";
import { CLOSED, type SuiteContext } from "./context.js";

export function requestSection(ctx: SuiteContext): void {
  const { record, scripted, timePasses, test, browserTest } = ctx;
  describe("the request (request-accept, request-cache-control, request-credentials)", () => {
    test("request-accept", "a GET with Accept: text/event-stream, no body", async () => {
      const key = newKey();
      const { rec } = record(ctx.fx.message("data: x\n\n", { key }));
      await rec.count(1, "message");
      const [request] = (await ctx.fx.log(key)).requests;
      expect(request?.method).toBe("GET");
      expect(request?.headers.accept).toBe("text/event-stream");
      expect(request?.headers["content-length"]).toBeUndefined();
      expect(request?.headers["transfer-encoding"]).toBeUndefined();
      expect(request?.lastEventId).toBeNull();
    });

    test("request-accept-echo", "the server sees Accept: text/event-stream", async () => {
      expect(
        (await scripted([{ body: ["data: {{header:accept}}\n\n"] }]).collect(1))[0]?.data,
      ).toBe("text/event-stream");
    });

    test("request-cache-control", "the request asks caches not to answer (no-cache)", async () => {
      const key = newKey();
      const { rec } = record(ctx.fx.message("data: x\n\n", { key }));
      await rec.count(1, "message");
      const [request] = (await ctx.fx.log(key)).requests;
      expect(request?.headers["cache-control"]).toBe("no-cache");
    });

    test("request-no-cache", "a cacheable response is never reused", async () => {
      const key = newKey();
      const url = `${ctx.fx.base}/es/cacheable?key=${key}`;
      for (const expected of ["0", "1"]) {
        const { source, rec } = record(url);
        await rec.count(1, "message");
        source.close();
        expect(rec.messages()[0]?.data).toBe(expected);
      }
      const [first, second] = (await ctx.fx.log(key)).requests;
      expect(first?.headers["if-none-match"]).toBeUndefined();
      expect(second?.headers["if-none-match"]).toBeUndefined();
      expect(second?.headers["if-modified-since"]).toBeUndefined();
    });

    test("request-last-event-id", "Last-Event-ID: none at first, then the last ID", async () => {
      const { rec, serverLog } = scripted([
        { body: ["retry: 10\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"] },
        { body: ["id: …é\ndata: c\n\n"] },
        { body: ["id\ndata: reset\n\n"] },
        { body: ["data: d\n\n"], after: "hold" },
      ]);
      await rec.count(5, "message");
      const log = await serverLog();
      expect(log.requests.map((r) => r.lastEventId)).toEqual([null, "2", "…é", null]);
      expect(rec.messages().map((m) => m.lastEventId)).toEqual(["1", "2", "…é", "", ""]);
    });

    test("request-last-event-id-no-data", "an id on an event without data counts", async () => {
      const { rec } = scripted([
        { body: ["retry: 10\nid: 7\n\n"] },
        { body: ["data: {{lastEventId}}\n\n"], after: "hold" },
      ]);
      await rec.count(1, "message");
      expect(rec.messages().map((m) => [m.data, m.lastEventId])).toEqual([["7", "7"]]);
    });

    // A Cache-Control request header (or any other author header) would make every request
    // preflighted; the native EventSource never is.
    browserTest("request-no-preflight", "the request needs no CORS preflight", async () => {
      const key = newKey();
      const { rec } = record(ctx.fx.message("data: a\n\n", { key }));
      await rec.count(1, "message");
      const log = await ctx.fx.log(key);
      expect(log.requests).toHaveLength(1);
      expect(log.preflights).toEqual([]);
    });

    // WPT eventsource-cross-origin-preflight: a CORS-safe Last-Event-ID needs no preflight.
    browserTest(
      "request-no-preflight-last-event-id",
      "a reconnection with a safe Last-Event-ID needs no preflight",
      async () => {
        const { rec, serverLog } = scripted([
          { body: ["retry: 10\nid: abc\ndata: a\n\n"] },
          { body: ["data: b\n\n"], after: "hold" },
        ]);
        await rec.count(2, "message");
        const log = await serverLog();
        expect(log.requests.map((r) => r.lastEventId)).toEqual([null, "abc"]);
        expect(log.preflights).toEqual([]);
      },
    );

    browserTest("request-origin", "a cross-origin request sends Origin", async () => {
      const key = newKey();
      const { rec } = record(ctx.fx.message("data: x\n\n", { key }));
      await rec.count(1, "message");
      const [request] = (await ctx.fx.log(key)).requests;
      expect(request?.headers.origin).toBe(globalThis.location.origin);
    });

    browserTest(
      "credentials-allowed",
      "withCredentials works when the server allows it",
      async () => {
        const key = newKey();
        const { source, rec } = record(ctx.fx.message("data: x\n\n", { key, cors: "echo" }), [], {
          withCredentials: true,
        });
        expect(source.withCredentials).toBe(true);
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:x"]);
      },
    );

    // A CORS failure is a network error. The spec then says "reestablish the connection,
    // unless the user agent knows that to be futile, in which case the user agent may fail the
    // connection": either readyState is allowed; required are an error event and no open or
    // message. The -closed variants check what WPT (eventsource-cross-origin) expects and
    // Chromium does: fail the connection (CLOSED).
    browserTest(
      "credentials-wildcard",
      "withCredentials fails against allow-origin: *",
      async () => {
        const { rec } = record(ctx.fx.message("data: x\n\n"), [], { withCredentials: true });
        await rec.count(1, "error");
        expect(rec.log.filter((entry) => !entry.startsWith("error"))).toEqual([]);
      },
    );

    browserTest(
      "credentials-wildcard-closed",
      "withCredentials against allow-origin: * fails the connection (CLOSED)",
      async () => {
        const { rec } = record(ctx.fx.message("data: x\n\n"), [], { withCredentials: true });
        await rec.count(1, "error");
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
      },
    );

    browserTest("cors-failure", "no access-control-allow-origin: error, no open", async () => {
      const { rec } = record(ctx.fx.message("data: x\n\n", { cors: "none" }));
      await rec.count(1, "error");
      expect(rec.log.filter((entry) => !entry.startsWith("error"))).toEqual([]);
    });

    browserTest(
      "cors-failure-closed",
      "no access-control-allow-origin fails the connection (CLOSED)",
      async () => {
        const key = newKey();
        const { source, rec } = record(ctx.fx.message("data: x\n\n", { key, cors: "none" }));
        await rec.count(1, "error");
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
        expect(source.readyState).toBe(CLOSED);
        expect((await ctx.fx.log(key)).requests).toHaveLength(1);
      },
    );
  });
}
