/**
 * A runtime whose `MessageEvent` drops `lastEventId` and `origin` (workerd keeps only `data`, and
 * its EventTarget calls `on<type>` properties by itself): src/event-source/dom-events.ts must take
 * its fallbacks there, or events would lose their IDs and handlers would run twice. Simulated here
 * by replacing the global `MessageEvent` and importing the module graph afresh. Node's EventTarget never calls
 * `on<type>` properties, so handlers running twice shows only in the real workerd, which
 * test/runtimes.test.ts runs (its EventSource scenario counts every event and error).
 */
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import type { EventSource as SsekitEventSource } from "../../src/event-source/event-source.js";
import { type FixtureServer, startFixtureServer } from "../fixtures/server.js";
import { Fixture } from "./helpers.js";

const scope = globalThis as unknown as { MessageEvent: typeof MessageEvent };
const original = scope.MessageEvent;
const Base = original as new (type: string, init?: MessageEventInit) => MessageEvent;

/** A MessageEvent that keeps `data` only, as workerd's does. */
class DataOnlyMessageEvent extends Base {
  constructor(type: string, init?: MessageEventInit) {
    super(type, { data: init?.data });
  }
}

let server: FixtureServer;
let ES: typeof SsekitEventSource;

beforeAll(async () => {
  server = await startFixtureServer();
  scope.MessageEvent = DataOnlyMessageEvent as unknown as typeof MessageEvent;
  vi.resetModules();
  ES = (await import("../../src/event-source/event-source.js")).EventSource;
});

afterAll(async () => {
  scope.MessageEvent = original;
  vi.resetModules();
  await server?.close();
});

test("the fallbacks serve, and events keep lastEventId and origin", async () => {
  const base = Object.getPrototypeOf(ES.prototype) as { constructor: unknown };
  expect(base.constructor).not.toBe(EventTarget);
  const source = new ES(new Fixture(server.url).message("id: 7\ndata: one\n\n"));
  const event = await new Promise<MessageEvent>((resolve) => {
    source.onmessage = resolve;
  });
  source.close();
  expect([event.data, event.lastEventId, event.origin]).toEqual([
    "one",
    "7",
    new URL(server.url).origin,
  ]);
});
