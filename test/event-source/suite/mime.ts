/**
 * The response's content type (HTML §9.2.3: its essence must be text/event-stream; WPT
 * format-mime-*, format-utf-8): the types that fail the connection and those that open it. Ids
 * mime-*.
 */
import { describe, expect } from "vitest";
import { newKey } from "../helpers.js";
import { CLOSED, type SuiteContext } from "./context.js";

export function mimeSection(ctx: SuiteContext): void {
  const { record, timePasses, test } = ctx;
  describe("content type (format-mime-*)", () => {
    const fails = (id: string, type: string) =>
      test(id, `content type ${JSON.stringify(type)} fails the connection`, async () => {
        const key = newKey();
        const { source, rec } = record(
          ctx.fx.message("retry: 10\ndata: data\n\n", { type, key, after: "end" }),
        );
        await rec.count(1, "error");
        expect(source.readyState).toBe(CLOSED);
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
        const error = rec.events[0]?.event as Event;
        expect(error).not.toBeInstanceOf(MessageEvent);
        expect(error.bubbles).toBe(false);
        expect(error.cancelable).toBe(false);
        expect((await ctx.fx.log(key)).requests).toHaveLength(1);
      });
    fails("mime-bogus", "x bogus");
    fails("mime-valid-bogus", "text/x-bogus");
    fails("mime-plain", "text/plain");
    fails("mime-near-miss", "text/event-streams");
    fails("mime-missing", "none");

    const opens = (id: string, type: string) =>
      test(id, `content type ${JSON.stringify(type)} is an event stream`, async () => {
        const { rec } = record(ctx.fx.message("data: ok…\n\n", { type }));
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:ok…"]);
      });
    opens("mime-trailing-semicolon", "text/event-stream;");
    opens("mime-parameters", "text/event-stream; charset=utf-8; foo=bar");
    opens("mime-case", "Text/EVENT-Stream");
    // Always UTF-8, whatever the charset parameter says (format-utf-8).
    opens("mime-charset-ignored", "text/event-stream;charset=windows-1252");
  });
}
