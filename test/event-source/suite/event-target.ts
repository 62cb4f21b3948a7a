/**
 * An EventSource as an EventTarget (WPT eventsource-eventtarget; DOM event dispatch): listeners
 * and their removal, handleEvent objects, once, duplicates, the place of the onmessage handler
 * among the listeners, and dispatchEvent. Ids eventtarget-*.
 */
import { describe, expect } from "vitest";
import { Recorder } from "../helpers.js";
import type { SuiteContext } from "./context.js";

export function eventTargetSection(ctx: SuiteContext): void {
  const { open, test } = ctx;
  describe("EventTarget (eventsource-eventtarget)", () => {
    test("eventtarget-listener", "addEventListener('message') receives messages", async () => {
      const source = open(ctx.fx.message("data: data\n\n"));
      const [event, currentTarget] = await new Promise<[MessageEvent, unknown]>((resolve) => {
        const listener = (e: Event) => resolve([e as MessageEvent, e.currentTarget]);
        source.addEventListener("message", listener, false);
      });
      expect(event.data).toBe("data");
      expect(event.target).toBe(source);
      expect(currentTarget).toBe(source);
    });

    test("eventtarget-remove", "removeEventListener stops delivery", async () => {
      // Two events in two chunks; the listener removes itself at the first.
      const source = open(ctx.fx.message("data: 1\n\ndata: 2\n\n", { split: 9, gap: 20 }));
      const seen: string[] = [];
      const listener = (e: Event) => {
        seen.push(String((e as MessageEvent).data));
        source.removeEventListener("message", listener);
      };
      const rec = new Recorder(source);
      source.addEventListener("message", listener);
      await rec.count(2, "message");
      expect(seen).toEqual(["1"]);
    });

    test("eventtarget-objects", "handleEvent objects, once, and duplicates", async () => {
      const source = open(ctx.fx.message("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
      const seen: string[] = [];
      const object = {
        handleEvent(e: MessageEvent) {
          seen.push(`object:${e.data}`);
        },
      };
      const once = (e: Event) => seen.push(`once:${(e as MessageEvent).data}`);
      const twice = (e: Event) => seen.push(`dup:${(e as MessageEvent).data}`);
      source.addEventListener("message", object as unknown as EventListenerObject);
      source.addEventListener("message", once, { once: true });
      source.addEventListener("message", twice);
      source.addEventListener("message", twice);
      await new Recorder(source).count(3, "message");
      expect(seen).toEqual([
        "object:1",
        "once:1",
        "dup:1",
        "object:2",
        "dup:2",
        "object:3",
        "dup:3",
      ]);
    });

    test("eventtarget-order", "handlers keep their place among listeners", async () => {
      const source = open(ctx.fx.message("data: 1\n\n"));
      const seen: string[] = [];
      source.addEventListener("message", () => seen.push("a"));
      source.onmessage = () => seen.push("h1");
      source.addEventListener("message", () => seen.push("b"));
      // Replacing the handler keeps its position (between a and b).
      // (Not currentTarget: Node 20's own EventTarget clears it after the first listener.)
      source.onmessage = function (this: EventSource, e) {
        seen.push(`h2:${this === source}:${e.target === source}`);
      };
      const done = new Promise<void>((resolve) => {
        source.addEventListener("message", () => resolve());
      });
      await done;
      expect(seen).toEqual(["a", "h2:true:true", "b"]);
    });

    test(
      "eventtarget-handler-reset",
      "a handler set to null and back moves to the end",
      async () => {
        const source = open(ctx.fx.message("data: 1\n\n"));
        const seen: string[] = [];
        source.onmessage = () => seen.push("h1");
        source.addEventListener("message", () => seen.push("a"));
        source.onmessage = null;
        source.onmessage = () => seen.push("h2");
        const done = new Promise<void>((resolve) => {
          source.addEventListener("message", () => resolve());
        });
        await done;
        expect(seen).toEqual(["a", "h2"]);
      },
    );

    test("eventtarget-dispatch", "dispatchEvent reaches listeners and the handler", () => {
      const source = open(ctx.fx.message("data: x\n\n"));
      const seen: unknown[] = [];
      source.onmessage = (e) => seen.push(["handler", e.data, e.isTrusted]);
      source.addEventListener("custom", (e) => seen.push(["custom", e.type]));
      expect(source.dispatchEvent(new MessageEvent("message", { data: "synthetic" }))).toBe(true);
      expect(source.dispatchEvent(new Event("custom"))).toBe(true);
      expect(seen).toEqual([
        ["handler", "synthetic", false],
        ["custom", "custom"],
      ]);
    });
  });
}
