/**
 * The EventSource conformance suite: WHATWG HTML §9.2 (server-sent events) and the behaviours the
 * web-platform-tests `eventsource/` directory checks, written once and registered per
 * implementation: ssekit's EventSource in Node (./node.test.ts), and in Chromium both ssekit's and
 * the browser's own (test/browser/event-source.browser.test.ts), the native one being the
 * calibration: a test it fails is either wrong or a documented deviation (./deviations.ts).
 *
 * Every test gets an id (the part of its title before " — "); a skip list names ids, with the
 * reason, and a skip list naming an id that does not exist is an error.
 *
 * Synchronisation is by events (promises resolved by handlers) and by the fixture server's request
 * log (/es/log, which can wait on the server side for a request or a closed connection). Where a
 * test asserts that nothing more happens, it first waits for a positive sign that enough time
 * passed: the server saw the connection close, or `timePasses()`, a control EventSource of the
 * same implementation that reconnects several times with the same `retry: 10`.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EsInfo } from "../fixtures/server.js";
import { faultEventData } from "./fault-plan.js";
import {
  type EventSourceClass,
  type EventSourceConstructor,
  Fixture,
  newKey,
  Recorder,
  utf8,
  within,
} from "./helpers.js";

export interface SuiteOptions {
  /**
   * `browser`: a document with a base URL, served from another origin than the fixture server (so
   * every request is a CORS request). `node`: no base URL, no CORS.
   */
  runtime: "node" | "browser";
  /** Test ids to skip, each with the reason (a documented deviation). */
  skip?: Readonly<Record<string, string>>;
  /** Also run the tests of ssekit's opt-in extensions (init `fetch`, `headers`, `method`, `body`). */
  extensions?: boolean;
}

type TestFn = () => Promise<void> | void;

