/**
 * ssekit's opt-in extensions, not in the spec (init `fetch`, `headers`, `method`, `body`),
 * registered only with SuiteOptions.extensions: the standard request without them, and what each
 * one sends. Ids ext-*.
 */
import { describe, expect } from "vitest";
import { newKey } from "../helpers.js";
import type { SuiteContext } from "./context.js";

export function extensionsSection(ctx: SuiteContext): void {
  const { record, test } = ctx;
  describe("ssekit extensions (opt-in init fields)", () => {
    type Init = EventSourceInit & Record<string, unknown>;
    test("ext-default-request", "without extensions: the standard request", async () => {
      const calls: { url: string; init: RequestInit }[] = [];
      const fetchSpy: typeof fetch = (input, init) => {
        calls.push({ url: String(input), init: init ?? {} });
        return fetch(input, init);
      };
      const url = ctx.fx.message("data: x\n\n");
      const { rec } = record(url, [], { fetch: fetchSpy } as Init);
      await rec.count(1, "message");
      const [call] = calls;
      expect(call?.url).toBe(url);
      expect(call?.init.method).toBe("GET");
      expect(call?.init.cache).toBe("no-store");
      expect(call?.init.credentials).toBe("same-origin");
      expect(call?.init.mode).toBe("cors");
      expect(call?.init.body).toBeUndefined();
      const headers = new Headers(call?.init.headers);
      expect([...headers.keys()]).toEqual(["accept"]);
      expect(headers.get("accept")).toBe("text/event-stream");
    });

    test("ext-credentials", "withCredentials: credentials mode include", async () => {
      const modes: (string | undefined)[] = [];
      const fetchSpy: typeof fetch = (input, init) => {
        modes.push(init?.credentials);
        return fetch(input, init);
      };
      const { rec } = record(ctx.fx.message("data: x\n\n", { cors: "echo" }), [], {
        withCredentials: true,
        fetch: fetchSpy,
      } as Init);
      await rec.count(1, "message");
      expect(modes).toEqual(["include"]);
    });

    test("ext-headers-method-body", "headers, method and body are sent", async () => {
      const key = newKey();
      const { rec } = record(ctx.fx.message("data: x\n\n", { key }), [], {
        headers: { "x-token": "t1" },
        method: "post",
        body: "payload",
      } as Init);
      await rec.count(1, "message");
      const [request] = (await ctx.fx.log(key)).requests;
      expect(request?.method).toBe("POST");
      expect(request?.headers["x-token"]).toBe("t1");
      expect(request?.headers["content-length"]).toBe("7");
      expect(request?.headers.accept).toBe("text/event-stream");
    });
  });
}
