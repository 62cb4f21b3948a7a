/**
 * Announcing the connection (HTML §9.2.3, "announce the connection"; WPT eventsource-onopen): the
 * open event, readyState around it, and close() inside onopen. Ids onopen-*.
 */
import { describe, expect } from "vitest";
import { newKey, within } from "../helpers.js";
import { CLOSED, CONNECTING, OPEN, type SuiteContext } from "./context.js";

export function onopenSection(ctx: SuiteContext): void {
  const { open, scripted, timePasses, test } = ctx;
  describe("announcing the connection (eventsource-onopen)", () => {
    test("onopen-event", "open: a plain, untrusted-shaped Event while OPEN", async () => {
      // Headers only, no body byte: open must not wait for data.
      const source = open(ctx.fx.script(newKey(), [{ body: [], after: "hold" }]));
      const event = await within(
        new Promise<Event>((resolve) => {
          source.onopen = function (this: EventSource, e) {
            expect(this).toBe(source);
            expect(source.readyState).toBe(OPEN);
            resolve(e);
          };
        }),
        4000,
        () => "open event",
      );
      expect(event.type).toBe("open");
      expect(event).not.toBeInstanceOf(MessageEvent);
      expect("data" in event).toBe(false);
      expect(Object.hasOwn(event, "data")).toBe(false);
      expect(event.bubbles).toBe(false);
      expect(event.cancelable).toBe(false);
      expect(event.target).toBe(source);
    });

    test("onopen-close", "close() in onopen: CLOSED at once, nothing follows", async () => {
      // The head and the events come in one write (so the events are already received when
      // open fires), and the stream then ends, which would reconnect after 10 ms.
      const { source, rec, requests } = scripted([
        { coalesce: true, body: ["retry: 10\ndata: 1\n\ndata: 2\n\n"] },
      ]);
      source.onopen = () => {
        source.close();
        expect(source.readyState).toBe(CLOSED);
      };
      await rec.count(1, "open");
      await timePasses();
      expect(rec.log).toEqual(["open:1"]);
      expect(source.readyState).toBe(CLOSED);
      expect(await requests()).toHaveLength(1);
    });

    test(
      "onopen-readystate",
      "readyState: CONNECTING, OPEN in onopen, CLOSED after close()",
      async () => {
        const source = open(ctx.fx.message("data: x\n\n"));
        expect(source.readyState).toBe(CONNECTING);
        const state = await new Promise<number>((resolve) => {
          source.onopen = () => resolve(source.readyState);
        });
        expect(state).toBe(OPEN);
        source.close();
        expect(source.readyState).toBe(CLOSED);
      },
    );
  });
}
