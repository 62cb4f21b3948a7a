/**
 * Failing the connection on a status other than 200 (HTML §9.2.3; WPT request-status-error): one
 * error event while CLOSED, and no retry. Ids status-*.
 */
import { describe, expect } from "vitest";
import { newKey } from "../helpers.js";
import { CLOSED, type SuiteContext } from "./context.js";

export function statusSection(ctx: SuiteContext): void {
  const { record, timePasses, test } = ctx;
  describe("failing the connection (request-status-error)", () => {
    for (const code of [201, 204, 205, 210, 299, 404, 410, 500, 503]) {
      test(`status-${code}`, `status ${code}: error while CLOSED, no retry`, async () => {
        const key = newKey();
        const { source, rec } = record(ctx.fx.status(code, key));
        await rec.count(1, "error");
        expect(source.readyState).toBe(CLOSED);
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
        const error = rec.events[0]?.event as Event;
        expect("data" in error).toBe(false);
        expect(error.bubbles).toBe(false);
        expect(error.cancelable).toBe(false);
        expect((await ctx.fx.log(key)).requests).toHaveLength(1);
      });
    }
  });
}
