/**
 * Dispatching messages (HTML §9.2.6, "dispatch the event"; WPT eventsource-onmessage): the fields
 * of the MessageEvent, isTrusted, and close() in a handler or listener stopping the rest of the
 * chunk. Ids onmessage-*.
 */
import { describe, expect } from "vitest";
import { CLOSED, type SuiteContext } from "./context.js";

export function onmessageSection(ctx: SuiteContext): void {
  const { open, scripted, timePasses, test } = ctx;
  describe("dispatching messages (eventsource-onmessage)", () => {
    test("onmessage-event", "message: a MessageEvent with data, origin, lastEventId", async () => {
      const source = open(ctx.fx.message("id: 7\ndata: data\n\n"));
      const event = await new Promise<MessageEvent>((resolve) => {
        source.onmessage = resolve;
      });
      expect(event).toBeInstanceOf(MessageEvent);
      expect(event.type).toBe("message");
      expect(event.data).toBe("data");
      expect(event.origin).toBe(new URL(ctx.fx.base).origin);
      expect(event.lastEventId).toBe("7");
      expect(event.source).toBeNull();
      expect(event.ports).toEqual([]);
      expect(event.bubbles).toBe(false);
      expect(event.cancelable).toBe(false);
      expect(event.target).toBe(source);
    });

    test("onmessage-trusted", "message events are trusted", async () => {
      const source = open(ctx.fx.message("data: data\n\n"));
      const event = await new Promise<MessageEvent>((resolve) => {
        source.onmessage = resolve;
      });
      expect(event.isTrusted).toBe(true);
    });

    test(
      "onmessage-close",
      "close() in onmessage: no later event, even of the same chunk",
      async () => {
        const { source, rec, requests } = scripted(
          [
            {
              coalesce: true,
              body: ["retry: 10\ndata: 1\n\ndata: 2\n\nevent: other\ndata: 3\n\ndata: 4\n\n"],
            },
          ],
          ["other"],
        );
        source.onmessage = (e) => {
          if (e.data === "1") source.close();
        };
        await rec.count(1, "message");
        await timePasses();
        expect(rec.log).toEqual(["open:1", "message:1:1"]);
        expect(source.readyState).toBe(CLOSED);
        expect(await requests()).toHaveLength(1);
      },
    );

    test(
      "onmessage-typed-close",
      "close() in a custom event listener stops the chunk too",
      async () => {
        const { source, rec } = scripted(
          [{ body: ["retry: 10\nevent: a\ndata: 1\n\ndata: 2\n\n"] }],
          ["a"],
        );
        source.addEventListener("a", () => source.close());
        await rec.count(1, "a");
        await timePasses();
        expect(rec.log).toEqual(["open:1", "a:1:1"]);
      },
    );
  });
}
