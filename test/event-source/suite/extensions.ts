/**
 * ssekit's opt-in extensions, not in the spec (init `fetch`, `headers`, `method`, `body`),
 * registered only with SuiteOptions.extensions: the standard request without them, and what each
 * one sends. Ids ext-*. Then what makes it a drop-in for the `eventsource` npm package, as that
 * package documents it (its README and types): the `fetch` recipe, `code` and `message` on error
 * events, its feature-check symbol (ids ext-dropin-*); and credentials in the URL (ext-url-*).
 */
import { describe, expect } from "vitest";
import { newKey, scriptedRun } from "../helpers.js";
import { CONNECTING, type SuiteContext } from "./context.js";

/** The fields the `eventsource` package documents on its error events. */
type ErrorFields = { code?: number; message?: string };

/** `Basic` credentials as a browser sends them: base64 of the UTF-8 bytes of `user:password`. */
function basic(pair: string): string {
  return `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(pair)))}`;
}

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

    test(
      "ext-dropin-recipe",
      "the eventsource package's header recipe (a fetch spreading ...init.headers) keeps Accept and Last-Event-ID: a reconnection resumes",
      async () => {
        const seen: Record<string, string>[] = [];
        // The recipe of the package's README, "Setting HTTP request headers".
        const recipe = (input: string, init: RequestInit) => {
          seen.push(init.headers as Record<string, string>);
          return fetch(input, {
            ...init,
            headers: { ...init.headers, Authorization: "Bearer myToken" },
          });
        };
        const { rec, requests } = scriptedRun(
          ctx.fx,
          (url) => ctx.open(url, { fetch: recipe } as Init),
          [
            { body: ["retry: 10\nid: 1\ndata: one\n\n"] },
            { body: ["id: 2\ndata: two after {{lastEventId}}\n\n"], after: "hold" },
          ],
        );
        await rec.count(2, "message");
        // Resumed after event 1, not replayed from the start.
        expect(rec.messages().map((m) => m.data)).toEqual(["one", "two after 1"]);
        const [first, second] = await requests();
        for (const request of [first, second]) {
          expect(request?.headers.accept).toBe("text/event-stream");
          expect(request?.headers.authorization).toBe("Bearer myToken");
        }
        expect(first?.lastEventId).toBeNull();
        expect(second?.lastEventId).toBe("1");
        // What the wrapper got: plain objects, with the lower-case names `Headers` gives.
        expect(seen).toEqual([
          { accept: "text/event-stream" },
          { accept: "text/event-stream", "last-event-id": "1" },
        ]);
        expect(seen.map((headers) => Object.getPrototypeOf(headers))).toEqual([
          Object.prototype,
          Object.prototype,
        ]);
      },
    );

    for (const code of [401, 403, 500]) {
      test(
        `ext-dropin-code-${code}`,
        `a ${code} response: the error event has code ${code} and a message (eventsource package)`,
        async () => {
          const { rec } = ctx.scripted([
            { body: ["retry: 10\ndata: a\n\n"] },
            { status: code, body: ["data: b\n\n"] },
          ]);
          await rec.count(2, "error");
          expect(rec.log).toEqual(["open:1", "message:1:a", "error:0", "error:2"]);
          const [ended, failed] = rec.events
            .filter((e) => e.type === "error")
            .map((e) => e.event as Event & ErrorFields);
          // The end of a stream is no failure: nothing to report.
          expect([ended?.code, ended?.message]).toEqual([undefined, undefined]);
          expect(failed?.code).toBe(code);
          expect(failed?.message).toContain(String(code));
        },
      );
    }

    test(
      "ext-dropin-network-error",
      "a network error: the error event's code is undefined, its message says what failed",
      async () => {
        const { source, rec } = record(`http://127.0.0.1:${ctx.info.closedPort}/es/message`);
        await rec.count(1, "error");
        const event = rec.events[0]?.event as Event & ErrorFields;
        expect(rec.events[0]?.readyState).toBe(CONNECTING);
        expect(event.code).toBeUndefined();
        expect(typeof event.message).toBe("string");
        // Chromium's fetch says only "Failed to fetch"; Node's says what failed.
        if (!ctx.browser) expect(event.message).toContain("ECONNREFUSED");
        source.close();
      },
    );

    test(
      "ext-dropin-symbol",
      "the class carries the eventsource package's fetch-override symbol, non-enumerable",
      () => {
        const symbol = Symbol.for("eventsource.supports-fetch-override");
        // The feature check of the package's README.
        expect(symbol in ctx.ES).toBe(true);
        expect(Object.getOwnPropertyDescriptor(ctx.ES, symbol)?.enumerable).toBe(false);
      },
    );

    test(
      "ext-url-credentials",
      "credentials in the URL are sent as Authorization: Basic, on every connection; url keeps them",
      async () => {
        const key = newKey();
        const plain = ctx.fx.script(key, [
          { body: ["retry: 10\ndata: a\n\n"] },
          { body: ["data: b\n\n"], after: "hold" },
        ]);
        // usér and p@ss:wörd, percent-encoded as a URL has them.
        const withCredentials = plain.replace("://", "://us%C3%A9r:p%40ss:w%C3%B6rd@");
        const urls: string[] = [];
        const spy = (input: string, init: RequestInit) => {
          urls.push(input);
          return fetch(input, init);
        };
        const { source, rec } = record(withCredentials, [], { fetch: spy } as Init);
        await rec.count(2, "message");
        expect(source.url).toBe(new URL(withCredentials).href);
        // The URL fetched has none (fetch refuses a URL with credentials).
        expect(urls).toEqual([plain, plain]);
        const requests = (await ctx.fx.log(key)).requests;
        expect(requests.map((r) => r.headers.authorization)).toEqual([
          basic("usér:p@ss:wörd"),
          basic("usér:p@ss:wörd"),
        ]);
      },
    );

    test(
      "ext-url-credentials-header",
      "credentials in the URL: an Authorization header of the caller's wins",
      async () => {
        const key = newKey();
        const url = ctx.fx.message("data: x\n\n", { key }).replace("://", "://user@");
        const { rec } = record(url, [], { headers: { authorization: "Bearer mine" } } as Init);
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:x"]);
        const [request] = (await ctx.fx.log(key)).requests;
        expect(request?.headers.authorization).toBe("Bearer mine");
      },
    );
  });
}