const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Registers the suite for one implementation. */
export function defineSuite(
  name: string,
  Impl: EventSourceConstructor,
  serverUrl: string | (() => string),
  options: SuiteOptions,
): void {
  const ES = Impl as unknown as EventSourceClass;
  describe(name, () => {
    const browser = options.runtime === "browser";
    let fx: Fixture;
    let info: EsInfo;
    beforeAll(async () => {
      fx = new Fixture(typeof serverUrl === "function" ? serverUrl() : serverUrl);
      info = await fx.info();
    });

    // Every EventSource a test opens is closed after it: Chromium allows 6 connections per host.
    const sources = new Set<EventSource>();
    afterEach(() => {
      for (const source of sources) source.close();
      sources.clear();
    });
    const open = (url: string | URL, init?: EventSourceInit): EventSource => {
      const source = new ES(url, init);
      sources.add(source);
      return source;
    };
    /** Opens a source and starts recording its events (and those of `types`). */
    const record = (url: string, types: string[] = [], init?: EventSourceInit) => {
      const source = open(url, init);
      return { source, rec: new Recorder(source, types) };
    };

    /**
     * The positive sign that time passed for "nothing more happens" assertions: a control source
     * of the same implementation, on a stream that ends at once with `retry: 10`, reconnects
     * `reconnects` times. Each reconnection waits at least those 10 ms plus a round trip to the
     * server, so a reconnection the subject scheduled with `retry: 10`, or an event it had queued,
     * would have shown by then.
     */
    const timePasses = async (reconnects = 3) => {
      const control = new ES(fx.script(newKey(), [{ body: ["retry: 10\n\n"] }]));
      try {
        await new Recorder(control).count(reconnects + 1, "open");
      } finally {
        control.close();
      }
    };

    /** Opens `url`, waits for `n` message events (of `type`), returns them. */
    const messagesOf = async (url: string, n: number, types: string[] = []) => {
      const { source, rec } = record(url, types);
      await rec.until((events) => events.filter((e) => e.message).length >= n, `${n} messages`);
      source.close();
      return rec.messages("*");
    };
    const dataOf = async (body: string, n: number, params?: Record<string, string | number>) =>
      (await messagesOf(fx.message(body, params), n)).map((m) => m.data);

    const ids = new Set<string>();
    const test = (id: string, title: string, fn: TestFn, timeout?: number) => {
      if (ids.has(id)) throw new Error(`duplicate test id ${id}`);
      ids.add(id);
      const reason = options.skip?.[id];
      if (reason !== undefined) it.skip(`${id} — ${title} [skipped: ${reason}]`, fn);
      else it(`${id} — ${title}`, fn, timeout);
    };
    const browserTest = (id: string, title: string, fn: TestFn, timeout?: number) => {
      if (browser) test(id, title, fn, timeout);
    };
    const nodeTest = (id: string, title: string, fn: TestFn, timeout?: number) => {
      if (!browser) test(id, title, fn, timeout);
    };

    // -----------------------------------------------------------------------------------------
    describe("constructor and url (eventsource-constructor-*, eventsource-url)", () => {
      test("url-serialised", "url is the serialised URL, normalised, with its fragment", () => {
        const input = `${fx.base.replace("http:", "HTTP:")}/es/./x/../message?q=a b#frag`;
        const source = open(input);
        expect(source.url).toBe(new URL(input).href);
        expect(source.url).toBe(`${fx.base}/es/message?q=a%20b#frag`);
      });

      test("url-object", "a URL object is accepted and connects", async () => {
        const url = fx.message("data: y\n\n");
        const source = open(new URL(url));
        expect(source.url).toBe(url);
        const rec = new Recorder(source);
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:y"]);
      });

      test("url-stringify", "an object with toString is stringified and connects", async () => {
        const url = fx.message("data: data\n\n");
        const source = open({ toString: () => url } as unknown as string);
        expect(source.url).toBe(url);
        const rec = new Recorder(source);
        await rec.count(1, "message");
        expect(rec.log).toEqual(["open:1", "message:1:data"]);
        expect(rec.events[0]?.message).toBe(false);
      });

      browserTest("url-relative", "a relative URL is parsed against the document base URL", () => {
        const baseURI = (globalThis as unknown as { document: { baseURI: string } }).document
          .baseURI;
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
        const source = open(fx.message("data: x\n\n"));
        expect(source.readyState).toBe(CONNECTING);
        expect(source.readyState).toBe(source.CONNECTING);
      });

      test("constructor-init", "withCredentials is false by default and reflects the init", () => {
        const url = fx.message("data: x\n\n");
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
        expect(() => call(fx.message("data: x\n\n"))).toThrow(TypeError);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("interface (eventsource-prototype, interfaces.html)", () => {
      test("prototype-extend", "methods added to the prototype are inherited", () => {
        const proto = ES.prototype as unknown as { returnTrue?: () => boolean };
        proto.returnTrue = () => true;
        try {
          const source = open(fx.message("data: x\n\n")) as unknown as { returnTrue(): boolean };
          expect(source.returnTrue()).toBe(true);
        } finally {
          delete proto.returnTrue;
        }
      });

      test("prototype-constants", "CONNECTING, OPEN, CLOSED: read-only on both", () => {
        for (const target of [ES, ES.prototype]) {
          for (const [name, value] of [
            ["CONNECTING", 0],
            ["OPEN", 1],
            ["CLOSED", 2],
          ] as const) {
            expect(Object.getOwnPropertyDescriptor(target, name)).toEqual({
              value,
              writable: false,
              enumerable: true,
              configurable: false,
            });
          }
        }
        const source = open(fx.message("data: x\n\n"));
        expect([source.CONNECTING, source.OPEN, source.CLOSED]).toEqual([0, 1, 2]);
        expect(Object.hasOwn(source, "OPEN")).toBe(false);
      });

      test(
        "prototype-attributes",
        "attributes are accessors, close a method, on the prototype",
        () => {
          const proto = ES.prototype;
          for (const name of ["url", "withCredentials", "readyState"]) {
            const descriptor = Object.getOwnPropertyDescriptor(proto, name);
            expect(typeof descriptor?.get, name).toBe("function");
            expect(descriptor?.set, name).toBeUndefined();
          }
          for (const name of ["onopen", "onmessage", "onerror"]) {
            const descriptor = Object.getOwnPropertyDescriptor(proto, name);
            expect(typeof descriptor?.get, name).toBe("function");
            expect(typeof descriptor?.set, name).toBe("function");
          }
          const close = Object.getOwnPropertyDescriptor(proto, "close");
          expect(typeof close?.value).toBe("function");
          expect((close?.value as (() => void) | undefined)?.length).toBe(0);
          const source = open(fx.message("data: x\n\n"));
          expect(Object.getOwnPropertyNames(source)).toEqual([]);
          expect(ES.name).toBe("EventSource");
          expect(ES.length).toBe(1);
        },
      );

      test("prototype-brand-checks", "members throw a TypeError on other objects", () => {
        const proto = ES.prototype;
        for (const name of [
          "url",
          "withCredentials",
          "readyState",
          "onopen",
          "onmessage",
          "onerror",
        ]) {
          const get = Object.getOwnPropertyDescriptor(proto, name)?.get;
          expect(() => get?.call({}), name).toThrow(TypeError);
        }
        expect(() => proto.close.call({} as EventSource)).toThrow(TypeError);
        expect(() => (proto as unknown as { readyState: number }).readyState).toThrow(TypeError);
      });

      test("prototype-enumerable", "attributes, operation and constants are enumerable", () => {
        // WebIDL defines them all enumerable; the order is left to the implementation.
        expect(Object.keys(ES.prototype).sort()).toEqual([
          "CLOSED",
          "CONNECTING",
          "OPEN",
          "close",
          "onerror",
          "onmessage",
          "onopen",
          "readyState",
          "url",
          "withCredentials",
        ]);
      });

      test("prototype-readonly", "readyState, url, withCredentials cannot be assigned", () => {
        const source = open(fx.message("data: x\n\n")) as unknown as Record<string, unknown>;
        for (const name of ["readyState", "url", "withCredentials"]) {
          const before = source[name];
          // Module code is strict: assigning an accessor without a setter throws.
          expect(() => {
            source[name] = 5;
          }, name).toThrow(TypeError);
          expect(source[name]).toBe(before);
        }
      });

      test("prototype-eventtarget", "an EventSource is an EventTarget", () => {
        const source = open(fx.message("data: x\n\n"));
        expect(source).toBeInstanceOf(EventTarget);
        expect(source).toBeInstanceOf(ES);
        expect(Object.getPrototypeOf(ES.prototype)).toBe(EventTarget.prototype);
      });

      test("prototype-tostringtag", "Object.prototype.toString gives [object EventSource]", () => {
        const source = open(fx.message("data: x\n\n"));
        expect(Object.prototype.toString.call(source)).toBe("[object EventSource]");
        expect(Object.prototype.toString.call(ES.prototype)).toBe("[object EventSource]");
      });

      test("prototype-handlers", "onopen/onmessage/onerror: null, functions, others null", () => {
        const source = open(fx.message("data: x\n\n"));
        const handler = () => {};
        for (const name of ["onopen", "onmessage", "onerror"] as const) {
          expect(source[name], name).toBeNull();
          source[name] = handler;
          expect(source[name], name).toBe(handler);
          (source as unknown as Record<string, unknown>)[name] = "not a function";
          expect(source[name], name).toBeNull();
          source[name] = handler;
          source[name] = null;
          expect(source[name], name).toBeNull();
        }
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("EventTarget (eventsource-eventtarget)", () => {
      test("eventtarget-listener", "addEventListener('message') receives messages", async () => {
        const source = open(fx.message("data: data\n\n"));
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
        const source = open(fx.message("data: 1\n\ndata: 2\n\n", { split: 9, gap: 20 }));
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
        const source = open(fx.message("data: 1\n\ndata: 2\n\ndata: 3\n\n"));
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
        const source = open(fx.message("data: 1\n\n"));
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
          const source = open(fx.message("data: 1\n\n"));
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
        const source = open(fx.message("data: x\n\n"));
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

    // -----------------------------------------------------------------------------------------
    describe("announcing the connection (eventsource-onopen)", () => {
      test("onopen-event", "open: a plain, untrusted-shaped Event while OPEN", async () => {
        // Headers only, no body byte: open must not wait for data.
        const source = open(fx.script(newKey(), [{ body: [], after: "hold" }]));
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
        const key = newKey();
        // The head and the events come in one write (so the events are already received when
        // open fires), and the stream then ends, which would reconnect after 10 ms.
        const { source, rec } = record(
          fx.script(key, [{ coalesce: true, body: ["retry: 10\ndata: 1\n\ndata: 2\n\n"] }]),
        );
        source.onopen = () => {
          source.close();
          expect(source.readyState).toBe(CLOSED);
        };
        await rec.count(1, "open");
        await timePasses();
        expect(rec.log).toEqual(["open:1"]);
        expect(source.readyState).toBe(CLOSED);
        expect((await fx.log(key)).requests).toHaveLength(1);
      });

      test(
        "onopen-readystate",
        "readyState: CONNECTING, OPEN in onopen, CLOSED after close()",
        async () => {
          const source = open(fx.message("data: x\n\n"));
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

    // -----------------------------------------------------------------------------------------
    describe("dispatching messages (eventsource-onmessage)", () => {
      test(
        "onmessage-event",
        "message: a MessageEvent with data, origin, lastEventId",
        async () => {
          const source = open(fx.message("id: 7\ndata: data\n\n"));
          const event = await new Promise<MessageEvent>((resolve) => {
            source.onmessage = resolve;
          });
          expect(event).toBeInstanceOf(MessageEvent);
          expect(event.type).toBe("message");
          expect(event.data).toBe("data");
          expect(event.origin).toBe(new URL(fx.base).origin);
          expect(event.lastEventId).toBe("7");
          expect(event.source).toBeNull();
          expect(event.ports).toEqual([]);
          expect(event.bubbles).toBe(false);
          expect(event.cancelable).toBe(false);
          expect(event.target).toBe(source);
        },
      );

      test("onmessage-trusted", "message events are trusted", async () => {
        const source = open(fx.message("data: data\n\n"));
        const event = await new Promise<MessageEvent>((resolve) => {
          source.onmessage = resolve;
        });
        expect(event.isTrusted).toBe(true);
      });

      test(
        "onmessage-close",
        "close() in onmessage: no later event, even of the same chunk",
        async () => {
          const key = newKey();
          const { source, rec } = record(
            fx.script(key, [
              {
                coalesce: true,
                body: ["retry: 10\ndata: 1\n\ndata: 2\n\nevent: other\ndata: 3\n\ndata: 4\n\n"],
              },
            ]),
            ["other"],
          );
          source.onmessage = (e) => {
            if (e.data === "1") source.close();
          };
          await rec.count(1, "message");
          await timePasses();
          expect(rec.log).toEqual(["open:1", "message:1:1"]);
          expect(source.readyState).toBe(CLOSED);
          expect((await fx.log(key)).requests).toHaveLength(1);
        },
      );

      test(
        "onmessage-typed-close",
        "close() in a custom event listener stops the chunk too",
        async () => {
          const key = newKey();
          const { source, rec } = record(
            fx.script(key, [{ body: ["retry: 10\nevent: a\ndata: 1\n\ndata: 2\n\n"] }]),
            ["a"],
          );
          source.addEventListener("a", () => source.close());
          await rec.count(1, "a");
          await timePasses();
          expect(rec.log).toEqual(["open:1", "a:1:1"]);
        },
      );
    });

    // -----------------------------------------------------------------------------------------
    describe("close() (eventsource-close, eventsource-request-cancellation)", () => {
      test(
        "close-sequence",
        "the event sequence over two reconnections ending in 204",
        async () => {
          const key = newKey();
          const { source, rec } = record(
            fx.script(key, [
              { body: ["retry: 10\ndata: opened\n\n"] },
              { body: ["data: reconnected\n\n"] },
              { status: 204 },
            ]),
          );
          await rec.until((events) => events.some((e) => e.readyState === CLOSED), "CLOSED");
          await timePasses();
          expect(rec.log).toEqual([
            "open:1",
            "message:1:opened",
            "error:0",
            "open:1",
            "message:1:reconnected",
            "error:0",
            "error:2",
          ]);
          expect(source.readyState).toBe(CLOSED);
          expect((await fx.log(key)).requests).toHaveLength(3);
        },
      );

      test("close-immediately", "close() right after construction: no event at all", async () => {
        const { source, rec } = record(fx.message("retry: 10\ndata: x\n\n", { after: "end" }));
        source.close();
        expect(source.readyState).toBe(CLOSED);
        await timePasses();
        expect(rec.log).toEqual([]);
      });

      test(
        "close-aborts",
        "close() aborts the request: the server sees the client go",
        async () => {
          const key = newKey();
          const { source, rec } = record(fx.message("data: x\n\n", { key }));
          await rec.count(1, "message");
          source.close();
          const log = await fx.log(key, { wait: "closed", n: 1 });
          expect(log.timedOut).toBe(false);
          expect(log.requests[0]?.endedBy).toBe("client");
          expect(rec.log).toEqual(["open:1", "message:1:x"]);
        },
      );

      test("close-while-connecting", "close() before the response: nothing fires", async () => {
        const key = newKey();
        const { source, rec } = record(
          fx.script(key, [{ delay: 300, body: ["data: late\n\n"], after: "hold" }]),
        );
        const arrived = await fx.log(key, { wait: "count", n: 1 });
        expect(arrived.timedOut).toBe(false);
        source.close();
        const log = await fx.log(key, { wait: "closed", n: 1 });
        expect(log.requests[0]?.endedBy).toBe("client");
        await timePasses();
        expect(rec.log).toEqual([]);
      });

      test(
        "close-in-onerror",
        "close() in onerror while reconnecting: no reconnection",
        async () => {
          const key = newKey();
          const { source, rec } = record(fx.script(key, [{ body: ["retry: 10\ndata: a\n\n"] }]));
          source.onerror = () => {
            expect(source.readyState).toBe(CONNECTING);
            source.close();
            expect(source.readyState).toBe(CLOSED);
          };
          await rec.count(1, "error");
          await timePasses();
          expect(rec.log).toEqual(["open:1", "message:1:a", "error:0"]);
          expect((await fx.log(key)).requests).toHaveLength(1);
        },
      );

      test("close-during-wait", "close() while waiting to reconnect cancels it", async () => {
        const key = newKey();
        const { source, rec } = record(fx.script(key, [{ body: ["retry: 10\ndata: a\n\n"] }]));
        await rec.count(1, "error");
        // After the error event's task, outside any handler.
        source.close();
        await timePasses();
        expect(rec.log).toEqual(["open:1", "message:1:a", "error:0"]);
        expect((await fx.log(key)).requests).toHaveLength(1);
      });

      test(
        "close-after-fail",
        "close() in onerror after a failure; close() is idempotent",
        async () => {
          const key = newKey();
          const { source, rec } = record(fx.status(404, key));
          source.onerror = () => {
            source.close();
            source.close();
          };
          await rec.count(1, "error");
          await timePasses();
          expect(rec.log).toEqual(["error:2"]);
          source.close();
          expect(source.readyState).toBe(CLOSED);
        },
      );
    });

    // -----------------------------------------------------------------------------------------
    describe("reestablishing the connection (eventsource-reconnect)", () => {
      test("reconnect-end", "end of stream: error while CONNECTING, then reconnect", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { status: 200, body: ["retry: 10\ndata: ok\n\n"] },
            { body: ["data: data\n\n"], after: "hold" },
          ]),
        );
        await rec.count(2, "message");
        expect(rec.log).toEqual(["open:1", "message:1:ok", "error:0", "open:1", "message:1:data"]);
      });

      test("reconnect-network-error", "a dropped connection is reestablished", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            // (The pause before the drop: see the reconnect-reset tests.)
            { body: ["retry: 10\ndata: a\n\n", "data: partial", { wait: 30 }], after: "destroy" },
            { body: ["data: b\n\n"], after: "hold" },
          ]),
        );
        await rec.count(2, "message");
        expect(rec.log).toEqual(["open:1", "message:1:a", "error:0", "open:1", "message:1:b"]);
        const log = await fx.log(key);
        expect(log.requests[0]?.endedBy).toBe("destroy");
      });

      test(
        "reconnect-refused",
        "a refused connection is reestablished (error while CONNECTING)",
        async () => {
          const { source, rec } = record(`http://127.0.0.1:${info.closedPort}/es/message`);
          await rec.count(1, "error");
          expect(rec.log).toEqual(["error:0"]);
          source.close();
        },
      );

      test("reconnect-retry", "waits the reconnection time (retry: 0400 is 400 ms)", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { body: ["retry: 0400\ndata: a\n\n"] },
            { body: ["data: b\n\n"], after: "hold" },
          ]),
        );
        await rec.count(2, "message");
        const [first, second] = (await fx.log(key)).requests;
        const gap = (second?.at ?? 0) - (first?.closedAt ?? 0);
        // The client sees the end after the server does: the gap is at least the delay
        // (less timer jitter). 400 read as octal would be 256 ms.
        expect(gap).toBeGreaterThanOrEqual(380);
        expect(gap).toBeLessThan(2500);
        // The error event comes when the connection ends, before the wait, not after it.
        const [error, reopen] = rec.events.filter((e, i) => i >= 2 && e.type !== "message");
        expect([error?.type, reopen?.type]).toEqual(["error", "open"]);
        expect((reopen?.at ?? 0) - (error?.at ?? 0)).toBeGreaterThanOrEqual(380);
      });

      test("reconnect-retry-persists", "the reconnection time lasts over connections", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { body: ["retry: 300\ndata: a\n\n"] },
            { body: ["data: b\n\n"] },
            { body: ["data: c\n\n"], after: "hold" },
          ]),
        );
        await rec.count(3, "message");
        const [, second, third] = (await fx.log(key)).requests;
        const gap = (third?.at ?? 0) - (second?.closedAt ?? 0);
        expect(gap).toBeGreaterThanOrEqual(285);
        expect(gap).toBeLessThan(2500);
      });

      test(
        "reconnect-retry-bogus",
        "retry values that are not all digits are ignored",
        async () => {
          const key = newKey();
          const { rec } = record(
            fx.script(key, [
              {
                body: [
                  "retry: 300\nretry: 5000x\nretry: -1\nretry: 1 0\nretry:+5\nretry: 1.5\ndata: a\n\n",
                ],
              },
              { body: ["data: b\n\n"], after: "hold" },
            ]),
          );
          await rec.count(2, "message", 4500);
          const [first, second] = (await fx.log(key)).requests;
          const gap = (second?.at ?? 0) - (first?.closedAt ?? 0);
          expect(gap).toBeGreaterThanOrEqual(285);
          expect(gap).toBeLessThan(2500);
        },
      );

      test("reconnect-retry-empty", "an empty retry field changes nothing", async () => {
        expect(await dataOf("retry\ndata: test\n\n", 1)).toEqual(["test"]);
      });

      test(
        "reconnect-retry-empty-value",
        "an empty retry value keeps the reconnection time",
        async () => {
          // "If the field value consists of only ASCII digits ... Otherwise, ignore the field": an
          // empty value is no integer, so the 300 ms set before it stays.
          const key = newKey();
          const { rec } = record(
            fx.script(key, [
              { body: ["retry: 300\nretry\nretry:\nretry: \ndata: a\n\n"] },
              { body: ["data: b\n\n"], after: "hold" },
            ]),
          );
          await rec.count(2, "message", 4500);
          const [first, second] = (await fx.log(key)).requests;
          const gap = (second?.at ?? 0) - (first?.closedAt ?? 0);
          expect(gap).toBeGreaterThanOrEqual(285);
          expect(gap).toBeLessThan(2500);
        },
      );

      test(
        "reconnect-lasteventid",
        "the last event ID persists into the next connection",
        async () => {
          const key = newKey();
          const messages = await messagesOf(
            fx.script(key, [
              { body: ["id: …\nretry: 10\ndata: hello\n\n"] },
              { body: ["data: {{lastEventId}}\n\ndata: again\n\n"], after: "hold" },
            ]),
            3,
          );
          expect(messages.map((m) => [m.data, m.lastEventId])).toEqual([
            ["hello", "…"],
            ["…", "…"],
            ["again", "…"],
          ]);
        },
      );

      test("reconnect-reset-bom", "each connection's stream may start with a BOM", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { body: ["\uFEFFretry: 10\ndata: one\n\n"] },
            { body: ["\uFEFFdata: two\n\n"], after: "hold" },
          ]),
        );
        await rec.count(2, "message");
        expect(rec.log).toEqual(["open:1", "message:1:one", "error:0", "open:1", "message:1:two"]);
      });

      // Each twice: the first connection ends cleanly, or is dropped (a network error). The
      // server writes the complete event, then the unfinished tail, then pauses before the end:
      // a stream that errors discards what the page has not read yet (Streams' error() empties
      // the queue, and Chromium's own EventSource loses data that arrives with the drop too), so
      // the pause makes sure the tail is read before the drop and the test sees the reset.
      for (const after of ["end", "destroy"] as const) {
        const expected = ["open:1", "message:1:one", "error:0", "open:1", "message:1:two"];

        test(`reconnect-reset-line-${after}`, `a partial line never leaks (${after})`, async () => {
          const key = newKey();
          const { rec } = record(
            fx.script(key, [
              { body: ["retry: 10\ndata: one\n\n", "data: leak", { wait: 30 }], gap: 20, after },
              { body: ["ed\n\ndata: two\n\n"], after: "hold" },
            ]),
          );
          await rec.count(2, "message");
          expect(rec.log).toEqual(expected);
        });

        test(
          `reconnect-reset-utf8-${after}`,
          `a partial UTF-8 sequence never leaks (${after})`,
          async () => {
            // "data: " then the first two bytes of "€" (E2 82 AC); the next connection starts with
            // the third. Carried over, they would make "€" or a U+FFFD part of a data line.
            const key = newKey();
            const first = [...utf8("data: "), 0xe2, 0x82];
            const second = [0xac, ...utf8("\n\ndata: two\n\n")];
            const b64 = (bytes: number[]) => ({ b64: btoa(String.fromCharCode(...bytes)) });
            const { rec } = record(
              fx.script(key, [
                {
                  body: ["retry: 10\ndata: one\n\n", b64(first), { wait: 30 }],
                  gap: 20,
                  after,
                },
                { body: [b64(second)], after: "hold" },
              ]),
            );
            await rec.count(2, "message");
            expect(rec.log).toEqual(expected);
          },
        );

        test(
          `reconnect-reset-event-${after}`,
          `an undispatched event never leaks (${after})`,
          async () => {
            const key = newKey();
            const { rec } = record(
              fx.script(key, [
                {
                  body: [
                    "retry: 10\nid: 1\ndata: one\n\n",
                    "id: 2\nevent: typed\ndata: pending\n",
                    { wait: 30 },
                  ],
                  gap: 20,
                  after,
                },
                { body: ["\ndata: two\n\n"], after: "hold" },
              ]),
              ["typed"],
            );
            await rec.count(2, "message");
            expect(rec.log).toEqual(expected);
            // The id of the undispatched event was never committed.
            expect(rec.messages().map((m) => m.lastEventId)).toEqual(["1", "1"]);
            expect((await fx.log(key)).requests[1]?.lastEventId).toBe("1");
          },
        );
      }
    });

    // -----------------------------------------------------------------------------------------
    describe("failing the connection (request-status-error)", () => {
      for (const code of [201, 204, 205, 210, 299, 404, 410, 500, 503]) {
        test(`status-${code}`, `status ${code}: error while CLOSED, no retry`, async () => {
          const key = newKey();
          const { source, rec } = record(fx.status(code, key));
          await rec.count(1, "error");
          expect(source.readyState).toBe(CLOSED);
          await timePasses();
          expect(rec.log).toEqual(["error:2"]);
          const error = rec.events[0]?.event as Event;
          expect("data" in error).toBe(false);
          expect(error.bubbles).toBe(false);
          expect(error.cancelable).toBe(false);
          expect((await fx.log(key)).requests).toHaveLength(1);
        });
      }
    });

    // -----------------------------------------------------------------------------------------
    describe("content type (format-mime-*)", () => {
      const fails = (id: string, type: string) =>
        test(id, `content type ${JSON.stringify(type)} fails the connection`, async () => {
          const key = newKey();
          const { source, rec } = record(
            fx.message("retry: 10\ndata: data\n\n", { type, key, after: "end" }),
          );
          await rec.count(1, "error");
          expect(source.readyState).toBe(CLOSED);
          await timePasses();
          expect(rec.log).toEqual(["error:2"]);
          const error = rec.events[0]?.event as Event;
          expect(error).not.toBeInstanceOf(MessageEvent);
          expect(error.bubbles).toBe(false);
          expect(error.cancelable).toBe(false);
          expect((await fx.log(key)).requests).toHaveLength(1);
        });
      fails("mime-bogus", "x bogus");
      fails("mime-valid-bogus", "text/x-bogus");
      fails("mime-plain", "text/plain");
      fails("mime-near-miss", "text/event-streams");
      fails("mime-missing", "none");

      const opens = (id: string, type: string) =>
        test(id, `content type ${JSON.stringify(type)} is an event stream`, async () => {
          const { rec } = record(fx.message("data: ok…\n\n", { type }));
          await rec.count(1, "message");
          expect(rec.log).toEqual(["open:1", "message:1:ok…"]);
        });
      opens("mime-trailing-semicolon", "text/event-stream;");
      opens("mime-parameters", "text/event-stream; charset=utf-8; foo=bar");
      opens("mime-case", "Text/EVENT-Stream");
      // Always UTF-8, whatever the charset parameter says (format-utf-8).
      opens("mime-charset-ignored", "text/event-stream;charset=windows-1252");
    });

    // -----------------------------------------------------------------------------------------
    describe("redirects (request-redirect, eventsource-cross-origin)", () => {
      for (const status of [301, 302, 303, 307, 308]) {
        test(`redirect-${status}`, `a ${status} redirect is followed`, async () => {
          const key = newKey();
          const target = fx.message("data: data\n\n", { key });
          const url = fx.redirect(status, target, key);
          const { source, rec } = record(url);
          await rec.count(1, "message");
          expect(rec.log).toEqual(["open:1", "message:1:data"]);
          expect(rec.events[1]?.origin).toBe(new URL(fx.base).origin);
          // `url` stays the URL given to the constructor.
          expect(source.url).toBe(url);
          const log = await fx.log(key);
          expect(log.requests.map((r) => r.path.split("?")[0])).toEqual([
            "/es/redirect",
            "/es/message",
          ]);
          expect(log.requests[1]?.headers.accept).toBe("text/event-stream");
        });
      }

      test("redirect-cross-origin", "origin comes from the final URL", async () => {
        const key = newKey();
        const target = new Fixture(info.altUrl).message("data: data\n\n", { key });
        const { rec } = record(fx.redirect(307, target, key));
        await rec.count(1, "message");
        expect(rec.events[1]?.origin).toBe(new URL(info.altUrl).origin);
        expect(new URL(info.altUrl).origin).not.toBe(new URL(fx.base).origin);
      });

      test("redirect-to-error", "a redirect to a 404 fails the connection", async () => {
        const key = newKey();
        const { source, rec } = record(fx.redirect(302, fx.status(404, key), key));
        await rec.count(1, "error");
        await timePasses();
        expect(rec.log).toEqual(["error:2"]);
        expect(source.readyState).toBe(CLOSED);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("the request (request-accept, request-cache-control, request-credentials)", () => {
      test("request-accept", "a GET with Accept: text/event-stream, no body", async () => {
        const key = newKey();
        const { rec } = record(fx.message("data: x\n\n", { key }));
        await rec.count(1, "message");
        const [request] = (await fx.log(key)).requests;
        expect(request?.method).toBe("GET");
        expect(request?.headers.accept).toBe("text/event-stream");
        expect(request?.headers["content-length"]).toBeUndefined();
        expect(request?.headers["transfer-encoding"]).toBeUndefined();
        expect(request?.lastEventId).toBeNull();
      });

      test("request-accept-echo", "the server sees Accept: text/event-stream", async () => {
        const key = newKey();
        expect(
          (await messagesOf(fx.script(key, [{ body: ["data: {{header:accept}}\n\n"] }]), 1))[0]
            ?.data,
        ).toBe("text/event-stream");
      });

      test(
        "request-cache-control",
        "the request asks caches not to answer (no-cache)",
        async () => {
          const key = newKey();
          const { rec } = record(fx.message("data: x\n\n", { key }));
          await rec.count(1, "message");
          const [request] = (await fx.log(key)).requests;
          expect(request?.headers["cache-control"]).toBe("no-cache");
        },
      );

      test("request-no-cache", "a cacheable response is never reused", async () => {
        const key = newKey();
        const url = `${fx.base}/es/cacheable?key=${key}`;
        for (const expected of ["0", "1"]) {
          const { source, rec } = record(url);
          await rec.count(1, "message");
          source.close();
          expect(rec.messages()[0]?.data).toBe(expected);
        }
        const [first, second] = (await fx.log(key)).requests;
        expect(first?.headers["if-none-match"]).toBeUndefined();
        expect(second?.headers["if-none-match"]).toBeUndefined();
        expect(second?.headers["if-modified-since"]).toBeUndefined();
      });

      test("request-last-event-id", "Last-Event-ID: none at first, then the last ID", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { body: ["retry: 10\nid: 1\ndata: a\n\nid: 2\ndata: b\n\n"] },
            { body: ["id: …é\ndata: c\n\n"] },
            { body: ["id\ndata: reset\n\n"] },
            { body: ["data: d\n\n"], after: "hold" },
          ]),
        );
        await rec.count(5, "message");
        const log = await fx.log(key);
        expect(log.requests.map((r) => r.lastEventId)).toEqual([null, "2", "…é", null]);
        expect(rec.messages().map((m) => m.lastEventId)).toEqual(["1", "2", "…é", "", ""]);
      });

      test("request-last-event-id-no-data", "an id on an event without data counts", async () => {
        const key = newKey();
        const { rec } = record(
          fx.script(key, [
            { body: ["retry: 10\nid: 7\n\n"] },
            { body: ["data: {{lastEventId}}\n\n"], after: "hold" },
          ]),
        );
        await rec.count(1, "message");
        expect(rec.messages().map((m) => [m.data, m.lastEventId])).toEqual([["7", "7"]]);
      });

      // A Cache-Control request header (or any other author header) would make every request
      // preflighted; the native EventSource never is.
      browserTest("request-no-preflight", "the request needs no CORS preflight", async () => {
        const key = newKey();
        const { rec } = record(fx.message("data: a\n\n", { key }));
        await rec.count(1, "message");
        const log = await fx.log(key);
        expect(log.requests).toHaveLength(1);
        expect(log.preflights).toEqual([]);
      });

      // WPT eventsource-cross-origin-preflight: a CORS-safe Last-Event-ID needs no preflight.
      browserTest(
        "request-no-preflight-last-event-id",
        "a reconnection with a safe Last-Event-ID needs no preflight",
        async () => {
          const key = newKey();
          const { rec } = record(
            fx.script(key, [
              { body: ["retry: 10\nid: abc\ndata: a\n\n"] },
              { body: ["data: b\n\n"], after: "hold" },
            ]),
          );
          await rec.count(2, "message");
          const log = await fx.log(key);
          expect(log.requests.map((r) => r.lastEventId)).toEqual([null, "abc"]);
          expect(log.preflights).toEqual([]);
        },
      );

      browserTest("request-origin", "a cross-origin request sends Origin", async () => {
        const key = newKey();
        const { rec } = record(fx.message("data: x\n\n", { key }));
        await rec.count(1, "message");
        const [request] = (await fx.log(key)).requests;
        expect(request?.headers.origin).toBe(globalThis.location.origin);
      });

      browserTest(
        "credentials-allowed",
        "withCredentials works when the server allows it",
        async () => {
          const key = newKey();
          const { source, rec } = record(fx.message("data: x\n\n", { key, cors: "echo" }), [], {
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
          const { rec } = record(fx.message("data: x\n\n"), [], { withCredentials: true });
          await rec.count(1, "error");
          expect(rec.log.filter((entry) => !entry.startsWith("error"))).toEqual([]);
        },
      );

      browserTest(
        "credentials-wildcard-closed",
        "withCredentials against allow-origin: * fails the connection (CLOSED)",
        async () => {
          const { rec } = record(fx.message("data: x\n\n"), [], { withCredentials: true });
          await rec.count(1, "error");
          await timePasses();
          expect(rec.log).toEqual(["error:2"]);
        },
      );

      browserTest("cors-failure", "no access-control-allow-origin: error, no open", async () => {
        const { rec } = record(fx.message("data: x\n\n", { cors: "none" }));
        await rec.count(1, "error");
        expect(rec.log.filter((entry) => !entry.startsWith("error"))).toEqual([]);
      });

      browserTest(
        "cors-failure-closed",
        "no access-control-allow-origin fails the connection (CLOSED)",
        async () => {
          const key = newKey();
          const { source, rec } = record(fx.message("data: x\n\n", { key, cors: "none" }));
          await rec.count(1, "error");
          await timePasses();
          expect(rec.log).toEqual(["error:2"]);
          expect(source.readyState).toBe(CLOSED);
          expect((await fx.log(key)).requests).toHaveLength(1);
        },
      );
    });

    // -----------------------------------------------------------------------------------------
    describe("event stream format (format-*, event-data)", () => {
      test(
        "format-bom",
        "a leading BOM is skipped; a later one is part of a field name",
        async () => {
          expect(await dataOf("\uFEFFdata: 1\n\n\uFEFFdata: 2\n\ndata: 3\n\n", 2)).toEqual([
            "1",
            "3",
          ]);
        },
      );

      test("format-bom-2", "only one BOM is skipped", async () => {
        expect(await dataOf("\uFEFF\uFEFFdata: 1\n\ndata: 2\n\ndata: 3\n\n", 2)).toEqual([
          "2",
          "3",
        ]);
      });

      test("format-bom-split", "a BOM split across chunks is still skipped", async () => {
        const url = fx.bytes(utf8("\uFEFFdata: 1\n\n"), { split: "1,2" });
        expect((await messagesOf(url, 1)).map((m) => m.data)).toEqual(["1"]);
      });

      test("format-comments", "comment lines, long ones too, are ignored", async () => {
        const key = newKey();
        const long = { repeat: "x", times: 100_000 };
        const messages = await messagesOf(
          fx.script(key, [
            {
              body: [
                "data:1\r:\0\n:\r\ndata:2\n:",
                long,
                "\rdata:3\n:data:fail\r:",
                long,
                "\ndata:4\n\n",
              ],
              after: "hold",
            },
          ]),
          1,
        );
        expect(messages.map((m) => m.data)).toEqual(["1\n2\n3\n4"]);
      });

      test(
        "format-data-before-final-empty-line",
        "an unterminated event is discarded",
        async () => {
          const key = newKey();
          const { rec } = record(
            fx.script(key, [{ body: ["retry: 10\ndata: test1\n\nid: test\ndata: test2"] }]),
          );
          await rec.count(2, "message");
          expect(rec.messages().map((m) => [m.data, m.lastEventId])).toEqual([
            ["test1", ""],
            ["test1", ""],
          ]);
          expect((await fx.log(key)).requests[1]?.lastEventId).toBeNull();
        },
      );

      test("format-field-data", "data fields: empty, no colon, several lines", async () => {
        expect(await dataOf("data:\n\ndata\ndata\n\ndata:test\n\n", 3)).toEqual(["", "\n", "test"]);
      });

      test("format-field-event", "the event field sets the type", async () => {
        const messages = await messagesOf(
          fx.message("event:test\ndata:x\n\ndata:y\n\nevent:  spaced\ndata:z\n\n"),
          3,
          ["test", " spaced"],
        );
        expect(messages.map((m) => `${m.type}:${m.data}`)).toEqual([
          "test:x",
          "message:y",
          " spaced:z",
        ]);
      });

      test("format-field-event-empty", "an empty event type means message", async () => {
        expect(await dataOf("event: \ndata:data\n\n", 1)).toEqual(["data"]);
      });

      test("format-field-event-error", "event types open and error from the stream", async () => {
        const { source, rec } = record(
          fx.message("event: error\ndata: x\n\nevent: open\ndata: y\n\n"),
        );
        const handled: string[] = [];
        source.onerror = (e) => handled.push(`onerror:${(e as MessageEvent).data}`);
        // Waits on the handler itself: a browser runs microtasks between listeners, so a promise
        // resolved by the recorder (the first listener) could resume before the handler ran.
        await new Promise<void>((resolve) => {
          source.onopen = (e) => {
            handled.push(`onopen:${"data" in e ? (e as MessageEvent).data : ""}`);
            if ("data" in e) resolve();
          };
        });
        expect(rec.log).toEqual(["open:1", "error:1:x", "open:1:y"]);
        expect(handled).toEqual(["onopen:", "onerror:x", "onopen:y"]);
        expect(source.readyState).toBe(OPEN);
      });

      test("format-field-id", "id: persists, changes, resets; one leading space only", async () => {
        const messages = await messagesOf(
          fx.message(
            "id: 1\ndata: 1\n\ndata: 2\n\nid: 2\ndata: 3\n\ndata: 4\n\nid:\ndata: 5\n\n" +
              "data: 6\n\nid: 3\ndata: 7\n\nid\ndata: 8\n\nid:  x\ndata: 9\n\n",
          ),
          9,
        );
        expect(messages.map((m) => m.lastEventId)).toEqual([
          "1",
          "1",
          "2",
          "2",
          "",
          "",
          "3",
          "",
          " x",
        ]);
      });

      test("format-field-id-null", "an id containing U+0000 is ignored", async () => {
        const key = newKey();
        const messages = await messagesOf(
          fx.script(key, [
            {
              body: ["retry: 10\nid: 1\ndata: a\n\nid: \0\0\ndata: b\n\nid: x\0y\ndata: c\n\n"],
            },
            { body: ["data: {{lastEventId}}\n\n"], after: "hold" },
          ]),
          4,
        );
        expect(messages.map((m) => [m.data, m.lastEventId])).toEqual([
          ["a", "1"],
          ["b", "1"],
          ["c", "1"],
          ["1", "1"],
        ]);
      });

      test("format-leading-space", "only one leading space is removed from a value", async () => {
        expect(await dataOf("data:\ttest\rdata: \ndata:test\n\ndata:  two\n\n", 2)).toEqual([
          "\ttest\n\ntest",
          " two",
        ]);
      });

      test("format-newlines", "CR, LF and CRLF all end lines", async () => {
        expect(await dataOf("data:test\r\ndata\ndata:test\r\n\r", 1)).toEqual(["test\n\ntest"]);
      });

      test("format-newlines-split", "a CRLF split across chunks is one line ending", async () => {
        // "data: a\r" | "\ndata: b\n\n": two line endings there would dispatch "a" alone.
        const body = "data: a\r\ndata: b\n\n";
        const url = fx.message(body, { split: body.indexOf("\n") });
        expect((await messagesOf(url, 1)).map((m) => m.data)).toEqual(["a\nb"]);
      });

      test("format-null-character", "U+0000 in data is kept", async () => {
        expect(await dataOf("data:\0\n\n", 1)).toEqual(["\0"]);
      });

      const parsing =
        "data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n";
      test("format-field-parsing", "field names are exact and case-sensitive", async () => {
        expect(await dataOf(parsing, 1)).toEqual(["\0\n 2\n1\n3\n\n4"]);
      });

      test("format-byte-by-byte", "the same stream one byte per chunk", async () => {
        expect(await dataOf(parsing, 1, { every: 1, gap: 0 })).toEqual(["\0\n 2\n1\n3\n\n4"]);
      });

      test("format-field-unknown", "unknown fields and lines without colon", async () => {
        expect(
          await dataOf(
            "data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n",
            1,
          ),
        ).toEqual(["test\n\ntest"]);
      });

      test("event-data", "lines and data parsing (event-data)", async () => {
        expect(
          await dataOf(
            "data:msg\ndata: msg\n\n:\nfalsefield:msg\n\nfalsefield:msg\nData:data\n\ndata\n\ndata:end\n\n",
            3,
          ),
        ).toEqual(["msg\nmsg", "", "end"]);
      });

      test("format-utf-8-split", "UTF-8 split inside characters, byte by byte", async () => {
        const text = "héllo wörld 日本語 👋🏽 𝄞";
        expect(await dataOf(`data: ${text}\n\n`, 1, { every: 1, gap: 0 })).toEqual([text]);
      });

      test("format-utf-8-invalid", "invalid UTF-8 decodes to U+FFFD", async () => {
        const bytes = [...utf8("data: a"), 0xff, 0xfe, ...utf8("b"), 0xc3, ...utf8("\n\n")];
        expect((await messagesOf(fx.bytes(bytes), 1)).map((m) => m.data)).toEqual([
          "a\uFFFD\uFFFDb\uFFFD",
        ]);
      });
    });

    // -----------------------------------------------------------------------------------------
    describe("faults", () => {
      test(
        "fault-drops",
        "2,000 events over ~100 dropped connections arrive once each, in order",
        async () => {
          const key = newKey();
          const n = 2000;
          const { source, rec } = record(
            `${fx.base}/es/faults?seed=4242&n=${n}&drops=100&key=${key}`,
          );
          await rec.until(
            (events) => events.some((e) => e.message && e.lastEventId === String(n)),
            `event ${n}`,
            25_000,
          );
          source.close();
          const log = await fx.log(key, { wait: "closed", n: 101 });
          const messages = rec.messages();
          expect(messages.length).toBe(n);
          const wrong = messages.filter(
            (m, i) => m.lastEventId !== String(i + 1) || m.data !== faultEventData(i + 1),
          );
          expect(wrong.slice(0, 5)).toEqual([]);
          const errors = rec.events.filter((e) => e.type === "error");
          expect(errors.every((e) => e.readyState === CONNECTING)).toBe(true);
          expect(log.requests).toHaveLength(101);
          expect(errors).toHaveLength(100);
          expect(new Set(log.requests.map((r) => r.endedBy))).toEqual(
            new Set(["end", "destroy", "client"]),
          );
        },
        30_000,
      );
    });

    // -----------------------------------------------------------------------------------------
    if (options.extensions) {
      describe("ssekit extensions (opt-in init fields)", () => {
        type Init = EventSourceInit & Record<string, unknown>;
        test("ext-default-request", "without extensions: the standard request", async () => {
          const calls: { url: string; init: RequestInit }[] = [];
          const fetchSpy: typeof fetch = (input, init) => {
            calls.push({ url: String(input), init: init ?? {} });
            return fetch(input, init);
          };
          const url = fx.message("data: x\n\n");
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
          const { rec } = record(fx.message("data: x\n\n", { cors: "echo" }), [], {
            withCredentials: true,
            fetch: fetchSpy,
          } as Init);
          await rec.count(1, "message");
          expect(modes).toEqual(["include"]);
        });

        test("ext-headers-method-body", "headers, method and body are sent", async () => {
          const key = newKey();
          const { rec } = record(fx.message("data: x\n\n", { key }), [], {
            headers: { "x-token": "t1" },
            method: "post",
            body: "payload",
          } as Init);
          await rec.count(1, "message");
          const [request] = (await fx.log(key)).requests;
          expect(request?.method).toBe("POST");
          expect(request?.headers["x-token"]).toBe("t1");
          expect(request?.headers["content-length"]).toBe("7");
          expect(request?.headers.accept).toBe("text/event-stream");
        });
      });
    }

    afterAll(() => {
      const unknown = Object.keys(options.skip ?? {}).filter((id) => !ids.has(id));
      if (unknown.length > 0) throw new Error(`skip list names unknown tests: ${unknown}`);
    });
  });
}
