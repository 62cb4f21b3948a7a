/**
 * The constructor and `url` (HTML §9.2.2, the EventSource(url, eventSourceInitDict) steps; WPT
 * eventsource-constructor-*, eventsource-url, eventsource-constructor-non-same-origin): parsing and
 * serialising the URL, relative and unparsable URLs, non-HTTP(S) schemes, data: URLs, and the
 * readyState and withCredentials a new source starts with. Ids url-* and constructor-*.
 */
import { describe, expect } from "vitest";
import { Recorder } from "../helpers.js";
import { CONNECTING, type SuiteContext } from "./context.js";

export function constructorSection(ctx: SuiteContext): void {
  const { ES, open, record, test, browserTest, nodeTest } = ctx;
  describe("constructor and url (eventsource-constructor-*, eventsource-url)", () => {
    test("url-serialised", "url is the serialised URL, normalised, with its fragment", () => {
      const input = `${ctx.fx.base.replace("http:", "HTTP:")}/es/./x/../message?q=a b#frag`;
      const source = open(input);
      expect(source.url).toBe(new URL(input).href);
      expect(source.url).toBe(`${ctx.fx.base}/es/message?q=a%20b#frag`);
    });

    test("url-object", "a URL object is accepted and connects", async () => {
      const url = ctx.fx.message("data: y\n\n");
      const source = open(new URL(url));
      expect(source.url).toBe(url);
      const rec = new Recorder(source);
      await rec.count(1, "message");
      expect(rec.log).toEqual(["open:1", "message:1:y"]);
    });

    test("url-stringify", "an object with toString is stringified and connects", async () => {
      const url = ctx.fx.message("data: data\n\n");
      const source = open({ toString: () => url } as unknown as string);
      expect(source.url).toBe(url);
      const rec = new Recorder(source);
      await rec.count(1, "message");
      expect(rec.log).toEqual(["open:1", "message:1:data"]);
      expect(rec.events[0]?.message).toBe(false);
    });

    browserTest("url-relative", "a relative URL is parsed against the document base URL", () => {
      const baseURI = (globalThis as unknown as { document: { baseURI: string } }).document.baseURI;
      for (const input of ["es-relative", "/es-root?x=1", "", 1, null, undefined]) {
        const source = open(input as unknown as string);
        // Closed at once: the relative URL points at the test page's server, not at a stream.
        source.close();
        expect(source.url).toBe(new URL(String(input), baseURI).href);
      }
    });

    nodeTest("url-relative-no-base", "without a base URL a relative URL throws", () => {
      for (const input of ["es-relative", "/es/message", ""]) {
        expect(() => open(input)).toThrow(expect.objectContaining({ name: "SyntaxError" }));
      }
    });

    test("url-bogus", "an unparsable URL throws a SyntaxError DOMException", () => {
      for (const input of [
        "http://[::1",
        "http://a:b:c/",
        "http://example.com:65536/",
        "http://",
      ]) {
        let thrown: unknown;
        try {
          open(input);
        } catch (error) {
          thrown = error;
        }
        expect(thrown, input).toMatchObject({ name: "SyntaxError", code: 12 });
        if (typeof DOMException === "function") {
          expect(thrown, input).toBeInstanceOf(DOMException);
        }
      }
    });

    test("url-bogus-space", "a space in the host is a parse error (WPT's bogus URL)", () => {
      expect(() => open("http://this is invalid/")).toThrow(
        expect.objectContaining({ name: "SyntaxError" }),
      );
    });

    // Fetching these is a network error, and retrying one is futile: WPT
    // (eventsource-constructor-non-same-origin) expects the connection to fail.
    test("url-non-http", "non-HTTP(S) URLs: a plain error event, CLOSED", async () => {
      for (const url of [
        "ftp://example.not/",
        "about:blank",
        "mailto:whatwg@awesome.example",
        "javascript:void 0",
      ]) {
        const { source, rec } = record(url);
        await rec.count(1, "error");
        expect(rec.log, url).toEqual(["error:2"]);
        expect(rec.events[0]?.message, url).toBe(false);
        source.close();
      }
    });

    test("url-data", "a data: URL with an event stream is fetched and dispatched", async () => {
      const url = "data:text/event-stream,data:%20from%20a%20data%20URL%0A%0A";
      const { rec } = record(url);
      await rec.count(1, "message");
      // (The response ends at once, so an error event and a reconnection may follow.)
      expect(rec.log.slice(0, 2)).toEqual(["open:1", "message:1:from a data URL"]);
      expect(rec.events[1]?.origin).toBe("null");
    });

    test("constructor-readystate", "readyState is CONNECTING right after construction", () => {
      const source = open(ctx.fx.message("data: x\n\n"));
      expect(source.readyState).toBe(CONNECTING);
      expect(source.readyState).toBe(source.CONNECTING);
    });

    test("constructor-init", "withCredentials is false by default and reflects the init", () => {
      const url = ctx.fx.message("data: x\n\n");
      const cases: [unknown, boolean][] = [
        [undefined, false],
        [null, false],
        [{}, false],
        [{ withCredentials: false }, false],
        [{ withCredentials: true }, true],
        [{ withCredentials: 1 }, true],
        [{ withCredentials: "" }, false],
      ];
      for (const [init, expected] of cases) {
        const source = open(url, init as EventSourceInit);
        source.close();
        expect(source.withCredentials, JSON.stringify(init)).toBe(expected);
      }
    });

    test("constructor-no-arguments", "calling it without a URL throws a TypeError", () => {
      expect(() => Reflect.construct(ES, [])).toThrow(TypeError);
    });

    test("constructor-without-new", "calling it as a function throws a TypeError", () => {
      const call = ES as unknown as (url: string) => unknown;
      expect(() => call(ctx.fx.message("data: x\n\n"))).toThrow(TypeError);
    });
  });
}
