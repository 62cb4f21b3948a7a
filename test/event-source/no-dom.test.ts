/**
 * ssekit's EventSource in a runtime without the DOM event globals (Hermes on React Native has no
 * Event, EventTarget, MessageEvent or DOMException): the globals are deleted, the module graph is
 * reset and src/event-source/event-source.ts imported afresh, so src/event-source/dom-events.ts
 * takes its fallbacks. The globals are restored afterwards.
 */
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import type { EventSource as SsekitEventSource } from "../../src/event-source/event-source.js";
import { type FixtureServer, startFixtureServer } from "../fixtures/server.js";
import { Fixture, newKey, Recorder } from "./helpers.js";

const GLOBALS = ["Event", "EventTarget", "MessageEvent", "DOMException"] as const;
const scope = globalThis as unknown as Record<string, unknown>;

let server: FixtureServer;
let fx: Fixture;
let ES: typeof SsekitEventSource;
const saved = new Map<string, PropertyDescriptor>();
const opened = new Set<SsekitEventSource>();

function open(url: string): { source: SsekitEventSource; rec: Recorder } {
  const source = new ES(url);
  opened.add(source);
  return { source, rec: new Recorder(source as unknown as EventSource) };
}

beforeAll(async () => {
  server = await startFixtureServer();
  fx = new Fixture(server.url);
  // Node loads its fetch (undici) lazily, and undici defines classes extending EventTarget when it
  // loads: load it while the globals are still there, as a runtime without them has its own fetch.
  await (await fetch(`${server.url}/es/info`)).json();
  for (const name of GLOBALS) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    if (descriptor) saved.set(name, descriptor);
    delete scope[name];
  }
  vi.resetModules();
  ES = (await import("../../src/event-source/event-source.js")).EventSource;
});

afterAll(async () => {
  for (const source of opened) source.close();
  for (const [name, descriptor] of saved) Object.defineProperty(globalThis, name, descriptor);
  vi.resetModules();
  await server?.close();
});

describe("ssekit EventSource without Event, EventTarget, MessageEvent, DOMException", () => {
  test("the globals are gone and the fallbacks are in use", () => {
    for (const name of GLOBALS) expect(typeof scope[name], name).toBe("undefined");
    const base = Object.getPrototypeOf(ES.prototype) as { constructor: { name: string } };
    expect(base.constructor.name).not.toBe("EventTarget");
    expect([ES.CONNECTING, ES.OPEN, ES.CLOSED]).toEqual([0, 1, 2]);
  });

  test("connects and dispatches message events with data, lastEventId, origin", async () => {
    const { source, rec } = open(fx.message("id: 1\ndata: one\n\nevent: custom\ndata: two\n\n"));
    const custom = new Promise<MessageEvent>((resolve) => {
      source.addEventListener("custom", (event) => resolve(event as MessageEvent));
    });
    const [event, target] = await new Promise<[MessageEvent, unknown]>((resolve) => {
      source.onmessage = function (e) {
        resolve([e, this]);
      };
    });
    expect(target).toBe(source);
    expect(event.type).toBe("message");
    expect(event.data).toBe("one");
    expect(event.lastEventId).toBe("1");
    expect(event.origin).toBe(new URL(server.url).origin);
    expect(event.target).toBe(source);
    const second = await custom;
    expect([second.type, second.data, second.lastEventId]).toEqual(["custom", "two", "1"]);
    expect(rec.log).toEqual(["open:1", "message:1:one"]);
    expect(source.readyState).toBe(ES.OPEN);
    source.close();
    expect(source.readyState).toBe(ES.CLOSED);
  });

  test("add/removeEventListener, handleEvent objects and once", async () => {
    const { source, rec } = open(
      fx.message("data: 1\n\ndata: 2\n\ndata: 3\n\n", { split: "9,18", gap: 10 }),
    );
    const seen: string[] = [];
    const removed = (e: Event) => {
      seen.push(`removed:${(e as MessageEvent).data}`);
      source.removeEventListener("message", removed);
    };
    source.addEventListener("message", removed);
    source.addEventListener("message", (e) => seen.push(`once:${(e as MessageEvent).data}`), {
      once: true,
    });
    source.addEventListener("message", {
      handleEvent: (e: Event) => seen.push(`object:${(e as MessageEvent).data}`),
    });
    await rec.count(3, "message");
    expect(seen).toEqual(["removed:1", "once:1", "object:1", "object:2", "object:3"]);
  });

  test("reconnects: open, error while CONNECTING, open again", async () => {
    const key = newKey();
    const { rec } = open(
      fx.script(key, [
        { body: ["retry: 10\ndata: a\n\n"] },
        { body: ["data: b\n\n"], after: "hold" },
      ]),
    );
    await rec.count(2, "message");
    expect(rec.log).toEqual(["open:1", "message:1:a", "error:0", "open:1", "message:1:b"]);
    expect((await fx.log(key)).requests.map((r) => r.lastEventId)).toEqual([null, null]);
  });

  test("close() in onmessage stops the rest of the chunk", async () => {
    const key = newKey();
    const { source, rec } = open(fx.message("data: 1\n\ndata: 2\n\n", { key }));
    source.onmessage = () => source.close();
    await rec.count(1, "message");
    // The server seeing the client go is the sign that close() took effect.
    expect((await fx.log(key, { wait: "closed", n: 1 })).requests[0]?.endedBy).toBe("client");
    expect(rec.log).toEqual(["open:1", "message:1:1"]);
    expect(source.readyState).toBe(ES.CLOSED);
  });

  test("a status other than 200 fails the connection", async () => {
    const { source, rec } = open(fx.status(404, newKey()));
    await rec.count(1, "error");
    expect(rec.log).toEqual(["error:2"]);
    expect(source.readyState).toBe(ES.CLOSED);
  });

  test("an invalid URL throws an error named SyntaxError", () => {
    let thrown: unknown;
    try {
      new ES("http://[::1");
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: "SyntaxError", code: 12 });
    expect(() => new ES("relative/without/base")).toThrow(
      expect.objectContaining({ name: "SyntaxError" }),
    );
  });
});
