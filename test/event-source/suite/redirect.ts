/**
 * Redirects (WPT request-redirect, eventsource-cross-origin): every redirect status is followed,
 * `url` stays the constructor's, the origin is the final URL's, and a redirect to an error fails
 * the connection. Ids redirect-*.
 */
import { describe, expect } from "vitest";
import { Fixture, newKey } from "../helpers.js";
import { CLOSED, type SuiteContext } from "./context.js";

export function redirectSection(ctx: SuiteContext): void {
  const { record, timePasses, test } = ctx;
  describe("redirects (request-redirect, eventsource-cross-origin)", () => {
    for (const status of [301, 302, 303, 307, 308]) {
      test(`redirect-${status}`, `a ${status} redirect is followed`, async () => {
        const key = newKey();
        const target = ctx.fx.message("data: data\n\n", { key });
        const url = ctx.fx.redirect(status, target, key);
        const { source, rec } = record(url);
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:data"]);
        expect(rec.events[1]?.origin).toBe(new URL(ctx.fx.base).origin);
        // `url` stays the URL given to the constructor.
        expect(source.url).toBe(url);
        const log = await ctx.fx.log(key);
        expect(log.requests.map((r) => r.path.split("?")[0])).toEqual([
          "/es/redirect",
          "/es/message",
        ]);
        expect(log.requests[1]?.headers.accept).toBe("text/event-stream");
      });
    }

    test("redirect-cross-origin", "origin comes from the final URL", async () => {
      const key = newKey();
      const target = new Fixture(ctx.info.altUrl).message("data: data\n\n", { key });
      const { rec } = record(ctx.fx.redirect(307, target, key));
      await rec.count(1, "message");
      expect(rec.events[1]?.origin).toBe(new URL(ctx.info.altUrl).origin);
      expect(new URL(ctx.info.altUrl).origin).not.toBe(new URL(ctx.fx.base).origin);
    });

    test("redirect-to-error", "a redirect to a 404 fails the connection", async () => {
      const key = newKey();
      const { source, rec } = record(ctx.fx.redirect(302, ctx.fx.status(404, key), key));
      await rec.count(1, "error");
      await timePasses();
      expect(rec.log).toEqual(["error:2"]);
      expect(source.readyState).toBe(CLOSED);
    });
  });
}
